import { z } from 'zod';
import { redirectUriProblem } from '../src/slashid/redirectUri';

/** The grant types SlashID accepts on create and update. */
export const ALLOWED_GRANT_TYPES = ['client_credentials', 'authorization_code'] as const;

export const DEFAULT_ACCESS_TOKEN_DURATION = 86400;
export const DEFAULT_REFRESH_TOKEN_DURATION = 864000;

const duration = z
  .number({ error: 'must be a positive integer number of seconds' })
  .int('must be a positive integer number of seconds')
  .positive('must be a positive integer number of seconds')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

const grantTypes = z
  .array(
    z.enum(ALLOWED_GRANT_TYPES, {
      error: (issue) => `${JSON.stringify(issue.input)} is not an allowed grant type (use client_credentials or authorization_code)`,
    }),
    { error: 'must be an array of grant types' },
  )
  .min(1, 'must contain at least one grant type')
  .transform((list) => [...new Set(list)]);

const scopes = z
  .array(
    z
      .string({ error: 'must be a string' })
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a non-empty scope token without spaces or quotes'),
    {
      error: 'must be an array of scope strings',
    },
  )
  .transform((list) => [...new Set(list)]);

/** An absolute URI without a fragment, never of a scheme a browser must not be sent to (contract.ts). */
const redirectUri = z.string({ error: 'must be a string' }).check((ctx) => {
  const problem = redirectUriProblem(ctx.value);
  if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/** The writable fields of an OAuth2 client, each validated as SlashID documents it. */
export const clientFieldsSchema = z.object({
  client_name: z
    .string({ error: 'is required and must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters'),
  grant_types: grantTypes,
  scopes,
  public: z.boolean({ error: 'must be true or false' }),
  access_token_duration: duration,
  refresh_token_duration: duration,
  redirect_uris: z.array(redirectUri, { error: 'must be an array of URIs' }),
});

/** `POST /oauth2/clients`: name, scopes and grant types are required. */
export const createClientSchema = clientFieldsSchema.extend({
  public: clientFieldsSchema.shape.public.default(false),
  access_token_duration: duration.default(DEFAULT_ACCESS_TOKEN_DURATION),
  refresh_token_duration: duration.default(DEFAULT_REFRESH_TOKEN_DURATION),
  redirect_uris: clientFieldsSchema.shape.redirect_uris.default([]),
});

/** `PATCH /oauth2/clients/{id}`: any of the fields except `public`. */
export const updateClientSchema = clientFieldsSchema.omit({ public: true }).partial();
