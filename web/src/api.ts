// The HTTP API client: JSON in and out, the bearer token when signed in, and API.md's error body
// turned into an ApiError that keeps `issues` for the forms.
import type { ErrorIssue } from '../../schemas/api/errors.js';
import { lang } from './i18n.js';
import { currentSession, signOutLocally } from './session.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
  }
}

export function apiBase(): string {
  return (window.SPARRAUS_CONFIG?.apiUrl ?? '').replace(/\/+$/, '');
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Send the signed-in user's bearer token. */
  auth?: boolean;
  accept?: string;
}

async function send(method: string, path: string, options: CallOptions): Promise<Response> {
  const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const url = `${apiBase()}${path}${query.length ? `?${new URLSearchParams(query)}` : ''}`;
  // The API's messages in the page's language, for what the pages do not translate by code themselves.
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json', 'accept-language': lang() };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const session = currentSession();
  if (options.auth && session) headers.authorization = `Bearer ${session.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    let error: { code?: string; message?: string; issues?: ErrorIssue[] } = {};
    try {
      error = ((await response.json()) as { error?: typeof error }).error ?? {};
    } catch {
      // Not API.md's JSON (a proxy's page): the status says enough.
    }
    // An expired or foreign token: forget it, so the next page offers sign-in again.
    if (response.status === 401 && options.auth) signOutLocally();
    throw new ApiError(response.status, error.code ?? 'http_error', error.message ?? response.statusText, error.issues ?? []);
  }
  return response;
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Whether a GET answers at all (used to show a link only once its route exists). */
export async function answers(path: string, options: CallOptions = {}): Promise<boolean> {
  try {
    await send('GET', path, options);
    return true;
  } catch {
    return false;
  }
}

/** Fetches CSV with the bearer token and saves it: a plain link cannot carry the token. */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const response = await send('GET', path, { auth: true, accept: 'text/csv' });
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** An emailed API link (`<api>/applications/{id}?token=`) as the page that shows it. */
export function pageLinkFor(apiLink: string): string {
  const url = new URL(apiLink, window.location.href);
  // Links from the API already lead to the pages (PAGES_URL): keep their path and query.
  if (url.pathname.startsWith('/app/')) return `${url.pathname}${url.search}`;
  const base = new URL(apiBase() || window.location.origin, window.location.href);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  return `/app${path}${url.search}`;
}
