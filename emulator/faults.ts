import { z } from 'zod';
import type { Fault, FaultController, RouteKey } from './types';

/** Matches every API route (never the `/__emulator/*` control routes). */
export const ANY_ROUTE = '*';

export const faultSchema = z
  .object({
    delayMs: z.number().int().min(0).max(600_000).optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: z.number().int().min(0).optional(),
    drop: z.boolean().optional(),
    malformed: z.enum(['truncated', 'not-json', 'schema', 'field']).optional(),
    field: z.string().min(1).max(100).optional(),
    times: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => [f.status !== undefined, f.drop === true, f.malformed !== undefined].filter(Boolean).length <= 1, {
    message: 'give at most one of status, drop and malformed',
  })
  .refine((f) => f.retryAfter === undefined || f.status !== undefined, { message: 'retryAfter needs a status' })
  .refine((f) => (f.malformed === 'field') === (f.field !== undefined), { message: "malformed 'field' and field go together" });

export const routeKeySchema = z
  .string()
  .regex(/^(\*|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*)$/, "must be '*' or 'METHOD /path', e.g. 'GET /oauth2/clients'");

export class InvalidFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFaultError';
  }
}

interface ActiveFault {
  fault: Fault;
  remaining: number; // Infinity = until cleared
}

/** Per-route fault injection. A route's own fault wins over the `'*'` one. */
export class FaultRegistry implements FaultController {
  private readonly active = new Map<RouteKey, ActiveFault>();

  set(route: RouteKey, fault: Fault): void {
    const key = routeKeySchema.safeParse(route);
    if (!key.success) {
      throw new InvalidFaultError(`Invalid fault route ${JSON.stringify(route)}: ${key.error.issues[0]?.message ?? 'invalid'}`);
    }
    const parsed = faultSchema.safeParse(fault);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidFaultError(`Invalid fault for ${route}: ${issue?.path.join('.') || 'fault'}: ${issue?.message ?? 'invalid'}`);
    }
    this.active.set(route, { fault: parsed.data, remaining: parsed.data.times ?? Infinity });
  }

  clear(route?: RouteKey): void {
    if (route === undefined) this.active.clear();
    else this.active.delete(route);
  }

  /** The fault to apply to one request on `route` (counting it against `times`), if any. */
  take(route: RouteKey): Fault | undefined {
    const key = this.active.has(route) ? route : this.active.has(ANY_ROUTE) ? ANY_ROUTE : undefined;
    if (key === undefined) return undefined;
    const entry = this.active.get(key)!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active.delete(key);
    return entry.fault;
  }
}

/**
 * A broken version of an answer body: `truncated` cuts valid JSON in half; `not-json` is an HTML error
 * page; `schema` is valid JSON of the wrong shape (an enveloped `result` or a plain body becomes an
 * array where an object was expected, or an object where an array was expected); `field` keeps the
 * answer but turns `field` of the first item of `result` (or of the body itself) into the number 42.
 */
export function malformBody(kind: NonNullable<Fault['malformed']>, body: unknown, field = ''): { text: string; contentType: string } {
  switch (kind) {
    case 'truncated': {
      const full = body === undefined ? '{"result":{"truncated":true}}' : JSON.stringify(body);
      return { text: full.slice(0, Math.max(1, Math.floor(full.length / 2))), contentType: 'application/json' };
    }
    case 'not-json':
      return {
        text: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
        contentType: 'text/html; charset=utf-8',
      };
    case 'schema': {
      const wrong = (value: unknown): unknown =>
        Array.isArray(value) ? { unexpected: 'object instead of array' } : ['unexpected array instead of object'];
      if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'result' in body) {
        return { text: JSON.stringify({ ...body, result: wrong(body.result) }), contentType: 'application/json' };
      }
      return { text: JSON.stringify(wrong(body)), contentType: 'application/json' };
    }
    case 'field': {
      const copy = JSON.parse(JSON.stringify(body ?? {})) as { result?: unknown };
      const holder: unknown = copy !== null && typeof copy === 'object' && 'result' in copy ? copy.result : copy;
      const target: unknown = Array.isArray(holder) ? holder[0] : holder;
      if (target !== null && typeof target === 'object') {
        (target as Record<string, unknown>)[field] = 42;
      }
      return { text: JSON.stringify(copy), contentType: 'application/json' };
    }
  }
}
