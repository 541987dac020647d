// Sign-in through the Cognito hosted UI with the authorization code flow and PKCE (RFC 7636): the
// browser proves with a one-time verifier that it is the one that started the sign-in, so no
// client secret and no token in the URL are needed.
const verifierKey = 'sparraus.pkce-verifier';

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const text = String.fromCharCode(...new Uint8Array(bytes));
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The hosted UI's sign-in address, with a fresh verifier kept for the way back. */
export async function hostedUiSignInUrl(cognito: { domain: string; clientId: string; redirectUri: string }): Promise<string> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(verifierKey, verifier);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: cognito.redirectUri,
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
  });
  return `${cognito.domain.replace(/\/+$/, '')}/oauth2/authorize?${query}`;
}

/** Back from the hosted UI with `?code=`: exchanges it for the id token, or undefined when it fails. */
export async function redeemCode(
  cognito: { domain: string; clientId: string; redirectUri: string },
  code: string,
): Promise<string | undefined> {
  const verifier = sessionStorage.getItem(verifierKey);
  sessionStorage.removeItem(verifierKey);
  if (!verifier) return undefined;
  const response = await fetch(`${cognito.domain.replace(/\/+$/, '')}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cognito.clientId,
      redirect_uri: cognito.redirectUri,
      code,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) return undefined;
  const tokens = (await response.json()) as { id_token?: unknown };
  return typeof tokens.id_token === 'string' ? tokens.id_token : undefined;
}
