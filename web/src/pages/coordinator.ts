// Coordinator pages: rounds (creation, applications, selection, the stage chart, the report),
// tutors and assignment, the webinar with invitation progress and registrations, CSV downloads.
import type * as z from 'zod';
import type { RoundApplicationList as RoundApplicationListSchema } from '../../../schemas/api/applications.js';
import type { EngagementView } from '../../../schemas/api/engagements.js';
import type { RoundReport } from '../../../schemas/api/report.js';
import type { RoundView } from '../../../schemas/api/rounds.js';
import type { TutorView } from '../../../schemas/api/tutors.js';
import type {
  BatchProgress,
  InvitationsAccepted as InvitationsAcceptedSchema,
  RegistrationView,
  WebinarView,
} from '../../../schemas/api/webinars.js';
import { call, downloadCsv } from '../api.js';
import { barChart } from '../chart.js';
import { facts, h, notice, replaceChildren, table } from '../dom.js';
import { form, helsinkiDayAt, messageFor, toIsoWithOffset, toLocalInput } from '../forms.js';
import { regionNamer } from '../regions.js';
import { formatDateTime, formatNumber, t, tValue } from '../i18n.js';
import { navigate, refresh, type ViewContext } from '../router.js';

type RoundApplicationList = z.infer<typeof RoundApplicationListSchema>;
type InvitationsAccepted = z.infer<typeof InvitationsAcceptedSchema>;
const enc = encodeURIComponent;
const day = 86_400_000;
const languageChoices = ['fi', 'sv', 'en'].map((code) => ({ value: code, label: tValue('language', code) }));
const stages = ['received', 'accepted', 'waitlisted', 'offered', 'declined', 'withdrawn', 'carried-over', 'completed'] as const;

/** What this browser remembers: the invitation batch it started per webinar, to follow its progress. */
const remembered = {
  batch(webinarId: string): string | null {
    return localStorage.getItem(`sparraus.batch.${webinarId}`);
  },
  setBatch(webinarId: string, batchId: string): void {
    localStorage.setItem(`sparraus.batch.${webinarId}`, batchId);
  },
};

async function afterAction(message: string): Promise<void> {
  await refresh();
  document.querySelector('#main h1')?.after(notice(message, 'ok'));
}

/** A button that runs `action` and shows its failure beside it instead of losing it. */
function actionButton(
  label: string,
  action: () => Promise<void>,
  options: { class?: string; confirm?: string } = {},
): HTMLElement {
  const error = h('span', { role: 'alert' });
  const button: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: options.class,
      onclick: async () => {
        if (options.confirm && !window.confirm(options.confirm)) return;
        button.disabled = true;
        error.textContent = '';
        try {
          await action();
        } catch (failure) {
          error.textContent = messageFor(failure);
        } finally {
          button.disabled = false;
        }
      },
    },
    label,
  );
  return h('span', { class: 'actions' }, button, error);
}

