import type { OrgTarget } from '../orgs/orgTarget';
import type { CreateClientRequest } from '../slashid/schemas';

/**
 * What a confirmation showed and the user agreed to: the organization (its connection as it was then), the
 * client ID it named, and for a create the exact request body. The write runs against this, never against
 * what the input would name by the time it runs.
 */
export interface ConfirmedTarget {
  readonly target: OrgTarget;
  readonly clientId?: string;
  readonly request?: CreateClientRequest;
}

/** The confirmations shown for one call's input that are still unused: a run takes the one it acts on. */
export interface Confirmed {
  /** Removes and returns the first confirmation `matches` accepts; undefined when none does. */
  take(matches: (confirmed: ConfirmedTarget) => boolean): ConfirmedTarget | undefined;
}

/**
 * The same organization as confirmed: the same connection (ID, API URL and when it was connected: a
 * reconnected org is another one) and the same org ID.
 */
export function sameTarget(a: OrgTarget, b: OrgTarget): boolean {
  return (
    a.orgId === b.orgId &&
    a.connection.id === b.connection.id &&
    a.connection.baseUrl === b.connection.baseUrl &&
    a.connection.addedAt === b.connection.addedAt
  );
}

/** The most confirmations kept per tool (one per call VS Code prepared and has not run yet). */
const MAX_PENDING = 50;

/**
 * One tool's confirmations, by the call's checked input: VS Code calls `prepareInvocation` (which records
 * what its confirmation named) and then `invoke` with the same input, without any ID linking the two.
 */
export class ConfirmedCalls {
  private readonly pending: { key: string; confirmed: ConfirmedTarget }[] = [];

  remember(input: unknown, confirmed: ConfirmedTarget): void {
    this.pending.push({ key: JSON.stringify(input), confirmed });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  forInput(input: unknown): Confirmed {
    const key = JSON.stringify(input);
    return {
      take: (matches) => {
        const index = this.pending.findIndex((p) => p.key === key && matches(p.confirmed));
        return index < 0 ? undefined : this.pending.splice(index, 1)[0].confirmed;
      },
    };
  }
}

/** The refusal of a write whose organization or client is no longer the one its confirmation named. */
export function notAsConfirmed(name: string, what: string): string {
  return `${name} did not run because ${what} is not the one the confirmation named (it changed, or no confirmation was shown for it); nothing was sent. Ask again to see a new confirmation.`;
}
