// Verifies a bearer token inside a handler, for public routes that also take a signed-in caller
// (a coordinator withdrawing an application by id). Role routes need none of this: there the HTTP
// API's JWT authorizer has verified the token before the handler runs.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { config } from './config.js';
import { ServiceUnavailableError, UnauthorizedError } from './errors.js';

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** Claims of a valid id token from our user pool; throws UnauthorizedError for any other token. */
export async function verifyBearer(authorization: string): Promise<JWTPayload> {
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const issuer = config.jwtIssuer();
  jwks ??= createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  try {
    // RS256 only (Cognito's), so a token signed with the public key as an HMAC secret never passes;
    // `exp` is required: a token that never expires is refused like an expired one.
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      audience: config.jwtAudience(),
      algorithms: ['RS256'],
      requiredClaims: ['exp'],
    });
    // The id token, as the local authorizer takes (local/auth.ts): it is the one with email and groups.
    if (payload.token_use !== 'id') throw new Error('not an id token');
    return payload;
  } catch (error) {
    // The key set could not be fetched: that is an outage, not a bad token.
    if (error instanceof errors.JWKSTimeout || error instanceof TypeError) {
      throw new ServiceUnavailableError('The token keys could not be fetched; please try again', { cause: error });
    }
    throw new UnauthorizedError('The bearer token is not valid', { cause: error });
  }
}
