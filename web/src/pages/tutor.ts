// The tutor's page: the municipalities assigned to me, scheduling meetings and logging the sessions.
import type { EngagementView, MeetingView } from '../../../schemas/api/engagements.js';
import type { RoundView } from '../../../schemas/api/rounds.js';
import { call } from '../api.js';
import { facts, h, notice, replaceChildren, table, type Child } from '../dom.js';
import { form, helsinkiDayAt, messageFor } from '../forms.js';
import { formatDateTime, t, tValue } from '../i18n.js';
import { refresh, type ViewContext } from '../router.js';

const enc = encodeURIComponent;

/** Tomorrow at 10:00 Helsinki time: a sensible first suggestion for a meeting. */
const tomorrowAtTen = (): string => helsinkiDayAt(1, 10);

/** Re-renders, then says what happened under the heading (a status message, announced). */
async function afterAction(message: string): Promise<void> {
  await refresh();
  document.querySelector('#main h1')?.after(notice(message, 'ok'));
}

function logForm(engagement: EngagementView, meeting: MeetingView): HTMLElement {
  const last = meeting.logs[meeting.logs.length - 1];
  return h(
    'details',
    {},
    h(
      'summary',
      {},
      last ? t('log.correct', { kind: tValue('kind', meeting.kind) }) : t('log.open', { kind: tValue('kind', meeting.kind) }),
    ),
    form({
      label: t('log.title'),
      submitLabel: t('log.submit'),
      fields: [
        { name: 'attendees', label: t('log.attendees'), type: 'number', value: last?.attendees ?? '', required: true, min: 0 },
        {
          name: 'durationMinutes',
          label: t('log.duration'),
          type: 'number',
          value: last?.durationMinutes ?? meeting.durationMinutes,
          required: true,
          min: 5,
        },
        {
          name: 'themes',
          label: t('log.themes'),
          type: 'list',
          hint: t('apply.themesHint'),
          value: last?.themes ?? engagement.themes,
          required: true,
        },
        { name: 'notes', label: t('log.notes'), multiline: true, value: last?.notes ?? '' },
        { name: 'actions', label: t('log.actions'), type: 'lines', hint: t('log.actionsHint'), value: last?.actions ?? [] },
      ],
      send: (body) => call('POST', `/meetings/${enc(meeting.meetingId)}/log`, { auth: true, body }),
      done: () => afterAction(t('log.done')),
    }),
  );
}

function meetingRows(engagement: EngagementView): Child[][] {
  return engagement.meetings.map((meeting) => {
    const last = meeting.logs[meeting.logs.length - 1];
    return [
      tValue('kind', meeting.kind),
      formatDateTime(meeting.startsAt),
      t('meeting.minutes', { n: meeting.durationMinutes }),
      tValue('meetingStatus', meeting.status),
      last ? t('log.logged', { attendees: last.attendees, time: formatDateTime(last.loggedAt) }) : t('log.notLogged'),
    ];
  });
}

function engagementCard(engagement: EngagementView, roundName: string | undefined): HTMLElement {
  const errors = h('div', {});
  const scheduled = engagement.meetings.filter((m) => m.status === 'scheduled');
  const headingId = `engagement-${engagement.engagementId}`;
  return h(
    'li',
    { class: 'card' },
    h(
      'section',
      { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, engagement.municipality.name),
      errors,
      facts([
        [t('tutor.round'), roundName ?? '–'],
        [t('status.status'), tValue('engagement', engagement.status)],
        [
          t('tutor.contact'),
          engagement.contact
            ? `${engagement.contact.name}, ${engagement.contact.email}${engagement.contact.phone ? `, ${engagement.contact.phone}` : ''}`
            : '–',
        ],
        [t('apply.language'), tValue('language', engagement.language)],
        [t('apply.themes'), engagement.themes.join(', ')],
      ]),
      engagement.extraMeetingRequests.length > 0
        ? [
            h('h3', {}, t('tutor.extraRequests')),
            h(
              'ul',
              {},
              engagement.extraMeetingRequests.map((r) => h('li', {}, `${formatDateTime(r.requestedAt)}: ${r.message}`)),
            ),
          ]
        : null,
      h('h3', {}, t('status.meetings')),
      engagement.meetings.length === 0
        ? h('p', {}, t('status.noMeetings'))
        : table(
            t('status.meetings'),
            [t('meeting.kind'), t('meeting.startsAt'), t('meeting.duration'), t('meeting.status'), t('log.title')],
            meetingRows(engagement),
          ),
      // Every scheduled meeting gets the form: the API (on its clock) says when one is not held yet.
      scheduled.map((meeting) => logForm(engagement, meeting)),
      engagement.status === 'active'
        ? h(
            'details',
            {},
            h('summary', {}, t('meeting.schedule')),
            form({
              label: t('meeting.schedule'),
              submitLabel: t('meeting.scheduleSubmit'),
              fields: [
                {
                  name: 'kind',
                  label: t('meeting.kind'),
                  options: ['kickoff', 'follow-up', 'extra'].map((kind) => ({ value: kind, label: tValue('kind', kind) })),
                  value: engagement.meetings.some((m) => m.kind === 'kickoff' && m.status === 'scheduled')
                    ? 'follow-up'
                    : 'kickoff',
                },
                { name: 'startsAt', label: t('meeting.startsAt'), type: 'datetime', value: tomorrowAtTen(), required: true },
                {
                  name: 'durationMinutes',
                  label: t('meeting.durationMinutes'),
                  type: 'number',
                  value: 60,
                  required: true,
                  min: 5,
                },
                {
                  name: 'joinUrl',
                  label: t('meeting.joinUrl'),
                  inputType: 'url',
                  hint: t('meeting.joinUrlHint'),
                  required: true,
                },
              ],
              send: (body) => call('POST', `/engagements/${enc(engagement.engagementId)}/meetings`, { auth: true, body }),
              done: () => afterAction(t('meeting.scheduled')),
            }),
          )
        : null,
      engagement.status === 'active'
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: async () => {
                  if (!window.confirm(t('tutor.completeConfirm'))) return;
                  try {
                    await call('POST', `/engagements/${enc(engagement.engagementId)}/complete`, { auth: true });
                    await afterAction(t('tutor.completed'));
                  } catch (error) {
                    replaceChildren(errors, notice(messageFor(error), 'error'));
                  }
                },
              },
              t('tutor.complete', { name: engagement.municipality.name }),
            ),
          )
        : null,
    ),
  );
}

export async function tutorPage({ main }: ViewContext): Promise<void> {
  const answer = await call<{ engagements: EngagementView[] }>('GET', '/me/engagements', { auth: true });
  // A municipality that withdrew is no longer the tutor's to coach.
  const engagements = answer.engagements.filter((engagement) => engagement.status !== 'withdrawn');
  const roundIds = [...new Set(engagements.map((engagement) => engagement.roundId))];
  const rounds = await Promise.all(
    roundIds.map((roundId) =>
      call<RoundView>('GET', `/rounds/${enc(roundId)}`).then(
        (round) => [roundId, round.name] as const,
        () => [roundId, undefined] as const,
      ),
    ),
  );
  const roundNames = new Map(rounds);
  replaceChildren(
    main,
    h('h1', {}, t('tutor.title')),
    engagements.length === 0
      ? notice(t('tutor.none'))
      : h(
          'ul',
          { class: 'cards' },
          engagements.map((engagement) => engagementCard(engagement, roundNames.get(engagement.roundId))),
        ),
  );
}