/** Client-side CSV of a table's rows (for lists the API has no CSV for). */
function saveCsv(filename: string, rows: (string | number | undefined)[][]): void {
  const quote = (value: string | number | undefined) => `"${String(value ?? '').replace(/"/g, '""')}"`;
  const blob = new Blob([rows.map((row) => row.map(quote).join(',')).join('\r\n')], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function roundsAdminPage({ main }: ViewContext): Promise<void> {
  const [{ rounds }, regionName] = await Promise.all([
    call<{ rounds: RoundView[] }>('GET', '/rounds', { query: { status: 'all' }, auth: true }),
    regionNamer(),
  ]);
  const now = Date.now();
  replaceChildren(
    main,
    h('h1', {}, t('coord.roundsTitle')),
    rounds.length === 0
      ? notice(t('coord.noRounds'))
      : table(
          t('coord.roundsTitle'),
          [
            t('round.name'),
            t('round.region'),
            t('status.status'),
            t('round.placesLeft'),
            t('round.applications'),
            t('round.closes'),
          ],
          rounds.map((round) => [
            h('a', { href: `/app/coordinator/rounds/${enc(round.roundId)}` }, round.name),
            regionName(round.region),
            tValue('roundStatus', round.status),
            `${round.placesLeft} / ${round.places}`,
            String(round.applications),
            formatDateTime(round.closesAt),
          ]),
        ),
    h('h2', {}, t('coord.newRound')),
    form<RoundView>({
      label: t('coord.newRound'),
      submitLabel: t('coord.createRound'),
      fields: [
        { name: 'name', label: t('round.name'), required: true },
        { name: 'region', label: t('round.region'), hint: t('round.regionHint'), required: true },
        { name: 'places', label: t('round.places'), type: 'number', value: 5, required: true, min: 1 },
        { name: 'opensAt', label: t('round.opensAt'), type: 'datetime', value: toLocalInput(new Date(now)), required: true },
        {
          name: 'closesAt',
          label: t('round.closesAt'),
          type: 'datetime',
          value: toLocalInput(new Date(now + 14 * day)),
          required: true,
        },
        {
          name: 'languages',
          label: t('round.languages'),
          type: 'choices',
          options: languageChoices,
          value: ['fi', 'sv'],
          required: true,
        },
        {
          name: 'selectionPolicy',
          label: t('round.policy'),
          options: [
            { value: 'first-come', label: t('policy.first-come') },
            { value: 'manual', label: t('policy.manual') },
          ],
        },
      ],
      send: (body) => call<RoundView>('POST', '/rounds', { auth: true, body }),
      done: (round) => navigate(`/app/coordinator/rounds/${enc(round.roundId)}`),
    }),
  );
}

function engagementsSection(engagements: EngagementView[], tutors: TutorView[]): HTMLElement[] {
  const active = tutors.filter((tutor) => tutor.active);
  return [
    h('h2', {}, t('coord.engagements')),
    engagements.length === 0
      ? h('p', {}, t('coord.noEngagements'))
      : table(
          t('coord.engagements'),
          [t('apply.municipalityName'), t('status.tutor'), t('status.status'), t('status.meetings'), t('coord.assign')],
          engagements.map((engagement) => {
            const selectId = `assign-${engagement.engagementId}`;
            const select = h(
              'select',
              { id: selectId },
              active.map((tutor) =>
                h(
                  'option',
                  { value: tutor.tutorId, selected: tutor.tutorId === engagement.tutor?.tutorId },
                  `${tutor.name} (${tutor.activeEngagements}/${tutor.maxActive})`,
                ),
              ),
            );
            return [
              engagement.municipality.name,
              engagement.tutor?.name ?? t('status.noTutor'),
              tValue('engagement', engagement.status),
              String(engagement.meetings.filter((m) => m.status === 'scheduled').length),
              active.length === 0 || (engagement.status !== 'active' && engagement.status !== 'unassigned')
                ? '–'
                : h(
                    'div',
                    {},
                    h(
                      'label',
                      { for: selectId, class: 'visually-hidden' },
                      t('coord.tutorFor', { name: engagement.municipality.name }),
                    ),
                    select,
                    actionButton(t('coord.assign'), async () => {
                      await call('POST', `/engagements/${enc(engagement.engagementId)}/tutor`, {
                        auth: true,
                        body: { tutorId: select.value },
                      });
                      await afterAction(t('coord.assigned'));
                    }),
                  ),
            ];
          }),
        ),
  ];
}

export async function roundAdminPage({ main, params }: ViewContext): Promise<void> {
  const roundId = params.roundId!;
  const base = `/rounds/${enc(roundId)}`;
  const [round, list, engagements, tutors, report] = await Promise.all([
    call<RoundView>('GET', base, { auth: true }),
    call<RoundApplicationList>('GET', `${base}/applications`, { auth: true }),
    call<{ engagements: EngagementView[] }>('GET', `${base}/engagements`, { auth: true }).catch(() => ({ engagements: [] })),
    call<{ tutors: TutorView[] }>('GET', '/tutors', { auth: true }).catch(() => ({ tutors: [] })),
    call<RoundReport>('GET', `${base}/report`, { auth: true }).catch(() => undefined),
  ]);
  const { webinars } = await call<{ webinars: WebinarView[] }>('GET', `${base}/webinars`, { auth: true });
  const applications = list.applications;
  const counts = stages.map((stage) => ({
    label: tValue('status', stage),
    value: applications.filter((a) => a.status === stage).length,
  }));
  const selectable = round.status !== 'selected' && round.status !== 'completed';
  const checks = new Map<string, HTMLInputElement>();
  // Suggested: 12:00 Helsinki time, 30 days on.
  const start = new Date(toIsoWithOffset(helsinkiDayAt(30, 12)));
  const regionName = await regionNamer();

  replaceChildren(
    main,
    h('h1', {}, round.name),
    facts([
      [t('status.status'), tValue('roundStatus', round.status)],
      [t('round.region'), regionName(round.region)],
      [t('round.window'), `${formatDateTime(round.opensAt)} – ${formatDateTime(round.closesAt)}`],
      [t('round.placesLeft'), `${round.placesLeft} / ${round.places}`],
      [t('round.accepted'), String(round.accepted)],
      [t('round.policy'), tValue('policy', round.selectionPolicy)],
    ]),

    h('h2', {}, t('coord.stages')),
    barChart(t('coord.stagesChart', { name: round.name }), counts),

    report
      ? [
          h('h2', {}, t('coord.report')),
          h('p', {}, t('coord.reportIntro')),
          facts([
            [t('coord.reportMunicipalities'), String(report.totals.municipalities)],
            [t('coord.reportMeetingsHeld'), `${report.totals.meetings.held} (${formatNumber(report.totals.meetings.hours)} h)`],
            [t('coord.reportActions'), String(report.totals.actions)],
            [t('coord.reportWebinar'), `${report.totals.webinar.confirmed} / ${report.totals.webinar.attended}`],
          ]),
          table(
            t('coord.report'),
            [
              t('coord.reportMunicipality'),
              t('status.status'),
              t('coord.reportTutor'),
              t('coord.reportMeetingsHeld'),
              t('coord.reportThemes'),
            ],
            report.municipalities.map((m) => [
              m.municipality.name,
              m.stage ? tValue('status', m.stage) : '–',
              m.tutor?.name ?? '–',
              `${m.meetings.held} (${formatNumber(m.meetings.hours)} h)`,
              m.themes.join(', ') || '–',
            ]),
          ),
          h(
            'div',
            { class: 'actions' },
            actionButton(t('coord.reportCsv'), () => downloadCsv(`${base}/report`, `report-${roundId}.csv`)),
          ),
        ]
      : null,

    h('h2', {}, t('coord.applications')),
    applications.length === 0
      ? h('p', {}, t('coord.noApplications'))
      : table(
          t('coord.applications'),
          [
            t('apply.municipalityName'),
            t('tutor.contact'),
            t('apply.language'),
            t('status.status'),
            t('status.position'),
            t('status.received'),
            ...(selectable ? [t('coord.accept')] : []),
          ],
          applications.map((a) => {
            const check = h('input', { type: 'checkbox', id: `accept-${a.applicationId}`, value: a.applicationId });
            checks.set(a.applicationId, check);
            return [
              `${a.municipality.name} (${a.municipality.code})`,
              `${a.contact.name}, ${a.contact.email}`,
              tValue('language', a.language),
              h('span', { class: 'status' }, tValue('status', a.status)),
              a.position !== undefined ? String(a.position) : '–',
              formatDateTime(a.receivedAt),
              ...(selectable
                ? [
                    h(
                      'label',
                      { class: 'choice' },
                      check,
                      h('span', { class: 'visually-hidden' }, t('coord.acceptName', { name: a.municipality.name })),
                    ),
                  ]
                : []),
            ];
          }),
        ),
    h(
      'div',
      { class: 'actions' },
      applications.length > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () =>
                saveCsv(`applications-${roundId}.csv`, [
                  ['municipality', 'code', 'contact', 'email', 'language', 'status', 'position', 'receivedAt'],
                  ...applications.map((a) => [
                    a.municipality.name,
                    a.municipality.code,
                    a.contact.name,
                    a.contact.email,
                    a.language,
                    a.status,
                    a.position,
                    a.receivedAt,
                  ]),
                ]),
            },
            t('coord.applicationsCsv'),
          )
        : null,
    ),
    selectable
      ? [
          h('h2', {}, t('coord.selection')),
          h('p', {}, t('coord.selectionExplain')),
          h(
            'div',
            { class: 'actions' },
            actionButton(
              t('coord.selectFirstCome'),
              async () => {
                const result = await call<{ accepted: number; waitlisted: number }>('POST', `${base}/selection`, {
                  auth: true,
                  body: { policy: 'first-come', force: true },
                });
                await afterAction(t('coord.selected', { accepted: result.accepted, waitlisted: result.waitlisted }));
              },
              { confirm: t('coord.selectConfirm') },
            ),
            actionButton(
              t('coord.selectManual'),
              async () => {
                const accept = [...checks.entries()].filter(([, check]) => check.checked).map(([id]) => id);
                const result = await call<{ accepted: number; waitlisted: number }>('POST', `${base}/selection`, {
                  auth: true,
                  body: { policy: 'manual', accept, force: true },
                });
                await afterAction(t('coord.selected', { accepted: result.accepted, waitlisted: result.waitlisted }));
              },
              { class: 'secondary', confirm: t('coord.selectConfirm') },
            ),
          ),
        ]
      : null,

    engagementsSection(engagements.engagements, tutors.tutors),
    h('p', {}, h('a', { href: '/app/coordinator/tutors' }, t('coord.manageTutors'))),

    h('h2', {}, t('coord.webinars')),
    webinars.length > 0
      ? h(
          'ul',
          {},
          webinars.map((w) =>
            h(
              'li',
              {},
              h('a', { href: `/app/coordinator/webinars/${enc(w.webinarId)}` }, w.title),
              ` (${formatDateTime(w.startsAt)})`,
            ),
          ),
        )
      : h('p', {}, t('coord.noWebinars')),
    h(
      'details',
      {},
      h('summary', {}, t('coord.newWebinar')),
      form<WebinarView>({
        label: t('coord.newWebinar'),
        submitLabel: t('coord.createWebinar'),
        fields: [
          { name: 'title', label: t('webinar.title'), required: true },
          { name: 'startsAt', label: t('webinar.startsAt'), type: 'datetime', value: toLocalInput(start), required: true },
          {
            name: 'endsAt',
            label: t('webinar.endsAt'),
            type: 'datetime',
            value: toLocalInput(new Date(start.getTime() + 2 * 3_600_000)),
            required: true,
          },
          {
            name: 'registrationClosesAt',
            label: t('webinar.registrationCloses'),
            type: 'datetime',
            value: toLocalInput(new Date(start.getTime() - day)),
            required: true,
          },
          { name: 'seats', label: t('webinar.seats'), type: 'number', value: 50, required: true, min: 1 },
          { name: 'joinUrl', label: t('meeting.joinUrl'), inputType: 'url', hint: t('meeting.joinUrlHint'), required: true },
          {
            name: 'languages',
            label: t('round.languages'),
            type: 'choices',
            options: languageChoices,
            value: round.languages,
            required: true,
          },
        ],
        send: (body) => call<WebinarView>('POST', `${base}/webinars`, { auth: true, body }),
        done: (webinar) => {
          navigate(`/app/coordinator/webinars/${enc(webinar.webinarId)}`);
        },
      }),
    ),
  );
}

