import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { startLocalEmulator } from './commands/startLocalEmulator';
import { stopLocalEmulator } from './commands/stopLocalEmulator';

/** "SlashID: Start Local Emulator" and "SlashID: Stop Local Emulator". */
export function registerEmulatorCommands(services: Services): void {
  registerCommand(services, 'slashid.emulator.start', () => startLocalEmulator(services));
  registerCommand(services, 'slashid.emulator.stop', () => stopLocalEmulator(services));
}
