// The local HTTP API: routing (404/405/specificity), the payload-2.0 event, the JWT authorizer's
// 401s and claims, body limits, result writing, CORS and the /dev/token route.
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../infra/wiring.js';
import { createLocalAuth, generateSigningKey, loadOrCreateSigningKey } from '../../local/auth.js';
import { moduleLoader, type LoadHandler } from '../../local/handlers.js';
import { startHttpApi, type LocalHttpApi, type RequestRecord } from '../../local/http-api.js';

const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const routes = {
  'GET /things/{thingId}': { handler: 'fixture/echo', role: 'public' },
  'GET /things/special': { handler: 'fixture/echo', role: 'public' },
  'POST /things/{thingId}/parts': { handler: 'fixture/echo', role: 'coordinator' },
  'GET /files/{path+}': { handler: 'fixture/echo', role: 'public' },
  'GET /boom': { handler: 'fixture/throws', role: 'public' },
  'GET /missing': { handler: 'fixture/not-written-yet', role: 'public' },
  'GET /no-export': { handler: 'fixture/no-export', role: 'public' },
} satisfies Record<string, HttpRoute>;

let api: LocalHttpApi;
let invoked: string[] = [];
const records: RequestRecord[] = [];

beforeAll(async () => {
  const load = moduleLoader(fixturesRoot);
  // Counts loads, so tests can tell that a refused request never reached a handler.
  const loadHandler: LoadHandler = async (id) => {
    invoked.push(id);
    return load(id);
  };
  api = await startHttpApi({ port: 0, routes, loadHandler });
  api.onRequest((record) => records.push(record));
});

afterAll(async () => {
  await api?.stop();
});

