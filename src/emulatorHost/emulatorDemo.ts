/** Demo credentials of a running emulator. The API key is the emulator's own, never a real one. */
export interface EmulatorDemo {
  readonly url: string;
  readonly orgId: string;
  readonly apiKey: string;
}
