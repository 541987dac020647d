// Calls a handler the way API Gateway or EventBridge would, from the real-shaped fixtures.
import { unwrapEvent } from '../../functions/shared/events.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteKey } from '../../infra/wiring.js';
import { eventBridgeEvent, httpEvent, lambdaContext } from './fixtures.js';

type HttpLambda = (event: never, context: never) => Promise<unknown>;

export interface RouteCall {
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** JWT claims as the authorizer passes them; omit for a public call. */
  claims?: Record<string, unknown>;
}

export const coordinatorClaims = (email = 'kaisa@example.fi') => ({
  sub: `sub-${email}`,
  email,
  // As API Gateway hands claims over: every value a string.
  email_verified: 'true',
  'cognito:groups': '[coordinators]',
  token_use: 'id',
});

export async function callRoute(handler: HttpLambda, routeKey: RouteKey, call: RouteCall = {}) {
  const [method, template] = routeKey.split(' ') as [string, string];
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(call.path?.[name] ?? ''));
  const rawQueryString = new URLSearchParams(call.query ?? {}).toString();
  const event = httpEvent('http-api-apply', {
    routeKey,
    rawPath,
    rawQueryString,
    headers: { 'content-type': 'application/json', host: 'localhost:3000', ...call.headers },
    pathParameters: call.path,
    queryStringParameters: call.query,
    body: call.body === undefined ? '' : call.body,
    claims: call.claims ?? null,
  });
  event.requestContext.http = { ...event.requestContext.http, method, path: rawPath };
  event.requestContext.routeKey = routeKey;
  const result = (await handler(event as never, lambdaContext as never)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode ?? 200,
    body: result.body ? JSON.parse(result.body) : undefined,
    headers: result.headers ?? {},
  };
}

export function busEvent<D>(detailType: string, source: string, detail: D, id = crypto.randomUUID()) {
  const event = eventBridgeEvent<D>('eventbridge-application-received');
  return { ...event, id, 'detail-type': detailType, source, detail };
}

/**
 * The detail of an event seen on the bus, as its handlers read it: events relayed from the outbox
 * carry it as a DynamoDB map inside the relay's envelope (functions/shared/events.ts unwrapEvent).
 */
export function detailOf<D = Record<string, unknown>>(event: { id: string; time: string; detail: unknown }): D {
  return unwrapEvent(event as never).detail as D;
}
