// Who is signed in: the bearer token with the role and email read from its claims, kept for the tab
// (localStorage) so closing the browser signs out.
export type Role = 'coordinator' | 'tutor';

export interface Session {
  token: string;
  role: Role;
  email: string;
}

const key = 'sparraus.session';

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/** Reads the role from the Cognito groups claim, as the handlers do. Coordinator wins if both. */
export function sessionFromToken(token: string): Session | undefined {
  try {
    const claims = claimsOf(token);
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
    const role: Role | undefined = groups.includes('coordinators')
      ? 'coordinator'
      : groups.includes('tutors')
        ? 'tutor'
        : undefined;
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    const expired = typeof claims.exp === 'number' && claims.exp * 1000 < Date.now();
    return role && email && !expired ? { token, role, email } : undefined;
  } catch {
    return undefined;
  }
}

export function currentSession(): Session | undefined {
  const token = localStorage.getItem(key);
  if (!token) return undefined;
  const session = sessionFromToken(token);
  if (!session) localStorage.removeItem(key);
  return session;
}

export function saveSession(token: string): Session | undefined {
  const session = sessionFromToken(token);
  if (session) localStorage.setItem(key, token);
  return session;
}

export function signOutLocally(): void {
  localStorage.removeItem(key);
}
