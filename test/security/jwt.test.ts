// The JWT matrix: every kind of bad token is refused by both verifiers, the local JWT authorizer of
// role routes (as API Gateway's) and the in-handler check of public routes that take a bearer token.
import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, importJWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBearer } from '../../functions/shared/bearer.js';
import { UnauthorizedError } from '../../functions/shared/errors.js';
import type { HttpRoute } from '../../infra/wiring.js';
import { generateSigningKey, type SigningKey } from '../../local/auth.js';
import { applyEnvironment } from '../../local/aws-env.js';
import { moduleLoader } from '../../local/handlers.js';
import { startHttpApi, type LocalHttpApi } from '../../local/http-api.js';

const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'local', 'fixtures');
const routes = {
  'POST /things/{thingId}/parts': { handler: 'fixture/echo', role: 'coordinator' },
} satisfies Record<string, HttpRoute>;

const key: SigningKey = generateSigningKey();
let api: LocalHttpApi;
let restore: () => void;

beforeAll(async () => {
  api = await startHttpApi({ port: 0, routes, loadHandler: moduleLoader(fixturesRoot), signingKey: key });
  restore = applyEnvironment({ JWT_ISSUER: api.auth.issuer, JWT_AUDIENCE: api.auth.audience });
});

afterAll(async () => {
  restore?.();
  await api?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  sub: 'c0ffee00-0000-4000-a000-000000000001',
  email: 'kaisa@example.fi',
  email_verified: true,
  'cognito:groups': ['coordinators'],
  token_use: 'id',
  iss: api.auth.issuer,
  aud: api.auth.audience,
  iat: now(),
  exp: now() + 600,
  ...overrides,
});

/** Signs `payload` as given (no claim is added), RS256 with `signer` under the key id `kid`. */
async function rs256(payload: JWTPayload, signer: SigningKey = key, kid = key.kid): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(await importJWK(signer, 'RS256'));
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const badTokens: Record<string, () => Promise<string>> = {
  'alg none': async () => `${base64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${base64url(claims())}.`,
  'HS256 signed with the public key as its secret': async () => {
    const publicPem = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    return new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .sign(new TextEncoder().encode(String(publicPem)));
  },
  'a foreign key under our key id': async () => rs256(claims(), generateSigningKey(), key.kid),
  expired: async () => rs256(claims({ iat: now() - 7200, exp: now() - 3600 })),
  'no exp': async () => {
    const { exp: _exp, ...withoutExp } = claims();
    return rs256(withoutExp);
  },
  'wrong issuer': async () => rs256(claims({ iss: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_other' })),
  'wrong audience': async () => rs256(claims({ aud: 'another-client' })),
  'an access token': async () => rs256(claims({ token_use: 'access' })),
  'not a JWT at all': async () => 'not-a-token',
};

async function callRoleRoute(token: string) {
  return fetch(`${api.url}/things/t1/parts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
}

describe('the JWT matrix', () => {
  it('a good token passes both verifiers (the matrix below is not refusing everything)', async () => {
    const token = await rs256(claims());
    expect((await callRoleRoute(token)).status).toBe(200);
    await expect(verifyBearer(`Bearer ${token}`)).resolves.toMatchObject({ email: 'kaisa@example.fi' });
  });

  for (const [name, make] of Object.entries(badTokens)) {
    it(`refuses ${name}: 401 on a role route, UnauthorizedError in the handler's own check`, async () => {
      const token = await make();
      const response = await callRoleRoute(token);
      expect(response.status).toBe(401);
      await expect(verifyBearer(`Bearer ${token}`)).rejects.toBeInstanceOf(UnauthorizedError);
    });
  }
});
