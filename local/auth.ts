// What Cognito and the HTTP API's JWT authorizer do, locally: tokens shaped like Cognito id tokens,
// signed RS256 with a local key pair whose public half is served as a JWKS (as a user pool serves
// `<issuer>/.well-known/jwks.json`), verified on role routes, and handed to handlers with API
// Gateway's claim formatting. Handlers that verify a bearer token themselves (functions/shared/bearer.ts)
// fetch the same JWKS over HTTP from the local API.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { roleGroups, type Role } from '../infra/wiring.js';
import { localRegion } from './aws-env.js';

export type SignedInRole = Exclude<Role, 'public'>;

/** Where the local HTTP API plays the user pool: the issuer is `<apiUrl>${issuerPath}`. */
export const issuerPath = '/dev/issuer';
export const jwksPath = '/.well-known/jwks.json';

/** The issuer the local HTTP API at `apiUrl` uses; its JWKS is at `<issuer>/.well-known/jwks.json`. */
export function localIssuer(apiUrl: string): string {
  return `${apiUrl.replace(/\/+$/, '')}${issuerPath}`;
}

/** An RS256 private key as a JWK, with `kid` (its RFC 7638 thumbprint), `alg` and `use`. */
export type SigningKey = JWK & { kty: 'RSA'; kid: string; alg: 'RS256'; use: 'sig'; n: string; e: string; d: string };

export interface LocalAuthOptions {
  /** Default: a new RSA key pair (each LocalAuth its own), like a user pool's. */
  signingKey?: SigningKey;
  /**
   * The `iss` of tokens; handlers fetch `<issuer>/.well-known/jwks.json`. The HTTP API creates its
   * own auth with `localIssuer(apiUrl)`. Default: a Cognito-shaped URL nothing serves.
   */
  issuer?: string;
  audience?: string;
  /** Default 12 h, like a Cognito id token's maximum. */
  lifetimeSeconds?: number;
}

export interface IssueTokenInput {
  role: SignedInRole;
  email: string;
  /** Overrides the default lifetime; negative values make an already expired token (for tests). */
  expiresInSeconds?: number;
}

export type VerifyResult = { ok: true; claims: Record<string, string> } | { ok: false; message: string; wwwAuthenticate: string };

export interface LocalAuth {
  readonly issuer: string;
  readonly audience: string;
  /** The public key set, as `<issuer>/.well-known/jwks.json` serves it. */
  readonly jwks: { keys: JWK[] };
  issueToken(input: IssueTokenInput): Promise<string>;
  /** Checks an Authorization header value the way the JWT authorizer does. */
  verify(authorization: string | undefined): Promise<VerifyResult>;
}

export const defaultLocalAudience = 'sparraus-local';

export function createLocalAuth(options: LocalAuthOptions = {}): LocalAuth {
  const signingKey = options.signingKey ?? generateSigningKey();
  const privateKey = toPrivateKey(signingKey);
  const publicJwk = publicJwkOf(signingKey);
  const keySet = createLocalJWKSet({ keys: [publicJwk] });
  const issuer = (options.issuer ?? `https://cognito-idp.${localRegion}.amazonaws.com/${localRegion}_local`).replace(/\/+$/, '');
  const audience = options.audience ?? defaultLocalAudience;
  const lifetimeSeconds = options.lifetimeSeconds ?? 12 * 60 * 60;

  return {
    issuer,
    audience,
    jwks: { keys: [publicJwk] },
    async issueToken({ role, email, expiresInSeconds }) {
      // Wall-clock time, not the shifted local clock: moving the clock must not sign everyone out.
      const issuedAt = Math.floor(Date.now() / 1000);
      const normalizedEmail = email.toLowerCase();
      const sub = stableSubject(normalizedEmail);
      return new SignJWT({
        email: normalizedEmail,
        email_verified: true,
        'cognito:groups': [roleGroups[role]],
        'cognito:username': sub,
        token_use: 'id',
        auth_time: issuedAt,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signingKey.kid })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (expiresInSeconds ?? lifetimeSeconds))
        .sign(privateKey);
    },
    async verify(authorization) {
      // The authorizer takes the header value with or without the Bearer prefix.
      const token = authorization?.replace(/^Bearer\s+/i, '').trim();
      if (!token) return { ok: false, message: 'A bearer token is required', wwwAuthenticate: 'Bearer' };
      try {
        // By the key set, as the authorizer does: the token's kid must name a key in it.
        // As functions/shared/bearer.ts: an id token (it carries the email and groups), which must expire.
        const { payload } = await jwtVerify(token, keySet, { issuer, audience, algorithms: ['RS256'], requiredClaims: ['exp'] });
        if (payload.token_use !== 'id') {
          throw new joseErrors.JWTClaimValidationFailed('not an id token', payload, 'token_use', 'check_failed');
        }
        return { ok: true, claims: apiGatewayClaims(payload) };
      } catch (error) {
        if (!(error instanceof joseErrors.JOSEError)) throw error;
        const description =
          error instanceof joseErrors.JWTExpired
            ? 'the token has expired'
            : error instanceof joseErrors.JWTClaimValidationFailed
              ? `the token's ${error.claim} claim is not valid`
              : 'the token is not a valid JWT signed by the local key';
        return {
          ok: false,
          message: `Invalid token: ${description}`,
          wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
        };
      }
    },
  };
}

/** A new RS256 key pair (2048-bit, as Cognito's), as a private JWK. */
export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return withKeyId(privateKey.export({ format: 'jwk' }));
}

/**
 * The signing key kept in `file` (a private JWK), created there (mode 0600) when missing, so tokens
 * from POST /dev/token survive restarts of `npm start`. Throws, naming the file, if it is unusable.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (existsSync(file)) {
    try {
      const jwk = JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey;
      const key = withKeyId(jwk);
      toPrivateKey(key);
      return key;
    } catch (error) {
      throw new Error(
        `${file} does not hold an RSA private key as a JWK (${(error as Error).message}); delete it to make a new one`,
        {
          cause: error,
        },
      );
    }
  }
  const key = generateSigningKey();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

function withKeyId(jwk: JsonWebKey): SigningKey {
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e || !jwk.d) throw new Error('not an RSA private key');
  const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
  return { kty, n, e, d, p, q, dp, dq, qi, kid: thumbprint(n, e), alg: 'RS256', use: 'sig' } as SigningKey;
}

function toPrivateKey(key: SigningKey): KeyObject {
  const { kty, n, e, d, p, q, dp, dq, qi } = key;
  return createPrivateKey({ key: { kty, n, e, d, p, q, dp, dq, qi } as JsonWebKey, format: 'jwk' });
}

function publicJwkOf(key: SigningKey): JWK {
  const { n, e } = createPublicKey(toPrivateKey(key)).export({ format: 'jwk' });
  return { kty: 'RSA', n, e, kid: key.kid, alg: 'RS256', use: 'sig' };
}

/** RFC 7638: SHA-256 of the required members in lexical order, base64url. */
function thumbprint(n: string, e: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
}

/**
 * Claims as API Gateway's JWT authorizer passes them in `requestContext.authorizer.jwt.claims`:
 * every value a string, arrays as "[a b]" (so `cognito:groups` arrives as "[coordinators]").
 */
export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => {
      if (Array.isArray(value)) return [name, `[${value.map(String).join(' ')}]`];
      if (typeof value === 'object' && value !== null) return [name, JSON.stringify(value)];
      return [name, String(value)];
    }),
  );
}

/** The same person gets the same `sub` in every token, like a Cognito user. */
function stableSubject(email: string): string {
  const hex = createHash('sha256').update(email).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
