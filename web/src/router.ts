// A small history-API router under /app/: routes by path, checks the signed-in role, moves focus to
// the new page's heading and announces it, as a page load would for a screen reader.
import { announce, h, notice, replaceChildren } from './dom.js';
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
    replaceChildren(main, h('h1', {}, t('error.title')), notice(error instanceof Error ? error.message : String(error), 'error'));
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
