import { SchemaError, type OperationContext } from './errors';
import type { ListedClient } from './listedClient';
import { describeSchemaIssue, formatIssuePath } from './schemaIssues';
import { OAuth2ClientSchema, type OAuth2Client, type OAuth2ClientRow } from './schemas';

/** Where a listed client came from, for the message when its details do not check. */
export interface ListedAt {
  /** Its index in the list's `result`. */
  readonly index: number;
  readonly context: OperationContext;
}

/**
 * A client of `GET /oauth2/clients` as `SlashIdClient.listClients()` returns it: its row fields were
 * checked with the list; every other field is checked against `OAuth2ClientSchema` when `details()` is
 * first called, and a problem there names the field (`result[12].scopes`) and belongs to this client
 * only: the rest of the list stays usable.
 */
export class ClientOfList implements ListedClient {
  readonly client_id: string;
  readonly client_name: string;
  readonly grant_types: string[];
  readonly public: boolean;
  private raw: unknown;
  private checked: OAuth2Client | undefined;

  constructor(
    row: OAuth2ClientRow,
    /** The client's JSON as listed, checked on first use. */
    raw: unknown,
    private readonly listedAt: ListedAt,
  ) {
    this.client_id = row.client_id;
    this.client_name = row.client_name;
    this.grant_types = row.grant_types;
    this.public = row.public;
    this.raw = raw;
  }

  /** Every field of the client. Throws a `SchemaError` naming the field when the listed JSON does not fit. */
  details(): OAuth2Client {
    if (this.checked) {
      return this.checked;
    }
    const parsed = OAuth2ClientSchema.safeParse(this.raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SchemaError(formatIssuePath(['result', this.listedAt.index, ...issue.path]), describeSchemaIssue(issue, this.raw), parsed.error.issues.length, this.listedAt.context);
    }
    this.checked = parsed.data;
    this.raw = undefined;
    return parsed.data;
  }
}
