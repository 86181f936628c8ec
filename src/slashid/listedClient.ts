import { SchemaError, type OperationContext } from './errors';
import { describeSchemaIssue, formatIssuePath } from './schemaIssues';
import { OAuth2ClientSchema, type OAuth2Client, type OAuth2ClientRow } from './schemas';

/** Where a listed client came from, for the message when its details do not check. */
export interface ListedAt {
  /** Its index in the list's `result`. */
  readonly index: number;
  readonly context: OperationContext;
}

/**
 * A client of `GET /oauth2/clients`. Its row fields (what a tree item or a picker shows) were checked
 * with the list; every other field is checked against `OAuth2ClientSchema` when `details()` is first
 * called, and a problem there names the field (`result[12].scopes`) and belongs to this client only:
 * the rest of the list stays usable.
 */
export class ListedClient implements OAuth2ClientRow {
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
    private readonly listedAt: ListedAt | undefined,
  ) {
    this.client_id = row.client_id;
    this.client_name = row.client_name;
    this.grant_types = row.grant_types;
    this.public = row.public;
    this.raw = raw;
  }

  /** A client the API answered in full (create, update, get): nothing is left to check. */
  static of(client: OAuth2Client): ListedClient {
    const listed = new ListedClient(client, undefined, undefined);
    listed.checked = client;
    return listed;
  }

  /** Every field of the client. Throws a `SchemaError` naming the field when the listed JSON does not fit. */
  details(): OAuth2Client {
    if (this.checked) {
      return this.checked;
    }
    const parsed = OAuth2ClientSchema.safeParse(this.raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = this.listedAt ? ['result', this.listedAt.index, ...issue.path] : issue.path;
      throw new SchemaError(formatIssuePath(path), describeSchemaIssue(issue, this.raw), parsed.error.issues.length, this.listedAt?.context);
    }
    this.checked = parsed.data;
    this.raw = undefined;
    return parsed.data;
  }
}