export async function tutorsAdminPage({ main }: ViewContext): Promise<void> {
  const { tutors } = await call<{ tutors: TutorView[] }>('GET', '/tutors', { auth: true });
  replaceChildren(
    main,
    h('h1', {}, t('coord.tutorsTitle')),
    tutors.length === 0
      ? notice(t('coord.noTutors'))
      : table(
          t('coord.tutorsTitle'),
          [t('webinar.name'), t('webinar.email'), t('round.languages'), t('tutor.regions'), t('tutor.load'), t('tutor.active')],
          tutors.map((tutor) => [
            tutor.name,
            tutor.email,
            tutor.languages.map((code) => tValue('language', code)).join(', '),
            tutor.regions.join(', ') || '–',
            `${tutor.activeEngagements} / ${tutor.maxActive}`,
            tutor.active ? t('common.yes') : t('common.no'),
          ]),
        ),
    h('h2', {}, t('coord.newTutor')),
    form<TutorView>({
      label: t('coord.newTutor'),
      submitLabel: t('coord.addTutor'),
      fields: [
        { name: 'name', label: t('webinar.name'), required: true, autocomplete: 'off' },
        { name: 'email', label: t('webinar.email'), inputType: 'email', required: true, autocomplete: 'off' },
        {
          name: 'languages',
          label: t('round.languages'),
          type: 'choices',
          options: languageChoices,
          value: ['fi'],
          required: true,
        },
        { name: 'regions', label: t('tutor.regions'), type: 'list', hint: t('tutor.regionsHint') },
        { name: 'maxActive', label: t('tutor.maxActive'), type: 'number', value: 5, required: true, min: 1 },
      ],
      send: (body) => call<TutorView>('POST', '/tutors', { auth: true, body }),
      done: (tutor) => afterAction(t('coord.tutorAdded', { name: tutor.name })),
    }),
  );
}

