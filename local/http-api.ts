// A local API Gateway HTTP API: routes requests by the wiring table, does the JWT authorizer's job on
// role routes, invokes the handler in-process with a payload-2.0 event, and serves the /dev routes.
import http from 'node:http';
import { httpRoutes, type HttpRoute } from '../infra/wiring.js';
import { buildOpenApiDocument } from '../schemas/openapi.js';
import { newRequestId, toHttpApiEvent, writeHandlerResult } from './api-event.js';
import { createLocalAuth, issuerPath, jwksPath, localIssuer, type LocalAuth, type SigningKey } from './auth.js';
import { devRoutes, errorBody, issuerRoutes, type DevRoute } from './dev-routes.js';
import { HandlerNotFoundError } from './errors.js';
import type { LocalEventBus } from './event-bus.js';
import { defaultLoadHandler, invoke, type LoadHandler } from './handlers.js';
import { readBody } from './http-body.js';
import { serveWebApp } from '../web/serve.js';
import { closeServer, listen, urlHost } from './ports.js';
import { compileRoutes, findRoute, type CompiledRoute } from './routes.js';
import type { Scheduler } from './scheduler.js';
import type { StreamRelay } from './stream-relay.js';
import type { Faults } from './faults.js';

export interface HttpApiOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Routes by route key. Default: the wiring table's httpRoutes. */
  routes?: Readonly<Record<string, HttpRoute>>;
  loadHandler?: LoadHandler;
  /**
   * Signs /dev/token tokens and verifies bearer tokens; its key set is served at
   * `/dev/issuer/.well-known/jwks.json`. Default: createLocalAuth with issuer `<url>/dev/issuer`
   * and `signingKey`. A given auth should have that issuer too, or handlers cannot find its keys.
   */
  auth?: LocalAuth;
  /** The key of the default auth. Default: a new key pair. */
  signingKey?: SigningKey;
  /**
   * The document GET /openapi.json serves (`servers` set to this API). Default: the wiring table's,
   * from schemas/openapi.ts, unless `routes` is given; false serves none.
   */
  openApi?: (() => Record<string, unknown>) | false;
  /** Lets /dev/clock wait for deliveries and /dev/dead-letters work. */
  bus?: LocalEventBus;
  /** The outbox relay feeding the bus: POST /dev/clock waits for it too. */
  relay?: StreamRelay;
  /** The fault rules of POST /dev/faults; without them the routes answer 503. */
  faults?: Faults;
  /** Lets /dev/clock run the schedules. */
  scheduler?: Scheduler;
  /** Larger bodies get 413 before anything runs. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Default 30 s, API Gateway's integration limit. */
  handlerTimeoutMs?: number;
  /** Serve the /dev routes and the GET / index. Default true. */
  devRoutes?: boolean;
  /** Extra links for the GET / index (inbox, DynamoDB, bus). */
  links?: Record<string, string>;
}

/** One answered request; start.ts logs failures from these. */
export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  routeKey?: string;
  status: number;
  durationMs: number;
  /** Set when the handler threw or could not be loaded. */
  error?: unknown;
}

