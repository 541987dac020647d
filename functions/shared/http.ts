// The HTTP edge every API handler shares: role check, body/path/query validation with the zod
// contracts, and the mapping of errors to API.md's JSON error answers, as a middy stack.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ErrorBody } from '../../schemas/api/errors.js';
import { routeContracts, type RouteContract, type RouteContracts } from '../../schemas/api/routes.js';
import { httpRoutes, roleGroups, type HttpRoute, type RouteKey } from '../../infra/wiring.js';
import { isServiceUnavailable } from './aws.js';
import { codeOf, errorMessage, languageOf, localiseIssues, type MessageLanguage } from './error-messages.js';
import { withActor } from './actor.js';
import { verifyBearer } from './bearer.js';
import { correlationId, withCorrelation } from './correlation.js';
import {
  AppError,
  ForbiddenError,
  InvalidJsonError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  EmailNotVerifiedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type Issue,
} from './errors.js';
import { logger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Bodies are small forms; anything larger is a mistake or an attack. */
export const maxBodyBytes = 64 * 1024;

/**
 * Who is calling. An admin on a coordinator's route acts as a coordinator (`admin: true`), so every
 * coordinator check holds for them; on an admin route the role is `admin`.
 */
export type Caller =
  | { role: 'public' }
  | { role: 'coordinator'; email: string; subject: string; admin?: true }
  | { role: 'tutor' | 'admin'; email: string; subject: string };

export interface ParsedRequest<R extends RouteKey> {
  body: Parsed<RouteContracts[R], 'body'>;
  path: Parsed<RouteContracts[R], 'path'>;
  query: Parsed<RouteContracts[R], 'query'>;
  caller: Caller;
  event: HttpEvent;
}

type Parsed<C, K extends 'body' | 'path' | 'query'> = C extends { [P in K]: infer S extends z.ZodType } ? z.infer<S> : undefined;

/**
 * Builds the Lambda handler for one route of the wiring table. The role comes from the table and
 * the schemas from the route's contract, so the route, its guard and its validation cannot drift.
 */
export function httpHandler<R extends RouteKey>(routeKey: R, run: (request: ParsedRequest<R>) => Promise<HttpResult>) {
  const route: HttpRoute = httpRoutes[routeKey];
  const contract: RouteContract = routeContracts[routeKey];
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(jsonErrors())
    .handler(async (event) =>
      withCorrelation(event.headers?.['x-correlation-id'] ?? event.requestContext?.requestId, async () => {
        const caller = await authorize(event, route);
        const request = {
          caller,
          event,
          path: parseWith(contract.path, event.pathParameters ?? {}),
          query: parseWith(contract.query, event.queryStringParameters ?? {}),
          body: contract.body ? parseWith(contract.body, readJsonBody(event, (contract.maxBodyKiB ?? 64) * 1024)) : undefined,
        } as ParsedRequest<R>;
        const actor =
          caller.role === 'public' || !caller.email ? { role: caller.role } : { role: caller.role, email: caller.email };
        const result = await withActor(actor, () => run(request));
        return { ...result, headers: { ...result.headers, 'x-correlation-id': correlationId() ?? '' } };
      }),
    );
}

/** A JSON answer. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

async function authorize(event: HttpEvent, route: HttpRoute): Promise<Caller> {
  const { role } = route;
  if (role === 'public') {
    const authorization = event.headers?.authorization;
    if (!route.acceptsBearer?.length || !authorization) return { role: 'public' };
    const claims = await verifyBearer(authorization);
    const signedIn = route.acceptsBearer.find((r) => groupsOf(claims).includes(roleGroups[r]));
    if (!signedIn)
      throw new ForbiddenError(`This route takes a bearer token only for the ${route.acceptsBearer.join(' or ')} role`);
    return callerFrom(signedIn, claims);
  }
  const claims = event.requestContext.authorizer?.jwt?.claims;
  // On AWS the JWT authorizer has already verified the token; no claims means no token reached us.
  if (!claims) throw new UnauthorizedError('A bearer token is required for this route');
  // The route's own role first, so that someone in both groups acts in the route's role.
  const allowed = [role, ...(route.alsoFor ?? [])];
  const groups = groupsOf(claims);
  const signedIn = allowed.find((r) => groups.includes(roleGroups[r]));
  if (signedIn) return callerFrom(signedIn, claims);
  // An admin may do whatever a coordinator may, everywhere.
  if (allowed.includes('coordinator') && groups.includes(roleGroups.admin)) {
    return { ...(callerFrom('coordinator', claims) as Extract<Caller, { role: 'coordinator' }>), admin: true };
  }
  throw new ForbiddenError(`This route is for the ${allowed.join(' or ')} role`);
}

function callerFrom(role: Exclude<Caller['role'], 'public'>, claims: Record<string, unknown>): Caller {
  // A tutor is found by this address and staff actions are recorded under it, so only an address
  // the user pool has verified counts (API Gateway hands boolean claims over as strings).
  if (claims.email_verified !== true && claims.email_verified !== 'true') {
    throw new EmailNotVerifiedError('Your email address is not verified; verify it, then sign in again');
  }
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  return { role, email, subject: String(claims.sub ?? '') };
}

/** API Gateway hands array claims over as a string like "[coordinators tutors]"; local tokens as arrays. */
function groupsOf(claims: Record<string, unknown>): string[] {
  const raw = claims['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string')
    return raw
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

function readJsonBody(event: HttpEvent, limitBytes = maxBodyBytes): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? decodeUtf8(Buffer.from(raw, 'base64')) : raw;
  if (Buffer.byteLength(text, 'utf8') > limitBytes) {
    throw new PayloadTooLargeError(`The body is larger than ${limitBytes / 1024} KiB`);
  }
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as JSON with Content-Type: application/json');
  }
  if (text.trim() === '') {
    throw new InvalidJsonError('The body is empty; a JSON object is required', {
      issues: [{ path: '', code: 'invalid_json', message: 'a JSON object is required' }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidJsonError('The body is not valid JSON', {
      cause: error,
      issues: [{ path: '', code: 'invalid_json', message: detail }],
    });
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's text; bytes that are not UTF-8 are refused rather than stored as U+FFFD. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw new InvalidJsonError('The body is not valid UTF-8', {
      cause: error,
      issues: [{ path: '', code: 'not_utf8', message: 'the body must be UTF-8 encoded text' }],
    });
  }
}

function parseWith<S extends z.ZodType | undefined>(schema: S, input: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError('The request is not valid', { cause: result.error, issues: toIssues(result.error, input) });
}

/** zod issues as API.md's `issues`: dotted paths (`contact.email`, `themes.0`), stable codes, English messages. */
export function toIssues(error: z.ZodError, input?: unknown): (Issue & { code: string })[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const coded = arguments.length > 1 ? codeOf(issue, input) : codeOf(issue);
    if (issue.code === 'unrecognized_keys') {
      return { path, ...coded, message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
    }
    return { path, ...coded, message: issue.message };
  });
}