async function token(role: 'coordinator' | 'tutor', email = 'Kim@Example.fi'): Promise<string> {
  const response = await fetch(`${api.url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, email }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function echo(response: Response): Promise<APIGatewayProxyEventV2WithJWTAuthorizer> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { event: APIGatewayProxyEventV2WithJWTAuthorizer }).event;
}

describe('local HTTP API', () => {
  it('builds the payload-2.0 event API Gateway would send, with the authorizer claims', async () => {
    const bearer = await token('coordinator');
    const response = await fetch(`${api.url}/things/thing%201/parts?a=1&b=x%20y&a=2&flag`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'X-Custom-Header': 'Value',
        'user-agent': 'vitest-agent',
        cookie: 'session=abc; theme=dark',
      },
      body: JSON.stringify({ name: 'Pyörä' }),
    });
    const event = await echo(response);

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /things/{thingId}/parts',
      rawPath: '/things/thing%201/parts',
      rawQueryString: 'a=1&b=x%20y&a=2&flag',
      queryStringParameters: { a: '1,2', b: 'x y', flag: '' },
      pathParameters: { thingId: 'thing 1' },
      cookies: ['session=abc', 'theme=dark'],
      body: JSON.stringify({ name: 'Pyörä' }),
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom-header': 'Value',
      'user-agent': 'vitest-agent',
      'x-forwarded-proto': 'http',
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);

    const context = event.requestContext;
    expect(context).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      routeKey: 'POST /things/{thingId}/parts',
      stage: '$default',
      domainName: `localhost:${api.port}`,
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/things/thing%201/parts', protocol: 'HTTP/1.1', userAgent: 'vitest-agent' },
    });
    expect(context.http.sourceIp).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(context.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(context.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(context.timeEpoch - Date.now())).toBeLessThan(5_000);

    // What the HTTP API's JWT authorizer passes: strings only, arrays as "[a b]".
    expect(context.authorizer).toMatchObject({ principalId: '', integrationLatency: 0, jwt: { scopes: null } });
    expect(context.authorizer.jwt.claims).toMatchObject({
      email: 'kim@example.fi',
      'cognito:groups': '[coordinators]',
      token_use: 'id',
      aud: 'sparraus-local',
      email_verified: 'true',
    });
    expect(context.authorizer.jwt.claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(context.authorizer.jwt.claims.exp) - Number(context.authorizer.jwt.claims.iat)).toBe(12 * 3600);
  });

  it('gives public routes no authorizer, and omits absent query, path parameters, cookies and body', async () => {
    const event = await echo(await fetch(`${api.url}/things/special`));
    expect(event.routeKey).toBe('GET /things/special'); // the literal route beats {thingId}
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.rawQueryString).toBe('');
    for (const absent of ['queryStringParameters', 'pathParameters', 'cookies', 'body'] as const) {
      expect(event[absent]).toBeUndefined();
    }
    expect(event.isBase64Encoded).toBe(false);
  });

  it('matches a greedy {path+} over several segments', async () => {
    const event = await echo(await fetch(`${api.url}/files/a/b/c.txt`));
    expect(event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it('passes binary bodies base64-encoded', async () => {
    const bearer = await token('coordinator');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const event = await echo(
      await fetch(`${api.url}/things/t1/parts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('writes the structured result: status, headers, cookies, base64 bodies; a bare object as 200 JSON', async () => {
    const response = await fetch(`${api.url}/things/t1`);
    expect(response.headers.get('x-fixture')).toBe('echo');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; Path=/', 'theme=dark']);

    const binary = await fetch(`${api.url}/things/t1?reply=binary`);
    expect(binary.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));

    const bare = await fetch(`${api.url}/things/t1?reply=bare`);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe('application/json');
    expect(await bare.json()).toEqual({ bare: true });
  });

  it('answers 404 for no route and 405 (with Allow) for a known path with another method', async () => {
    const notFound = await fetch(`${api.url}/nothing/here`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { code: 'not_found' } });

    const wrongMethod = await fetch(`${api.url}/things/t1`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method_not_allowed', message: expect.any(String) } });
  });

  it('answers 413 for a body over 1 MiB before loading the handler', async () => {
    const bearer = await token('coordinator');
    invoked = [];
    const response = await fetch(`${api.url}/things/t1/parts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(invoked).toEqual([]);
  });

  it('refuses a missing, malformed, foreign-signed, forged or expired token with 401 on role routes', async () => {
    const local = api.auth;
    const expired = await local.issueToken({ role: 'coordinator', email: 'kim@example.fi', expiresInSeconds: -60 });
    // Another key pair with the same issuer and audience: its kid is not in the local key set.
    const other = createLocalAuth({ issuer: local.issuer, audience: local.audience });
    const foreign = await other.issueToken({ role: 'coordinator', email: 'kim@example.fi' });
    const localKid = local.jwks.keys[0]?.kid as string;
    const claims = { 'cognito:groups': ['coordinators'], token_use: 'id' };
    // Another key claiming the local key's kid: the signature does not check out.
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: localKid })
      .setIssuer(local.issuer)
      .setAudience(local.audience)
      .setExpirationTime('1h')
      .sign(createPrivateKey({ key: generateSigningKey() as JsonWebKey, format: 'jwk' }));
    // HS256 keyed with the public key's modulus: the old algorithm-confusion trick.
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: localKid })
      .setIssuer(local.issuer)
      .setAudience(local.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(String(local.jwks.keys[0]?.n)));
    const cases: [string, string | undefined, RegExp][] = [
      ['missing', undefined, /required/],
      ['malformed', 'Bearer not-a-jwt', /not a valid JWT/],
      ['foreign', `Bearer ${foreign}`, /not a valid JWT/],
      ['forged', `Bearer ${forged}`, /not a valid JWT/],
      ['confused', `Bearer ${confused}`, /not a valid JWT/],
      ['expired', `Bearer ${expired}`, /expired/],
    ];
    invoked = [];
    for (const [name, authorization, message] of cases) {
      const response = await fetch(`${api.url}/things/t1/parts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{}',
      });
      expect(response.status, name).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json(), name).toMatchObject({
        error: { code: 'unauthorized', message: expect.stringMatching(message) },
      });
    }
    expect(invoked).toEqual([]);
  });

  it('signs RS256 and serves the public key set under its issuer, as a Cognito user pool does', async () => {
    expect(api.issuer).toBe(`${api.url}/dev/issuer`);
    const bearer = await token('coordinator');
    expect(decodeProtectedHeader(bearer)).toEqual({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });

    const jwksResponse = await fetch(`${api.issuer}/.well-known/jwks.json`);
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: decodeProtectedHeader(bearer).kid });
    // Public only.
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);

    // What functions/shared/bearer.ts does in a handler.
    const remote = createRemoteJWKSet(new URL(`${api.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(bearer, remote, { issuer: api.issuer, audience: 'sparraus-local' });
    expect(payload).toMatchObject({ email: 'kim@example.fi', 'cognito:groups': ['coordinators'], token_use: 'id' });

    const discovery = (await (await fetch(`${api.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: api.issuer, jwks_uri: `${api.issuer}/.well-known/jwks.json` });
  });

  it('keeps tokens valid across restarts when given the same signing key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sparraus-key-'));
    try {
      const file = path.join(dir, 'nested', 'jwt-key.json');
      const key = loadOrCreateSigningKey(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadOrCreateSigningKey(file)).toEqual(key);

      const first = await startHttpApi({ port: 0, routes, loadHandler: moduleLoader(fixturesRoot), signingKey: key });
      const bearer = await first.auth.issueToken({ role: 'coordinator', email: 'kim@example.fi' });
      const port = first.port;
      await first.stop();
      const second = await startHttpApi({
        port,
        routes,
        loadHandler: moduleLoader(fixturesRoot),
        signingKey: loadOrCreateSigningKey(file),
      });
      try {
        const response = await fetch(`${second.url}/things/t1/parts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(200);

        // The same key, but issued for someone else or by another issuer.
        for (const [other, claim] of [
          [{ issuer: second.issuer, audience: 'someone-else' }, 'aud'],
          [{ issuer: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_other', audience: 'sparraus-local' }, 'iss'],
        ] as const) {
          const misaddressed = await createLocalAuth({ signingKey: key, ...other }).issueToken({
            role: 'coordinator',
            email: 'kim@example.fi',
          });
          const refused = await fetch(`${second.url}/things/t1/parts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${misaddressed}`, 'content-type': 'application/json' },
            body: '{}',
          });
          expect(refused.status).toBe(401);
          expect(await refused.json()).toMatchObject({
            error: { message: `Invalid token: the token's ${claim} claim is not valid` },
          });
        }
      } finally {
        await second.stop();
      }

      writeFileSync(file, '{"kty":"oct","k":"c2VjcmV0"}');
      expect(() => loadOrCreateSigningKey(file)).toThrow(/jwt-key\.json does not hold an RSA private key.*delete it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the group check to the handler: a tutor token passes the authorizer on a coordinator route', async () => {
    const event = await echo(
      await fetch(`${api.url}/things/t1/parts`, {
        method: 'POST',
        headers: { authorization: await token('tutor'), 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(event.requestContext.authorizer.jwt.claims['cognito:groups']).toBe('[tutors]');
  });

  it('turns a thrown handler error into a 500 and names a handler that does not exist', async () => {
    const boom = await fetch(`${api.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: { code: 'internal_error', message: 'Internal Server Error' } });
    expect(records.find((r) => r.path === '/boom')?.error).toMatchObject({ message: 'fixture failure' });

    const missing = await fetch(`${api.url}/missing`);
    expect(missing.status).toBe(500);
    expect(await missing.json()).toMatchObject({
      error: { code: 'handler_not_found', message: expect.stringContaining('functions/fixture/handlers/not-written-yet.ts') },
    });
    const noExport = await fetch(`${api.url}/no-export`);
    expect(await noExport.json()).toMatchObject({ error: { code: 'handler_not_found' } });
  });

  it('validates /dev/token bodies with issues', async () => {
    const response = await fetch(`${api.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'superuser', email: 'nope' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(['email', 'role']);

    const notJson = await fetch(`${api.url}/dev/token`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('serves CORS preflights and CORS headers for pages on other ports', async () => {
    const preflight = await fetch(`${api.url}/things/t1/parts`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const simple = await fetch(`${api.url}/things/t1`, { headers: { origin: 'http://localhost:5173' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('lists its routes at GET /', async () => {
    const index = (await (await fetch(`${api.url}/`)).json()) as { routes: { route: string; role: string }[]; dev: string[] };
    expect(index.routes).toContainEqual({ route: 'POST /things/{thingId}/parts', role: 'coordinator', handler: 'fixture/echo' });
    expect(index.dev).toEqual(expect.arrayContaining(['POST /dev/token', 'POST /dev/clock', 'GET /dev/dead-letters']));
    expect(index).toMatchObject({
      auth: { issuer: api.issuer, jwks: `${api.issuer}/.well-known/jwks.json`, audience: 'sparraus-local' },
    });
    // Fixture routes have no OpenAPI document.
    expect(index).not.toHaveProperty('openApi');
    expect((await fetch(`${api.url}/openapi.json`)).status).toBe(404);
  });

  it('serves the OpenAPI document of the wiring table at GET /openapi.json, with itself as the server', async () => {
    const real = await startHttpApi({ port: 0 });
    try {
      const response = await fetch(`${real.url}/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, unknown>; servers: { url: string }[] };
      expect(document.openapi).toMatch(/^3\.1/);
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/rounds', '/rounds/{roundId}/applications']));
      expect(document.servers[0]?.url).toBe(real.url);
      const index = (await (await fetch(`${real.url}/`)).json()) as { openApi: string };
      expect(index.openApi).toBe(`${real.url}/openapi.json`);
    } finally {
      await real.stop();
    }
  });
});