function progressFacts(progress: BatchProgress): HTMLElement {
  return facts([
    [t('invite.status'), tValue('batch', progress.status)],
    [t('invite.recipients'), String(progress.recipients)],
    [t('invite.sent'), String(progress.sent)],
    [t('invite.skipped'), String(progress.skipped)],
    [t('invite.failed'), String(progress.failed)],
    [t('invite.left'), String(progress.left)],
  ]);
}

export async function webinarAdminPage({ main, params }: ViewContext): Promise<void> {
  const webinarId = params.webinarId!;
  const base = `/webinars/${enc(webinarId)}`;
  const [webinar, registrations] = await Promise.all([
    call<WebinarView>('GET', base, { auth: true }),
    call<{ registrations: RegistrationView[]; confirmed: number; waiting: number }>('GET', `${base}/registrations`, {
      auth: true,
    }),
  ]);
  // Progress is polled while this page shows it; role=status announces the finished batch.
  const progress = h('div', { role: 'status', 'aria-live': 'polite', id: 'invitation-progress' });
  const poll = async (batchId: string) => {
    for (;;) {
      if (!progress.isConnected) return;
      const answer = await call<BatchProgress>('GET', `${base}/invitations/${enc(batchId)}`, { auth: true }).catch(
        () => undefined,
      );
      if (!answer || !progress.isConnected) return;
      replaceChildren(progress, progressFacts(answer));
      if (answer.status === 'done') return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const lastBatch = remembered.batch(webinarId);
  const publicLink = `/app/webinars/${enc(webinarId)}`;

  replaceChildren(
    main,
    h('h1', {}, webinar.title),
    h('p', {}, h('a', { href: `/app/coordinator/rounds/${enc(webinar.roundId)}` }, t('coord.backToRound'))),
    facts([
      [t('webinar.time'), `${formatDateTime(webinar.startsAt)} – ${formatDateTime(webinar.endsAt)}`],
      [t('webinar.seatsLeft'), `${webinar.seatsLeft} / ${webinar.seats}`],
      [t('webinar.waiting'), String(webinar.waiting)],
      [t('webinar.registrationCloses'), formatDateTime(webinar.registrationClosesAt)],
      [t('webinar.publicPage'), h('a', { href: publicLink }, new URL(publicLink, location.href).href)],
    ]),
    h('h2', {}, t('invite.title')),
    h('p', {}, t('invite.explain')),
    h(
      'div',
      { class: 'actions' },
      actionButton(t('invite.send'), async () => {
        const accepted = await call<InvitationsAccepted>('POST', `${base}/invitations`, { auth: true, body: {} });
        remembered.setBatch(webinarId, accepted.batchId);
        void poll(accepted.batchId);
      }),
    ),
    progress,
    h('h2', {}, t('coord.registrations')),
    registrations.registrations.length === 0
      ? h('p', {}, t('coord.noRegistrations'))
      : table(
          t('coord.registrations'),
          [
            t('webinar.name'),
            t('webinar.email'),
            t('webinar.municipality'),
            t('status.status'),
            t('status.position'),
            t('coord.attended'),
          ],
          registrations.registrations.map((r) => [
            r.name,
            r.email,
            r.municipality ?? '–',
            h('span', { class: 'status' }, tValue('registration', r.status)),
            r.position !== undefined ? String(r.position) : '–',
            r.attended === undefined ? '–' : r.attended ? t('common.yes') : t('common.no'),
          ]),
        ),
    h(
      'div',
      { class: 'actions' },
      actionButton(t('coord.registrationsCsv'), () => downloadCsv(`${base}/registrations`, `registrations-${webinarId}.csv`), {
        class: 'secondary',
      }),
    ),
  );
  if (lastBatch) void poll(lastBatch);
}
