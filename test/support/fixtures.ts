// Loads the real-shaped event JSON in test/fixtures/events and lets a test vary it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, EventBridgeEvent } from 'aws-lambda';

const dir = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

export function loadEvent<T>(name: string): T {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as T;
}

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** An HTTP API event from a fixture, with fields replaced (body objects are serialised). */
export function httpEvent(
  name: string,
  overrides: Partial<Omit<HttpEvent, 'body'>> & { body?: unknown; claims?: Record<string, unknown> | null } = {},
): HttpEvent {
  const event = loadEvent<HttpEvent>(name);
  const { body, claims, ...rest } = overrides;
  Object.assign(event, rest);
  if (body !== undefined) event.body = typeof body === 'string' ? body : JSON.stringify(body);
  if (claims === null) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  else if (claims)
    event.requestContext.authorizer = {
      jwt: { claims: claims as never, scopes: null as never },
      principalId: '',
      integrationLatency: 0,
    };
  return event;
}

export function eventBridgeEvent<D>(name: string, detail?: Partial<D>): EventBridgeEvent<string, D> {
  const event = loadEvent<EventBridgeEvent<string, D>>(name);
  if (detail) event.detail = { ...event.detail, ...detail };
  return event;
}

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
