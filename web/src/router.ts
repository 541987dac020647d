// A small history-API router under /app/: routes by path, checks the signed-in role, moves focus to
// the new page's heading and announces it, as a page load would for a screen reader.
import { ApiError } from './api.js';
import { announce, h, notice, replaceChildren, type Child } from './dom.js';
import { messageFor } from './forms.js';
import { t } from './i18n.js';
import { currentSession, type Role } from './session.js';

export const base = '/app/';

export interface ViewContext {
  params: Record<string, string>;
  query: URLSearchParams;
  main: HTMLElement;
}
export type View = (context: ViewContext) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  keys: string[];
  view: View;
  role?: Role;
}

const routes: Route[] = [];
let notFound: View = ({ main }) => replaceChildren(main, h('h1', {}, t('error.404')));
let signIn: View | undefined;
let afterRender: () => void = () => undefined;

/** `path` like `coordinator/rounds/:roundId`, relative to /app/. */
export function route(path: string, view: View, role?: Role): void {
  const keys: string[] = [];
  const source = path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? (keys.push(part.slice(1)), '([^/]+)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  routes.push({ pattern: new RegExp(`^${source}/?$`), keys, view, ...(role ? { role } : {}) });
}

export function configureRouter(options: { notFound?: View; signIn: View; afterRender: () => void }): void {
  if (options.notFound) notFound = options.notFound;
  signIn = options.signIn;
  afterRender = options.afterRender;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = path.startsWith('/') ? path : `${base}${path}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render(true);
}

/** Renders the current location again (after an action changed what it shows). */
export function refresh(): Promise<void> {
  return render(false);
}

let renderCount = 0;
async function render(moveFocus: boolean): Promise<void> {
  const main = document.getElementById('main')!;
  const path = decodeURIComponent(location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '');
  const query = new URLSearchParams(location.search);
  const ticket = ++renderCount;
  let view = notFound;
  let params: Record<string, string> = {};
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    params = Object.fromEntries(candidate.keys.map((key, index) => [key, match[index + 1]!]));
    const session = currentSession();
    view = candidate.role && session?.role !== candidate.role && signIn ? signIn : candidate.view;
    break;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    await view({ params, query, main });
  } catch (error) {
    replaceChildren(main, ...failurePage(error, query));
  } finally {
    main.removeAttribute('aria-busy');
  }
  // A later navigation finished first: leave focus and title to it.
  if (ticket !== renderCount) return;
  afterRender();
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} – sparraus` : 'sparraus';
  if (moveFocus && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
    announce(heading.textContent ?? '');
  }
}

/** What a page that could not load says, in the page's language: a bad emailed link, not on the roster, … */
function failurePage(error: unknown, query: URLSearchParams): Child[] {
  const status = error instanceof ApiError ? error.status : undefined;
  // Pages reached by an emailed link carry its token: refused or unknown means the link is bad.
  if (query.has('token') && (status === 401 || status === 403 || status === 404)) {
    return [h('h1', {}, t('error.badLinkTitle')), notice(t('error.badLink'), 'error')];
  }
  if (status === 403 && (error as ApiError).code !== 'email_not_verified' && currentSession()?.role === 'tutor') {
    return [h('h1', {}, t('error.notOnRosterTitle')), notice(t('error.notOnRoster'), 'error')];
  }
  if (status === 401) {
    return [
      h('h1', {}, t('error.title')),
      notice(t('error.401'), 'error'),
      h('p', {}, h('a', { href: '/app/signin' }, t('nav.signIn'))),
    ];
  }
  if (status === 404) return [h('h1', {}, t('error.notFoundTitle')), notice(t('error.notFound'), 'error')];
  return [h('h1', {}, t('error.title')), notice(messageFor(error), 'error')];
}

/** Starts routing: internal links are followed without a reload, back/forward re-render. */
export function startRouter(): void {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    if (link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (!link.pathname.startsWith(base) || link.hash) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}`);
  });
  window.addEventListener('popstate', () => void render(true));
  void render(false);
}
