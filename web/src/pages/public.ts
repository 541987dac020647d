// Public pages: open rounds, the application form, the status page from the emailed link, and the
// webinar's registration and cancellation. The emailed `token` is the only credential here.
import type { ApplicationView, ApplyResponse } from '../../../schemas/api/applications.js';
import type { RoundView } from '../../../schemas/api/rounds.js';
import type { RegisterResponse, WebinarView } from '../../../schemas/api/webinars.js';
import { call, pageLinkFor } from '../api.js';
import { facts, h, notice, replaceChildren, table, type Child } from '../dom.js';
import { form, messageFor } from '../forms.js';
import { formatDateTime, lang, t, tValue, type Lang } from '../i18n.js';
import { regionNamer } from '../regions.js';
import { refresh, type ViewContext } from '../router.js';

type RoundList = { rounds: RoundView[] };
const enc = encodeURIComponent;

const languageName = (code: string) => tValue('language', code);
const languageOptions = (codes: readonly string[]) => codes.map((code) => ({ value: code, label: languageName(code) }));
/** The page's language when the round offers it, else the round's first. */
const preferredLanguage = (codes: readonly string[]): string => (codes.includes(lang()) ? lang() : (codes[0] ?? 'fi'));

export async function roundsPage({ main }: ViewContext): Promise<void> {
  const [{ rounds }, regionName] = await Promise.all([call<RoundList>('GET', '/rounds'), regionNamer()]);
  replaceChildren(
    main,
    h('h1', {}, t('rounds.title')),
    h('p', {}, t('rounds.intro')),
    rounds.length === 0
      ? notice(t('rounds.none'))
      : h(
          'ul',
          { class: 'cards' },
          rounds.map((round) =>
            h(
              'li',
              { class: 'card' },
              h('h2', {}, round.name),
              facts([
                [t('round.region'), regionName(round.region)],
                [t('round.window'), `${formatDateTime(round.opensAt)} – ${formatDateTime(round.closesAt)}`],
                [t('round.placesLeft'), `${round.placesLeft} / ${round.places}`],
                [t('round.languages'), round.languages.map(languageName).join(', ')],
              ]),
              h(
                'p',
                {},
                h(
                  'a',
                  { class: 'button', href: `/app/rounds/${enc(round.roundId)}/apply` },
                  t('rounds.apply', { name: round.name }),
                ),
              ),
            ),
          ),
        ),
  );
}

export async function applyPage({ main, params }: ViewContext): Promise<void> {
  const round = await call<RoundView>('GET', `/rounds/${enc(params.roundId!)}`);
  const applyForm = form<ApplyResponse>({
    label: t('apply.title', { name: round.name }),
    submitLabel: t('apply.submit'),
    fields: [
      { name: 'municipality.name', label: t('apply.municipalityName'), required: true, autocomplete: 'organization' },
      {
        name: 'municipality.code',
        label: t('apply.municipalityCode'),
        hint: t('apply.municipalityCodeHint'),
        required: true,
        inputType: 'text',
      },
      { name: 'contact.name', label: t('apply.contactName'), required: true, autocomplete: 'name' },
      { name: 'contact.email', label: t('apply.contactEmail'), required: true, inputType: 'email', autocomplete: 'email' },
      { name: 'contact.phone', label: t('apply.contactPhone'), inputType: 'tel', autocomplete: 'tel' },
      {
        name: 'language',
        label: t('apply.language'),
        options: languageOptions(round.languages),
        value: preferredLanguage(round.languages),
      },
      { name: 'themes', label: t('apply.themes'), type: 'list', hint: t('apply.themesHint'), required: true },
      { name: 'situation', label: t('apply.situation'), multiline: true, hint: t('apply.situationHint') },
      { name: 'consent', label: t('apply.consent'), type: 'boolean', required: true },
    ],
    send: (body) => call<ApplyResponse>('POST', `/rounds/${enc(round.roundId)}/applications`, { body }),
    done: (result) => {
      const heading = h('h1', { tabindex: '-1' }, t('apply.doneTitle'));
      replaceChildren(
        main,
        heading,
        // A repeat (the municipality had applied already) carries no link: it went to the contact.
        ...(result.statusUrl
          ? [notice(t('apply.done'), 'ok'), h('p', {}, h('a', { href: pageLinkFor(result.statusUrl) }, t('apply.statusLink')))]
          : [notice(t('apply.already'), 'ok'), h('h2', {}, t('statusLink.title')), statusLinkForm(round.roundId)]),
      );
      heading.focus();
    },
  });
  replaceChildren(
    main,
    h('h1', {}, t('apply.title', { name: round.name })),
    facts([
      [t('round.window'), `${formatDateTime(round.opensAt)} – ${formatDateTime(round.closesAt)}`],
      [t('round.placesLeft'), `${round.placesLeft} / ${round.places}`],
    ]),
    h('p', {}, t('form.requiredNote')),
    applyForm,
  );
}

