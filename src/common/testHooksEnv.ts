/**
 * The environment variable (value `1`) our integration runner sets in the extension host, together with
 * VS Code's test mode, when the suites need the extension's services. No `vscode` import: the runner, a
 * plain Node script, sets it.
 */
export const TEST_HOOKS_ENV = 'SLASHID_EXTENSION_TEST_HOOKS';
