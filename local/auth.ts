// What the HTTP API's Cognito JWT authorizer does, locally: tokens shaped like Cognito id tokens,
// signed HS256 with a local key, verified on role routes, and handed to handlers with API
// Gateway's claim formatting.
import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { roleGroups, type Role } from '../infra/wiring.js';
import { localRegion } from './aws-env.js';

export type SignedInRole = Exclude<Role, 'public'>;

export interface LocalAuthOptions {
  /**
   * HS256 key. The default is a fixed, public, local-only key so tokens survive restarts of
   * `npm start`; it protects nothing and is never used on AWS, where Cognito signs tokens.
   */
  secret?: string;
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

export type VerifyResult =
  | { ok: true; claims: Record<string, string> }
  | { ok: false; message: string; wwwAuthenticate: string };

export interface LocalAuth {
  readonly issuer: string;
  readonly audience: string;
  issueToken(input: IssueTokenInput): Promise<string>;
  /** Checks an Authorization header value the way the JWT authorizer does. */
  verify(authorization: string | undefined): Promise<VerifyResult>;
}

export const defaultLocalJwtSecret = 'sparraus-local-development-only-not-a-secret';

export function createLocalAuth(options: LocalAuthOptions = {}): LocalAuth {
  const key = new TextEncoder().encode(options.secret ?? defaultLocalJwtSecret);
  const issuer = options.issuer ?? `https://cognito-idp.${localRegion}.amazonaws.com/${localRegion}_local`;
  const audience = options.audience ?? 'sparraus-local';
  const lifetimeSeconds = options.lifetimeSeconds ?? 12 * 60 * 60;

  return {
    issuer,
    audience,
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
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'local' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (expiresInSeconds ?? lifetimeSeconds))
        .sign(key);
    },
    async verify(authorization) {
      // The authorizer takes the header value with or without the Bearer prefix.
      const token = authorization?.replace(/^Bearer\s+/i, '').trim();
      if (!token) return { ok: false, message: 'A bearer token is required', wwwAuthenticate: 'Bearer' };
      try {
        const { payload } = await jwtVerify(token, key, { issuer, audience, algorithms: ['HS256'] });
        return { ok: true, claims: apiGatewayClaims(payload) };
      } catch (error) {
        const description =
          error instanceof joseErrors.JWTExpired
            ? 'the token has expired'
            : error instanceof joseErrors.JWTClaimValidationFailed
              ? `the token's ${error.claim} claim is not valid`
              : 'the token is not a valid JWT signed by the local key';
        if (!(error instanceof joseErrors.JOSEError)) throw error;
        return {
          ok: false,
          message: `Invalid token: ${description}`,
          wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
        };
      }
    },
  };
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