/** "Lost the link?": POST /rounds/{roundId}/status-link mails it to the contact on file; the answer is always the same. */
function statusLinkForm(roundId: string): HTMLFormElement {
  return form<unknown>({
    label: t('statusLink.title'),
    submitLabel: t('statusLink.submit'),
    fields: [
      {
        name: 'municipalityCode',
        label: t('apply.municipalityCode'),
        hint: t('apply.municipalityCodeHint'),
        required: true,
        inputType: 'text',
      },
      { name: 'email', label: t('apply.contactEmail'), required: true, inputType: 'email', autocomplete: 'email' },
    ],
    send: (body) => call('POST', `/rounds/${enc(roundId)}/status-link`, { body }),
    done: (_result, el) => {
      el.replaceWith(notice(t('statusLink.sent'), 'ok'));
    },
  });
}

export async function statusPage({ main, params, query }: ViewContext): Promise<void> {
  const token = query.get('token') ?? '';
  if (!token) {
    replaceChildren(main, h('h1', {}, t('status.title')), notice(t('status.noToken'), 'error'));
    return;
  }
  const path = `/applications/${enc(params.applicationId!)}`;
  const application = await call<ApplicationView>('GET', path, { query: { token } });
  const result = h('div', {});
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      await refresh();
      document.querySelector('#main h1')?.after(notice(done, 'ok'));
    } catch (error) {
      replaceChildren(result, notice(messageFor(error), 'error'));
    }
  };
  const canWithdraw = ['received', 'accepted', 'waitlisted', 'offered'].includes(application.status);
  const offer = application.offer;

  replaceChildren(
    main,
    h('h1', {}, t('status.title')),
    h('p', {}, `${application.municipality.name} · ${application.roundName}`),
    result,
    facts([
      [t('status.status'), h('span', { class: 'status' }, tValue('status', application.status))],
      ...(application.position !== undefined ? [[t('status.position'), String(application.position)] as [string, string]] : []),
      [t('status.received'), formatDateTime(application.receivedAt)],
      [t('apply.themes'), application.themes.join(', ')],
      ...(application.status === 'withdrawn'
        ? []
        : [
            [
              t('status.tutor'),
              application.tutor
                ? h(
                    'span',
                    {},
                    `${application.tutor.name}, `,
                    h('a', { href: `mailto:${application.tutor.email}` }, application.tutor.email),
                  )
                : t('status.noTutor'),
            ] as [string, Child],
          ]),
    ]),
    offer
      ? h(
          'section',
          { 'aria-labelledby': 'offer-heading', class: 'notice' },
          h('h2', { id: 'offer-heading' }, t(offer.kind === 'place' ? 'offer.placeTitle' : 'offer.carryOverTitle')),
          h('p', {}, t('offer.expires', { time: formatDateTime(offer.expiresAt) })),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  act(() => call('POST', `${path}/offer`, { query: { token }, body: { answer: 'accept' } }), t('offer.accepted')),
              },
              t('offer.accept'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  act(
                    () => call('POST', `${path}/offer`, { query: { token }, body: { answer: 'decline' } }),
                    t('offer.declined'),
                  ),
              },
              t('offer.decline'),
            ),
          ),
        )
      : null,
    h('h2', {}, t('status.meetings')),
    application.meetings.length === 0
      ? h('p', {}, t('status.noMeetings'))
      : table(
          t('status.meetings'),
          [t('meeting.kind'), t('meeting.startsAt'), t('meeting.duration'), t('meeting.join')],
          application.meetings.map((m) => [
            tValue('kind', m.kind),
            formatDateTime(m.startsAt),
            m.durationMinutes ? t('meeting.minutes', { n: m.durationMinutes }) : '–',
            m.joinUrl ? h('a', { href: m.joinUrl }, t('meeting.joinLink', { kind: tValue('kind', m.kind) })) : '–',
          ]),
        ),
    application.status === 'accepted' || application.status === 'completed'
      ? [
          h('h2', {}, t('extra.title')),
          form({
            label: t('extra.title'),
            submitLabel: t('extra.submit'),
            fields: [{ name: 'message', label: t('extra.message'), multiline: true, required: true }],
            send: (body) => call('POST', `${path}/extra-meetings`, { query: { token }, body }),
            done: (_result, el) => {
              el.replaceWith(notice(t('extra.done'), 'ok'));
            },
          }),
        ]
      : null,
    canWithdraw
      ? [
          h('h2', {}, t('withdraw.title')),
          h('p', {}, t('withdraw.explain')),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => {
                if (window.confirm(t('withdraw.confirm')))
                  void act(() => call('POST', `${path}/withdraw`, { query: { token } }), t('withdraw.done'));
              },
            },
            t('withdraw.button'),
          ),
        ]
      : null,
  );
}

