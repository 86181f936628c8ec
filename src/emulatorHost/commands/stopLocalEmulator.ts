import type { Services } from '../../services';

/** "SlashID: Stop Local Emulator": stops the emulator this extension host started (not one set in the settings). */
export async function stopLocalEmulator(services: Services): Promise<boolean> {
  const stopped = await services.emulator.stop();
  services.model.invalidate();
  void services.ui.info(
    stopped
      ? 'Stopped the local SlashID emulator.'
      : 'No local emulator runs inside VS Code (one set in slashid.localEmulator.url is not stopped from here).',
  );
  return stopped;
}
