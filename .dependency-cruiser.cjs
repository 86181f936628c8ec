/**
 * The architecture rules of README's "Layout", checked by `npm run deps:check` (part of `npm run check`).
 *
 * Layers: the core (src/slashid, src/tokens, emulator/) runs on plain Node; the extension's shared parts
 * (src/common, src/ui, src/orgs, src/tokenPanels, src/emulatorHost, src/services.ts) build on the core; the
 * features (src/clients, src/minter, src/inspect, src/flows) build on both and register themselves in src/features.ts,
 * the features bundle. The activation shell (src/extension.ts, src/shell) is apart: it reaches the features only by
 * loading their bundle at run time.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const CORE = '^(src/slashid|src/tokens|emulator)/';
const EXTENSION =
  '^src/(common|ui|orgs|tokenPanels|emulatorHost|clients|minter|inspect|chat|flows|webview|shell)/|^src/(extension|features|services)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'core-no-vscode',
      comment: 'The core (src/slashid, src/tokens, emulator/) runs on plain Node: it imports nothing from vscode.',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^vscode$|(^|/)node_modules/@types/vscode/' },
    },
    {
      name: 'core-no-extension',
      comment: 'The core imports nothing from the extension (its features, services or shared parts).',
      severity: 'error',
      from: { path: CORE },
      to: { path: EXTENSION },
    },
    {
      name: 'no-other-feature-commands',
      comment:
        "A feature does not import another feature's commands or its register(): shared work goes in a service " +
        '(src/orgs, src/tokenPanels, src/emulatorHost) or src/common.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/(commands/|register\\.ts$)', pathNot: '^src/$1/' },
    },
    {
      name: 'leaf-features-apart',
      comment: 'The minter and the token inspection do not import each other, and nothing imports them but features.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(minter|inspect)/|^src/features\\.ts$' },
      to: { path: '^src/(minter|inspect)/' },
    },
    {
      name: 'shell-stays-small',
      comment:
        'The activation shell (src/extension.ts, src/shell/) is what every window compiles and runs at activation: ' +
        'besides vscode and Node, it imports only its own folder and a few import-free modules of constants and ' +
        'pre-checks (types aside). Everything else is in the features bundle, which it loads with require() on first use.',
      severity: 'error',
      from: { path: '^src/(extension\\.ts$|shell/)' },
      to: {
        dependencyTypesNot: ['type-only', 'core'],
        pathNot:
          '^vscode$|(^|/)node_modules/@types/vscode/|^src/shell/|^src/tokens/mayHoldToken\\.ts$|^src/chat/toolNames\\.ts$|' +
          '^src/tokenPanels/viewType\\.ts$|^src/common/testHooks(Env)?\\.ts$',
      },
    },
    {
      name: 'minter-not-inspect',
      severity: 'error',
      from: { path: '^src/minter/' },
      to: { path: '^src/inspect/' },
    },
    {
      name: 'inspect-not-minter',
      severity: 'error',
      from: { path: '^src/inspect/' },
      to: { path: '^src/minter/' },
    },
    {
      name: 'shared-not-features',
      comment: 'The shared parts do not import the features that build on them.',
      severity: 'error',
      from: { path: '^src/(common|ui|orgs|tokenPanels|emulatorHost)/' },
      to: { path: '^src/(clients|minter|inspect|chat|flows)/' },
    },
    {
      name: 'webview-browser-only',
      comment: "The webview script runs in the panel's browser: it imports the panels' protocol and the browser-safe token code only.",
      severity: 'error',
      from: { path: '^src/webview/' },
      to: { path: '^src/', pathNot: '^src/(webview/|tokenPanels/(protocol|verdicts)\\.ts$|tokens/)' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (between files, and so between folders).',
      severity: 'error',
      from: { path: '^(src|emulator)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      from: { path: '^(src|emulator)/' },
      to: { path: '^(test|scripts|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