export interface LocalHttpApi {
  url: string;
  port: number;
  auth: LocalAuth;
  /** `<url>/dev/issuer` unless a given auth says otherwise; the JWKS is at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  onRequest(listener: (record: RequestRecord) => void): () => void;
  stop(): Promise<void>;
}

type RouteEntry = { kind: 'lambda'; route: HttpRoute } | { kind: 'dev'; run: DevRoute };

const exposedHeaders = 'apigw-requestid, location, retry-after, www-authenticate';

export async function startHttpApi(options: HttpApiOptions = {}): Promise<LocalHttpApi> {
  const routes = options.routes ?? httpRoutes;
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const openApi = options.openApi ?? (options.routes ? false : buildOpenApiDocument);
  const listeners = new Set<(record: RequestRecord) => void>();

  // The issuer is the API's own URL, known once it listens; requests wait for the rest until then.
  let auth: LocalAuth | undefined;
  let compiled: CompiledRoute<RouteEntry>[] = [];
  const configure = (url: string) => {
    auth =
      options.auth ??
      createLocalAuth({ issuer: localIssuer(url), ...(options.signingKey ? { signingKey: options.signingKey } : {}) });
    let openApiDocument: Record<string, unknown> | undefined;
    const local: Record<string, DevRoute> = {
      ...issuerRoutes(auth),
      ...(openApi
        ? {
            'GET /openapi.json': async () => {
              openApiDocument ??= { ...openApi(), servers: [{ url, description: 'local (npm start)' }] };
              return { status: 200, body: openApiDocument };
            },
          }
        : {}),
    };
    const index = (): unknown => ({
      name: 'sparraus local HTTP API',
      routes: Object.entries(routes).map(([key, route]) => ({ route: key, role: route.role, handler: route.handler })),
      dev: options.devRoutes === false ? [] : Object.keys(dev),
      ...(openApi ? { openApi: `${url}/openapi.json` } : {}),
      auth: {
        issuer: auth?.issuer,
        jwks: `${url}${issuerPath}${jwksPath}`,
        audience: auth?.audience,
        token: `POST ${url}/dev/token`,
      },
      links: options.links ?? {},
    });
    const dev: Record<string, DevRoute> =
      options.devRoutes === false ? {} : devRoutes({ auth, bus: options.bus, relay: options.relay, faults: options.faults, scheduler: options.scheduler, index });
    const table: Record<string, RouteEntry> = {
      ...Object.fromEntries(Object.entries(routes).map(([key, route]) => [key, { kind: 'lambda', route } as const])),
      ...Object.fromEntries(Object.entries({ ...local, ...dev }).map(([key, run]) => [key, { kind: 'dev', run } as const])),
    };
    compiled = compileRoutes(table);
    return auth;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<RequestRecord> => {
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const started = Date.now();
    const baseHeaders = { ...corsHeaders(req), 'apigw-requestid': requestId };
    const record = (status: number, extra: Partial<RequestRecord> = {}): RequestRecord => ({
      requestId,
      method,
      path: rawPath,
      status,
      durationMs: Date.now() - started,
      ...extra,
    });
    const sendJson = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        ...baseHeaders,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
      });
      res.end(text);
    };

    // CORS preflight, answered before routing as the HTTP API's CORS configuration does.
    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      req.resume();
      res.writeHead(204, {
        ...baseHeaders,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
        'access-control-max-age': '600',
      });
      res.end();
      return record(204);
    }

    // The pages (web/, built on first request when missing or stale); never on AWS, where S3 serves them.
    if (await serveWebApp(req, res)) return record(res.statusCode);

    if (!auth) {
      req.resume();
      sendJson(503, errorBody('service_unavailable', 'The local API is still starting'), { 'retry-after': '1' });
      return record(503);
    }
    const lookup = findRoute(compiled, method, rawPath);
    if (lookup.kind !== 'found') {
      req.resume();
      if (lookup.kind === 'method-not-allowed') {
        sendJson(405, errorBody('method_not_allowed', `${method} is not allowed on ${rawPath}; use ${lookup.allow.join(', ')}`), {
          allow: lookup.allow.join(', '),
        });
        return record(405);
      }
      sendJson(404, errorBody('not_found', `No route for ${method} ${rawPath}`));
      return record(404);
    }
    const routeKey = lookup.route.key;

    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      sendJson(413, errorBody('payload_too_large', `The body is larger than ${maxBodyBytes} bytes`), { connection: 'close' });
      return record(413, { routeKey });
    }

    const entry = lookup.route.value;
    if (entry.kind === 'dev') {
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
      } catch (error) {
        sendJson(400, errorBody('invalid_json', 'The body is not valid JSON', [{ path: '', message: (error as Error).message }]));
        return record(400, { routeKey });
      }
      const answer = await entry.run({ json });
      sendJson(answer.status, answer.body);
      return record(answer.status, { routeKey });
    }

    let claims: Record<string, string> | undefined;
    if (entry.route.role !== 'public') {
      const verdict = await auth.verify(req.headers.authorization);
      if (!verdict.ok) {
        sendJson(401, errorBody('unauthorized', verdict.message), { 'www-authenticate': verdict.wwwAuthenticate });
        return record(401, { routeKey });
      }
      // Only the token is checked here, as on AWS; the handler checks the role's Cognito group.
      claims = verdict.claims;
    }

    const event = toHttpApiEvent({ req, routeKey, pathParameters: lookup.pathParameters, body, requestId, claims });
    try {
      const handler = await loadHandler(entry.route.handler);
      const result = await invoke(entry.route.handler, handler, event, handlerTimeoutMs);
      writeHandlerResult(res, result, baseHeaders);
      return record(res.statusCode, { routeKey });
    } catch (error) {
      // A thrown error is a Lambda failure; API Gateway hides it behind a 500.
      if (error instanceof HandlerNotFoundError) {
        sendJson(500, errorBody('handler_not_found', error.message));
      } else {
        sendJson(500, errorBody('internal_error', 'Internal Server Error'));
      }
      return record(500, { routeKey, error });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res)
      .then((record) => {
        for (const listener of listeners) listener(record);
      })
      .catch((error: unknown) => {
        // A fault in the local runtime itself, not in a handler.
        if (!res.headersSent) {
          const text = JSON.stringify(errorBody('internal_error', `Local runtime error: ${(error as Error).message}`));
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(text);
        } else {
          res.destroy();
        }
      });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 3000, host, 'HTTP API');
  const url = `http://${urlHost(host)}:${port}`;
  const ready = configure(url);

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    auth: ready,
    issuer: ready.issuer,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => (stopped ??= closeServer(server)),
  };
}

/** Lets a page served from another port (a local front end) call the API with a bearer token. */
function corsHeaders(req: http.IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-expose-headers': exposedHeaders,
    ...(origin ? { vary: 'origin' } : {}),
  };
}
