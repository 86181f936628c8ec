/**
 * The tokens core: decode, verify, times, custom-claim rules and token recognition. No VS Code imports.
 * Everything except `verify` is browser-safe by construction (no Node APIs); `verify` uses only jose and
 * the standard `fetch`, so it is browser-safe too, but the webview has no need for it.
 */
export * from './reservedClaims';
export * from './decode';
export * from './times';
export * from './claims';
export * from './recognize';
export * from './textPosition';
export * from './verify';
