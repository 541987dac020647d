// Entry point: routes, the header (navigation by role, language switch) and sign-in, locally through
// POST /dev/token and on AWS through the Cognito hosted UI named in config.js.
import { call } from './api.js';
import { h, notice, replaceChildren } from './dom.js';
import { form } from './forms.js';
import { lang, languages, setLang, t } from './i18n.js';
import { pageRoutes } from './pages/routes.js';
import { hostedUiSignInUrl, redeemCode } from './pkce.js';
import { configureRouter, navigate, refresh, route, startRouter, type ViewContext } from './router.js';
import { currentSession, saveSession, signOutLocally, type Role } from './session.js';

const homeOf = (role: Role) => (role === 'coordinator' ? '/app/coordinator' : '/app/tutor');

/** The sign-in view; also shown in place of a page that needs a role the visitor does not have. */
function signInPage({ main }: ViewContext): void {
  const onSignInRoute = location.pathname.replace(/\/+$/, '') === '/app/signin';
  const signedIn = (role: Role) => (onSignInRoute ? navigate(homeOf(role)) : void refresh());
  const cognito = window.SPARRAUS_CONFIG?.cognito;
  const cognitoUrl = cognito?.domain ? '#' : undefined;
  // Back from the hosted UI with an authorization code: redeem it with the PKCE verifier.
  const code = new URLSearchParams(location.search).get('code');
  if (cognito?.domain && code) {
    history.replaceState(null, '', location.pathname);
    void redeemCode(cognito, code).then((idToken) => {
      const session = idToken ? saveSession(idToken) : undefined;
      if (session) signedIn(session.role);
      else void refresh();
    });
    return;
  }
  const session = currentSession();
  replaceChildren(
    main,
    h('h1', {}, t('signin.title')),
    session && !onSignInRoute ? notice(t('signin.wrongRole', { email: session.email }), 'error') : null,
    cognitoUrl
      ? h(
          'p',
          {},
          h(
            'a',
            {
              class: 'button',
              href: cognitoUrl,
              onclick: (event: Event) => {
                event.preventDefault();
                void hostedUiSignInUrl(cognito!).then((url) => location.assign(url));
              },
            },
            t('signin.cognito'),
          ),
        )
      : [
          h('p', {}, t('signin.local')),
          form<{ token: string }>({
            label: t('signin.title'),
            submitLabel: t('signin.submit'),
            fields: [
              {
                name: 'role',
                label: t('signin.role'),
                options: [
                  { value: 'coordinator', label: t('role.coordinator') },
                  { value: 'tutor', label: t('role.tutor') },
                ],
              },
              { name: 'email', label: t('webinar.email'), inputType: 'email', autocomplete: 'email', required: true },
            ],
            send: (body) => call<{ token: string }>('POST', '/dev/token', { body }),
            done: ({ token }) => {
              const next = saveSession(token);
              if (next) signedIn(next.role);
            },
          }),
        ],
  );
}

function signOut(): void {
  signOutLocally();
  const cognito = window.SPARRAUS_CONFIG?.cognito;
  if (cognito?.domain && cognito.logoutUri) {
    location.href = `${cognito.domain.replace(/\/+$/, '')}/logout?${new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.logoutUri })}`;
    return;
  }
  navigate('/app/');
}

/** Header: links for the visitor's role (the current one marked), who is signed in, languages. */
function renderHeader(): void {
  const session = currentSession();
  const links: [string, string][] = [[t('nav.rounds'), '/app/']];
  if (session?.role === 'coordinator')
    links.push([t('nav.coordinatorRounds'), '/app/coordinator'], [t('nav.tutors'), '/app/coordinator/tutors']);
  if (session?.role === 'tutor') links.push([t('nav.myMunicipalities'), '/app/tutor']);
  const here = location.pathname.replace(/\/+$/, '') || '/app';
  const nav = document.getElementById('nav')!;
  nav.setAttribute('aria-label', t('nav.label'));
  replaceChildren(
    nav,
    h(
      'ul',
      {},
      links.map(([label, href]) =>
        h('li', {}, h('a', { href, 'aria-current': here === href.replace(/\/+$/, '') ? 'page' : undefined }, label)),
      ),
      h(
        'li',
        { class: 'user' },
        session
          ? [
              `${t('nav.signedInAs', { email: session.email })} `,
              h('button', { type: 'button', class: 'secondary', onclick: signOut }, t('nav.signOut')),
            ]
          : h('a', { href: '/app/signin' }, t('nav.signIn')),
      ),
    ),
  );
  const switcher = document.getElementById('languages')!;
  switcher.setAttribute('role', 'group');
  switcher.setAttribute('aria-label', t('nav.language'));
  replaceChildren(
    switcher,
    languages.map(({ code, name }) =>
      h(
        'button',
        {
          type: 'button',
          lang: code,
          'aria-pressed': String(code === lang()),
          onclick: () => {
            setLang(code);
            void refresh();
          },
        },
        name,
      ),
    ),
  );
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
}

setLang(lang());
for (const [path, view, role] of pageRoutes) route(path, view, role);
route('signin', signInPage);
configureRouter({
  signIn: signInPage,
  afterRender: renderHeader,
  notFound: ({ main }) => replaceChildren(main, h('h1', {}, t('error.404'))),
});
startRouter();
