import type { ChatTool } from './chatTool';
import type { ChatToolName } from './toolNames';
import { listOrganizationsTool } from './listOrganizations';
import { listClientsTool } from './listClients';
import { showClientTool } from './showClient';
import { decodeTokenTool } from './decodeToken';
import { searchPersonsTool } from './searchPersons';
import { createClientTool } from './createClient';
import { rotateClientSecretTool } from './rotateClientSecret';
import { deleteClientTool } from './deleteClient';
import { mintTokensTool } from './mintTokens';

/** Every tool by name: read-only ones first, then those that ask before they change anything. */
export const CHAT_TOOLS: Readonly<Record<ChatToolName, ChatTool>> = {
  slashid_listOrganizations: listOrganizationsTool,
  slashid_listClients: listClientsTool,
  slashid_showClient: showClientTool,
  slashid_decodeToken: decodeTokenTool,
  slashid_searchPersons: searchPersonsTool,
  slashid_createClient: createClientTool,
  slashid_rotateClientSecret: rotateClientSecretTool,
  slashid_deleteClient: deleteClientTool,
  slashid_mintTokens: mintTokensTool,
};
