/** The minter panel's webview type: the serializer and the `onWebviewPanel:slashid.minter` activation event use it. */
export const MINTER_VIEW_TYPE = 'slashid.minter';
