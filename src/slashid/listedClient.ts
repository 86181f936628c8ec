import type { OAuth2Client, OAuth2ClientRow } from './schemas';

/**
 * A client in a loaded list (the Clients view, pickers, the minter): the row fields every listed client
 * was checked for, and `details()`, every field, checked on first use (see `ClientOfList`); it throws a
 * `SchemaError` naming the field when the client's JSON does not fit. Type-only imports here: the
 * extension's eager modules use this without loading zod at activation.
 */
export interface ListedClient extends Readonly<OAuth2ClientRow> {
  details(): OAuth2Client;
}

/** A client the API answered in full (create, update, get): nothing is left to check. */
export function listedFromFull(client: OAuth2Client): ListedClient {
  return { client_id: client.client_id, client_name: client.client_name, grant_types: client.grant_types, public: client.public, details: () => client };
}