/** The error body in the language the caller asked for (Accept-Language; English by default). */
export function errorBody(error: AppError, language: MessageLanguage = 'en'): ErrorBody {
  return {
    error: {
      code: error.code,
      message: errorMessage(error.code, error.status, error.message, language),
      ...(error.issues ? { issues: localiseIssues(error.issues, language) } : {}),
    },
  };
}

/** Maps AppErrors (and outages) to JSON answers; anything else is a fault and is rethrown for Lambda. */
function jsonErrors(): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const jsonErrorsOnError: middy.MiddlewareFn<HttpEvent, HttpResult, Error, Context> = async (request) => {
    let error = request.error;
    if (!(error instanceof AppError) && isServiceUnavailable(error)) {
      logger.warn('backing service unavailable', { error: error?.name, route: request.event.routeKey });
      error = new ServiceUnavailableError('A backing service is unavailable; please try again shortly', { cause: error });
    }
    if (!(error instanceof AppError)) return; // middy rethrows it
    const headers: Record<string, string> = error.status === 503 ? { 'retry-after': '5' } : {};
    const language = languageOf(request.event.headers?.['accept-language']);
    request.response = json(error.status, errorBody(error, language), {
      ...headers,
      'content-language': language,
      vary: 'accept-language',
    });
  };
  return { onError: jsonErrorsOnError };
}
