// The local-only routes of the HTTP API (they do not exist on AWS): tokens, the clock, dead letters
// and an index. Each takes a parsed request and returns a status and a JSON body.
import * as z from 'zod';
import { advanceClock, now, setClock } from '../functions/shared/clock.js';
import { codeOf } from '../functions/shared/error-messages.js';
import { issuerPath, jwksPath, type LocalAuth } from './auth.js';
import { parseDuration } from './duration.js';
import type { LocalEventBus } from './event-bus.js';
import { settle as settleEvents } from './event-flow.js';
import type { Scheduler, ScheduleRun } from './scheduler.js';
import type { StreamRelay } from './stream-relay.js';
import { FaultRules, type Faults } from './faults.js';

export interface DevRequest {
  /** The body parsed as JSON; undefined for an empty body. */
  json: unknown;
}

export interface DevResponse {
  status: number;
  body: unknown;
}

export type DevRoute = (request: DevRequest) => Promise<DevResponse>;

export interface DevRouteDeps {
  auth: LocalAuth;
  bus?: LocalEventBus;
  relay?: StreamRelay;
  faults?: Faults;
  scheduler?: Scheduler;
  /** What GET / lists. */
  index: () => unknown;
}

/** API.md's error body. */
export function errorBody(code: string, message: string, issues?: { path: string; message: string }[]) {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

const TokenRequest = z
  .object({
    role: z.enum(['coordinator', 'tutor', 'admin']),
    email: z.email(),
  })
  .strict();

const ClockRequest = z
  .object({
    advanceBy: z.string().optional(),
    set: z.iso.datetime({ offset: true }).optional(),
    /** Moving the clock back can make stored data inconsistent, so it must be asked for. */
    allowBackwards: z.boolean().optional(),
  })
  .strict()
  .refine((body) => (body.advanceBy === undefined) !== (body.set === undefined), {
    message: 'give exactly one of advanceBy (ISO 8601 duration, e.g. "PT48H") or set (ISO time with offset)',
  });

const ReplayRequest = z.object({ ids: z.array(z.string()).min(1).optional() }).strict();

/**
 * The user pool's public endpoints, as Cognito serves them under its issuer URL: the key set that
 * verifies tokens (fetched by handlers through functions/shared/bearer.ts) and the discovery document.
 */
export function issuerRoutes(auth: LocalAuth): Record<string, DevRoute> {
  return {
    [`GET ${issuerPath}${jwksPath}`]: async () => ({ status: 200, body: auth.jwks }),
    [`GET ${issuerPath}/.well-known/openid-configuration`]: async () => ({
      status: 200,
      body: {
        issuer: auth.issuer,
        jwks_uri: `${auth.issuer}${jwksPath}`,
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['none'],
        claims_supported: ['sub', 'email', 'email_verified', 'cognito:groups', 'cognito:username', 'token_use'],
      },
    }),
  };
}

export function devRoutes(deps: DevRouteDeps): Record<string, DevRoute> {
  const invalid = (error: z.ZodError): DevResponse => ({
    status: 400,
    body: errorBody('invalid_request', 'The request is not valid', toIssues(error)),
  });

  return {
    'GET /': async () => ({ status: 200, body: deps.index() }),

    'POST /dev/token': async ({ json }) => {
      const parsed = TokenRequest.safeParse(json);
      if (!parsed.success) return invalid(parsed.error);
      const token = await deps.auth.issueToken(parsed.data);
      return { status: 200, body: { token } };
    },

    'GET /dev/clock': async () => ({ status: 200, body: { now: now().toISOString() } }),

    'POST /dev/clock': async ({ json }) => {
      const parsed = ClockRequest.safeParse(json);
      if (!parsed.success) return invalid(parsed.error);
      const { advanceBy, set, allowBackwards } = parsed.data;
      if (advanceBy !== undefined) {
        const ms = parseDuration(advanceBy);
        if (ms === undefined) {
          return {
            status: 400,
            body: errorBody('invalid_request', 'The request is not valid', [
              {
                path: 'advanceBy',
                message: 'not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. "PT48H", "P14D")',
              },
            ]),
          };
        }
        advanceClock(ms);
      } else if (set !== undefined) {
        const target = new Date(set);
        if (target < now() && !allowBackwards) {
          return {
            status: 409,
            body: errorBody(
              'clock_backwards',
              `${set} is before the current local time ${now().toISOString()}; add "allowBackwards": true to go back`,
            ),
          };
        }
        setClock(target);
      }
      return settle(deps);
    },

    // Faults on demand (API.md "Local only: faults"): the body replaces the active rules.
    'POST /dev/faults': async ({ json }) => {
      if (!deps.faults) return noFaults();
      const parsed = FaultRules.safeParse(json);
      if (!parsed.success) return invalid(parsed.error);
      deps.faults.set(parsed.data);
      return { status: 200, body: deps.faults.list() };
    },

    'GET /dev/faults': async () => {
      if (!deps.faults) return noFaults();
      return { status: 200, body: deps.faults.list() };
    },

    'DELETE /dev/faults': async () => {
      if (!deps.faults) return noFaults();
      deps.faults.clear();
      return { status: 200, body: [] };
    },

    'GET /dev/dead-letters': async () => {
      if (!deps.bus) return noBus();
      return { status: 200, body: { deadLetters: deps.bus.listDeadLetters() } };
    },

    'POST /dev/dead-letters/replay': async ({ json }) => {
      if (!deps.bus) return noBus();
      const parsed = ReplayRequest.safeParse(json ?? {});
      if (!parsed.success) return invalid(parsed.error);
      const result = await deps.bus.replayDeadLetters(parsed.data.ids);
      // Replayed handlers may write further events; answer when those are handled too.
      await settleEvents(deps.bus, deps.relay);
      return { status: 200, body: result };
    },
  };
}

/** After the clock moved: run every schedule, wait for the events they caused, report. */
async function settle(deps: DevRouteDeps): Promise<DevResponse> {
  const deadBefore = new Set(deps.bus?.listDeadLetters().map((entry) => entry.id));
  const runs = deps.scheduler ? await deps.scheduler.runDueNow() : [];
  if (deps.bus) await settleEvents(deps.bus, deps.relay);
  const deadLettered = (deps.bus?.listDeadLetters() ?? []).filter((entry) => !deadBefore.has(entry.id)).map((entry) => entry.id);
  const schedules = runs.map(describeRun);
  const relayProblem = deps.relay?.lastProblem();
  // Events still waiting in the table's stream because the bus refused them (a fault rule, say).
  const body = { now: now().toISOString(), schedules, deadLettered, ...(relayProblem ? { undelivered: relayProblem } : {}) };
  const failed = runs.filter((run) => !run.ok);
  if (failed.length === 0) return { status: 200, body };
  // The clock has moved either way; a loud 500 keeps a failing schedule from hiding behind later assertions.
  return {
    status: 500,
    body: {
      ...errorBody('schedule_failed', failed.map((run) => `${run.rule} (${run.handler}): ${errorMessage(run.error)}`).join('; ')),
      ...body,
    },
  };
}

function describeRun(run: ScheduleRun) {
  return {
    rule: run.rule,
    handler: run.handler,
    ok: run.ok,
    durationMs: run.durationMs,
    ...(run.ok ? {} : { error: errorMessage(run.error) }),
  };
}

function noFaults(): DevResponse {
  return { status: 503, body: errorBody('service_unavailable', 'This local API was started without fault proxies') };
}

function noBus(): DevResponse {
  return { status: 503, body: errorBody('service_unavailable', 'No event bus is attached to this local API') };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function toIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), ...codeOf(issue), message: issue.message }));
}