export async function webinarPage({ main, params, query }: ViewContext): Promise<void> {
  const webinar = await call<WebinarView>('GET', `/webinars/${enc(params.webinarId!)}`);
  const invitation = query.get('invitation') ?? undefined;
  const registerForm = form<RegisterResponse>({
    label: t('webinar.register'),
    submitLabel: t('webinar.registerSubmit'),
    fields: [
      { name: 'name', label: t('webinar.name'), required: true, autocomplete: 'name' },
      { name: 'email', label: t('webinar.email'), required: true, inputType: 'email', autocomplete: 'email' },
      { name: 'municipality', label: t('webinar.municipality') },
      {
        name: 'language',
        label: t('apply.language'),
        options: languageOptions(webinar.languages),
        value: preferredLanguage(webinar.languages) as Lang,
      },
      { name: 'consent', label: t('webinar.consent'), type: 'boolean', required: true },
    ],
    send: (body) =>
      call<RegisterResponse>('POST', `/webinars/${enc(webinar.webinarId)}/registrations`, {
        body: { ...body, ...(invitation ? { invitation } : {}) },
      }),
    done: (result, el) => {
      const text =
        result.status === 'waitlisted' ? t('webinar.waitlisted', { position: result.position ?? '?' }) : t('webinar.confirmed');
      el.replaceWith(
        h(
          'div',
          {},
          notice(text, 'ok'),
          result.cancelUrl ? h('p', {}, h('a', { href: pageLinkFor(result.cancelUrl) }, t('webinar.cancelLink'))) : null,
        ),
      );
    },
  });
  replaceChildren(
    main,
    h('h1', {}, webinar.title),
    webinar.description ? h('p', {}, webinar.description) : null,
    facts([
      [t('webinar.time'), `${formatDateTime(webinar.startsAt)} – ${formatDateTime(webinar.endsAt)}`],
      [t('webinar.seatsLeft'), `${webinar.seatsLeft} / ${webinar.seats}`],
      [t('webinar.waiting'), String(webinar.waiting)],
      [t('webinar.registrationCloses'), formatDateTime(webinar.registrationClosesAt)],
    ]),
    h('h2', {}, t('webinar.register')),
    webinar.registrationOpen ? [h('p', {}, t('form.requiredNote')), registerForm] : notice(t('webinar.closed')),
  );
}

export function cancelRegistrationPage({ main, params, query }: ViewContext): void {
  const token = query.get('token') ?? '';
  const result = h('div', {});
  const button = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: async () => {
        button.disabled = true;
        try {
          await call('DELETE', `/registrations/${enc(params.registrationId!)}`, { query: { token } });
          button.remove();
          replaceChildren(result, notice(t('cancel.done'), 'ok'));
        } catch (error) {
          button.disabled = false;
          replaceChildren(result, notice(messageFor(error), 'error'));
        }
      },
    },
    t('cancel.button'),
  );
  replaceChildren(
    main,
    h('h1', {}, t('cancel.title')),
    h('p', {}, t('cancel.explain')),
    result,
    token ? button : notice(t('status.noToken'), 'error'),
  );
}
