import { GRANT_TYPES, PERSONS_MAX_LIMIT } from './contract';
import type { FieldProblem } from './errors';
import type { ListPersonsQuery } from './schemas';
import { redirectUriProblem } from './redirectUri';
import { validateCustomClaims } from '../tokens/claims';

/**
 * Checks of request bodies before they are sent: the rules SlashID enforces with a 400, caught early
 * with a message per field. Each function returns every problem found (empty: fine). Pure: no I/O.
 */

const CLIENT_FIELDS = [
  'client_name',
  'scopes',
  'grant_types',
  'access_token_duration',
  'refresh_token_duration',
  'redirect_uris',
  'public',
];
const UPDATE_FIELDS = CLIENT_FIELDS.filter((f) => f !== 'public');
const MINT_FIELDS = ['person_id', 'client_id', 'scopes', 'custom_claims'];
/** A handle as `GET /persons?handle=` takes it: one of the spec's `PersonHandleType`s, a colon, a value. */
const PERSON_HANDLE = /^(?:email_address|phone_number|username):.+$/s;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function unknownFields(body: Record<string, unknown>, allowed: readonly string[], problems: FieldProblem[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      problems.push({ field: key, message: 'is not a field of this request' });
    }
  }
}

function checkNonEmptyString(value: unknown, field: string, problems: FieldProblem[]): void {
  if (typeof value !== 'string') {
    problems.push({ field, message: 'must be a string' });
  } else if (value.trim().length === 0) {
    problems.push({ field, message: 'must not be empty' });
  }
}

function checkScopes(value: unknown, field: string, problems: FieldProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ field, message: 'must be a list of scopes' });
    return;
  }
  value.forEach((scope: unknown, i) => {
    if (typeof scope !== 'string' || scope.length === 0) {
      problems.push({ field: `${field}[${i}]`, message: 'must be a non-empty string' });
    } else if (/\s/.test(scope)) {
      problems.push({ field: `${field}[${i}]`, message: `must not contain spaces ("${scope}": give each scope separately)` });
    }
  });
}

function checkGrantTypes(value: unknown, problems: FieldProblem[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ field: 'grant_types', message: `must list at least one of ${GRANT_TYPES.join(', ')}` });
    return;
  }
  value.forEach((grant: unknown, i) => {
    if (typeof grant !== 'string' || !(GRANT_TYPES as readonly string[]).includes(grant)) {
      problems.push({
        field: `grant_types[${i}]`,
        message: `must be ${GRANT_TYPES.join(' or ')} (got ${JSON.stringify(grant) ?? String(grant)})`,
      });
    }
  });
}

function checkRedirectUris(value: unknown, problems: FieldProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ field: 'redirect_uris', message: 'must be a list of URIs' });
    return;
  }
  value.forEach((uri: unknown, i) => {
    const field = `redirect_uris[${i}]`;
    if (typeof uri !== 'string') {
      problems.push({ field, message: 'must be a string' });
      return;
    }
    const problem = redirectUriProblem(uri);
    if (problem !== undefined) {
      problems.push({ field, message: problem });
    }
  });
}

function checkDuration(value: unknown, field: string, problems: FieldProblem[]): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    problems.push({ field, message: 'must be a positive whole number of seconds' });
  }
}

function checkClientFields(body: Record<string, unknown>, problems: FieldProblem[]): void {
  if ('client_name' in body) {
    checkNonEmptyString(body.client_name, 'client_name', problems);
  }
  if ('scopes' in body) {
    checkScopes(body.scopes, 'scopes', problems);
  }
  if ('grant_types' in body) {
    checkGrantTypes(body.grant_types, problems);
  }
  if ('redirect_uris' in body) {
    checkRedirectUris(body.redirect_uris, problems);
  }
  for (const field of ['access_token_duration', 'refresh_token_duration'] as const) {
    if (field in body) {
      checkDuration(body[field], field, problems);
    }
  }
  if ('public' in body && typeof body.public !== 'boolean') {
    problems.push({ field: 'public', message: 'must be true or false' });
  }
  // The authorization code grant redirects to one of the client's URIs: it cannot work without one.
  if (Array.isArray(body.grant_types) && body.grant_types.includes('authorization_code') && 'redirect_uris' in body) {
    if (Array.isArray(body.redirect_uris) && body.redirect_uris.length === 0) {
      problems.push({ field: 'redirect_uris', message: 'needs at least one URL for the authorization_code grant' });
    }
  }
}

