// Translation between node:http and API Gateway HTTP API payload format 2.0: the event a Lambda
// integration receives, and writing the structured result it returns back as an HTTP response.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { now } from '../functions/shared/clock.js';
import { localAccountId } from './aws-env.js';

export interface HttpApiEventInput {
  req: IncomingMessage;
  routeKey: string;
  pathParameters: Record<string, string>;
  body: Buffer;
  requestId: string;
  /** Claims from the JWT authorizer, for routes that have one. */
  claims?: Record<string, string>;
}

export const localApiId = 'local';

/** An API Gateway-style request id (they are short base64 strings, e.g. "JKJaXmPLvHcESHA="). */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

/** The payload-2.0 event API Gateway would send for this request. */
export function toHttpApiEvent(input: HttpApiEventInput): APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer {
  const { req } = input;
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const host = req.headers.host ?? 'localhost';
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const at = now();

  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    // Cookies travel in `cookies`; API Gateway joins repeated headers with commas.
    if (name === 'cookie' || values === undefined) continue;
    headers[name] = values.join(',');
  }
  // Headers API Gateway adds on its way to the integration.
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] ??= 'http';

  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const queryStringParameters = parseQuery(rawQueryString);
  const textBody = isTextContentType(headers['content-type']);
  // A "text" body that is not UTF-8 goes base64-encoded, as bytes, so the handler can refuse it
  // instead of reading U+FFFD where the bad bytes were.
  const asText = textBody && isUtf8(input.body);

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: localAccountId,
      apiId: localApiId,
      // Keeps the port, unlike AWS's bare domain, so handlers building links from it get working ones.
      domainName: host,
      domainPrefix: host.split(/[.:]/)[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: apiGatewayTime(at),
      timeEpoch: at.getTime(),
    },
    ...(Object.keys(input.pathParameters).length > 0 ? { pathParameters: input.pathParameters } : {}),
    ...(input.body.length > 0 ? { body: input.body.toString(asText ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: input.body.length > 0 && !asText,
  };
  if (!input.claims) return event;
  const authorizer: APIGatewayEventRequestContextJWTAuthorizer = {
    jwt: { claims: input.claims, scopes: null },
    principalId: '',
    integrationLatency: 0,
  };
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
}

/**
 * Writes what a handler returned the way API Gateway does: a structured result as given; anything
 * else (an object without statusCode, a string) as a 200 JSON body.
 */
export function writeHandlerResult(res: ServerResponse, result: unknown, extraHeaders: Record<string, string>): void {
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : {
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: typeof result === 'string' ? result : (JSON.stringify(result) ?? ''),
        };
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > 0) headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(body.length);
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(body);
}

/** Decoded query parameters; repeated names are joined with commas, as API Gateway does. */
function parseQuery(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const params: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Text bodies are passed as they are; anything else arrives base64-encoded with isBase64Encoded true. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    /^application\/([\w.-]+\+)?(json|xml)$/.test(type) ||
    ['application/javascript', 'application/x-www-form-urlencoded', 'application/graphql'].includes(type)
  );
}

/** "12/Mar/2020:19:03:58 +0000", the format of requestContext.time. */
function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}
