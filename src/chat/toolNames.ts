/** The language-model tools, as package.json's `languageModelTools` contributes them (a test checks both lists). */
export const CHAT_TOOL_NAMES = [
  'slashid_listOrganizations',
  'slashid_listClients',
  'slashid_showClient',
  'slashid_decodeToken',
  'slashid_searchPersons',
  'slashid_createClient',
  'slashid_rotateClientSecret',
  'slashid_deleteClient',
  'slashid_mintTokens',
] as const;
export type ChatToolName = (typeof CHAT_TOOL_NAMES)[number];