/** `POST /oauth2/clients`: name, scopes and grant types required; the rest checked when present. */
export function validateCreateClient(body: unknown): FieldProblem[] {
  if (!isPlainObject(body)) {
    return [{ field: '(body)', message: 'must be an object' }];
  }
  const problems: FieldProblem[] = [];
  unknownFields(body, CLIENT_FIELDS, problems);
  for (const field of ['client_name', 'scopes', 'grant_types']) {
    if (!(field in body) || body[field] === undefined) {
      problems.push({ field, message: 'is required' });
    }
  }
  checkClientFields(body, problems);
  if (
    Array.isArray(body.grant_types) &&
    body.grant_types.includes('authorization_code') &&
    !('redirect_uris' in body && body.redirect_uris !== undefined)
  ) {
    problems.push({ field: 'redirect_uris', message: 'needs at least one URL for the authorization_code grant' });
  }
  return problems;
}

/** `PATCH /oauth2/clients/{id}`: at least one field; each present field follows the create rules. */
export function validateUpdateClient(body: unknown): FieldProblem[] {
  if (!isPlainObject(body)) {
    return [{ field: '(body)', message: 'must be an object' }];
  }
  const problems: FieldProblem[] = [];
  unknownFields(body, UPDATE_FIELDS, problems);
  const present = Object.keys(body).filter((k) => body[k] !== undefined);
  if (present.length === 0) {
    problems.push({ field: '(body)', message: `must change at least one of ${UPDATE_FIELDS.join(', ')}` });
  }
  checkClientFields(body, problems);
  return problems;
}

/**
 * `POST /oauth2/tokens/mint`. Custom claims are checked by `src/tokens/claims.ts` (the same rules the
 * minter applies while typing: reserved names, `__proto__`-like keys at any depth, size).
 */
export function validateMintTokens(body: unknown): FieldProblem[] {
  if (!isPlainObject(body)) {
    return [{ field: '(body)', message: 'must be an object' }];
  }
  const problems: FieldProblem[] = [];
  unknownFields(body, MINT_FIELDS, problems);
  checkNonEmptyString(body.person_id, 'person_id', problems);
  checkNonEmptyString(body.client_id, 'client_id', problems);
  if (body.scopes !== undefined) {
    checkScopes(body.scopes, 'scopes', problems);
  }
  if (body.custom_claims !== undefined) {
    if (!isPlainObject(body.custom_claims)) {
      problems.push({ field: 'custom_claims', message: 'must be a JSON object such as {"team": "blue"}' });
    } else {
      let text: string;
      try {
        text = JSON.stringify(body.custom_claims);
      } catch {
        problems.push({ field: 'custom_claims', message: 'must be plain JSON (no cycles, no BigInt)' });
        return problems;
      }
      for (const p of validateCustomClaims(text).problems) {
        problems.push({ field: p.claim !== undefined ? `custom_claims.${p.claim}` : 'custom_claims', message: p.message });
      }
    }
  }
  return problems;
}

/** `GET /persons` query. */
export function validateListPersons(query: ListPersonsQuery | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (query?.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > PERSONS_MAX_LIMIT)) {
    problems.push({ field: 'limit', message: `must be a whole number from 1 to ${PERSONS_MAX_LIMIT}` });
  }
  if (query?.offset !== undefined && (!Number.isSafeInteger(query.offset) || query.offset < 0)) {
    problems.push({ field: 'offset', message: 'must be a whole number, 0 or more' });
  }
  if (query?.filter !== undefined && typeof query.filter !== 'string') {
    problems.push({ field: 'filter', message: 'must be a string' });
  }
  if (query?.handle !== undefined && (typeof query.handle !== 'string' || !PERSON_HANDLE.test(query.handle))) {
    problems.push({ field: 'handle', message: 'must be email_address:…, phone_number:… or username:…' });
  }
  return problems;
}
