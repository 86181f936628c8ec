/**
 * Names the activation shell registers providers under before the features bundle loads, and that the
 * features use too: one definition each. No imports.
 */

/** The clients tree view (package.json `views`). */
export const CLIENTS_VIEW_ID = 'slashid.clients';
/** Read-only documents of API results (client details, token responses), kept in memory. */
export const READ_ONLY_SCHEME = 'slashid-readonly';
/** A client's hosted-UI configuration as an editable JSON document. */
export const HOSTED_UI_SCHEME = 'slashid-hosted-ui';
/** The `globalState` key of the connected organizations (non-secret data only). */
export const CONNECTIONS_STATE_KEY = 'slashid.connections.v1';
/** The language of hosted-UI documents: JSON to the JSON language server, with auto-save off (package.json). */
export const HOSTED_UI_LANGUAGE = 'slashid-hosted-ui-json';
