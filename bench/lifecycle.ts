// Figure 7 and the workload of figure 3: one full round driven over HTTP on the local stack, from
// tutors and applications through selection, meetings and session logs to a webinar's registrations.
import type { LocalStack } from '../local/stack.js';
import { ApiClient, pool } from './http.js';

export interface LifecycleSize {
  municipalities: number;
  tutors: number;
  meetingsPerEngagement: number;
  registrations: number;
}

export const lifecycleSizes = {
  full: { municipalities: 20, tutors: 5, meetingsPerEngagement: 3, registrations: 200 },
  quick: { municipalities: 4, tutors: 2, meetingsPerEngagement: 2, registrations: 20 },
} as const satisfies Record<string, LifecycleSize>;

export interface LifecycleResult extends LifecycleSize {
  wallMs: number;
  /** HTTP requests the client made (dev routes included). */
  httpRequests: number;
  events: number;
  emails: number;
  engagementsWithTutor: number;
  sessionLogs: number;
  confirmedRegistrations: number;
}

const day = 24 * 3_600_000;
// Enough clients at once to overlap handlers, as several people would, without a burst.
const concurrency = 8;

interface Engagement {
  engagementId: string;
  status: string;
  tutor?: { tutorId: string };
}

/** The number of emails the SES emulator holds. */
export async function emailCount(stack: LocalStack): Promise<number> {
  const { emails } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: unknown[] };
  return emails.length;
}

export async function runLifecycle(stack: LocalStack, size: LifecycleSize, log: (m: string) => void): Promise<LifecycleResult> {
  const api = new ApiClient(stack.apiUrl);
  const eventsBefore = stack.bus.publishedEvents().length;
  const emailsBefore = await emailCount(stack);
  const started = performance.now();
  const coordinator = await api.token('coordinator', 'coordinator@bench.example.fi');
  const languages = ['fi', 'sv', 'en'] as const;

  // Tutors first, so that selection's engagements get a tutor each, round-robin.
  const perTutor = Math.ceil(size.municipalities / size.tutors);
  await pool([...Array(size.tutors).keys()], concurrency, (i) =>
    api.expect([201], 'POST', '/tutors', {
      token: coordinator,
      json: { name: `Tutor ${i}`, email: `tutor${i}@bench.example.fi`, languages, regions: ['01'], maxActive: perTutor },
    }),
  );
  let now = await api.now();
  const { roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
    token: coordinator,
    json: {
      name: 'Bench round',
      region: '01',
      places: size.municipalities,
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 14 * day).toISOString(),
      languages,
    },
  });
  await pool([...Array(size.municipalities).keys()], concurrency, (i) =>
    api.expect([201], 'POST', `/rounds/${roundId}/applications`, {
      json: {
        municipality: { code: String(i).padStart(3, '0'), name: `Kunta ${i}` },
        contact: { name: `Contact ${i}`, email: `contact${i}@bench.example.fi` },
        language: languages[i % 3],
        themes: ['remote support'],
        consent: true,
      },
    }),
  );
  await api.expect([200], 'POST', `/rounds/${roundId}/selection`, { token: coordinator, json: { policy: 'first-come', force: true } });
  // Engagements open and get their tutor from the selection's events.
  await stack.settled();
  log(`lifecycle: ${size.municipalities} applications selected`);

  const { engagements } = await api.expect<{ engagements: Engagement[] }>([200], 'GET', `/rounds/${roundId}/engagements`, {
    token: coordinator,
  });
  const withTutor = engagements.filter((e) => e.tutor);
  now = await api.now();
  const meetings = await pool(
    withTutor.flatMap((e) => [...Array(size.meetingsPerEngagement).keys()].map((k) => ({ e, k }))),
    concurrency,
    ({ e, k }) =>
      api.expect<{ meetingId: string }>([201], 'POST', `/engagements/${e.engagementId}/meetings`, {
        token: coordinator,
        json: {
          kind: k === 0 ? 'kickoff' : 'follow-up',
          startsAt: new Date(now + day + k * 7 * day).toISOString(),
          durationMinutes: 60,
          joinUrl: 'https://meet.example.fi/bench',
        },
      }),
  );
  await stack.settled();
  // Past every meeting: reminders fire on the way, and the sessions can be logged.
  await api.expect([200], 'POST', '/dev/clock', { json: { advanceBy: `P${size.meetingsPerEngagement * 7 + 2}D` } });
  await pool(meetings, concurrency, (m) =>
    api.expect([200, 201], 'POST', `/meetings/${m.meetingId}/log`, {
      token: coordinator,
      json: { attendees: 6, themes: ['remote support'], notes: 'Bench session', actions: ['Practise'], durationMinutes: 60 },
    }),
  );
  await stack.settled();
  log(`lifecycle: ${meetings.length} meetings scheduled and logged`);

  now = await api.now();
  const startsAt = now + 7 * day;
  const { webinarId } = await api.expect<{ webinarId: string }>([201], 'POST', `/rounds/${roundId}/webinars`, {
    token: coordinator,
    json: {
      title: 'Closing webinar',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 2 * 3_600_000).toISOString(),
      registrationClosesAt: new Date(startsAt - 3_600_000).toISOString(),
      seats: size.registrations,
      joinUrl: 'https://meet.example.fi/webinar',
      languages,
    },
  });
  const registered = await pool([...Array(size.registrations).keys()], concurrency, (i) =>
    api.expect<{ status: string }>([201], 'POST', `/webinars/${webinarId}/registrations`, {
      json: { name: `Guest ${i}`, email: `guest${i}@bench.example.fi`, language: languages[i % 3], consent: true },
    }),
  );
  await stack.settled();
  const wallMs = performance.now() - started;
  log(`lifecycle: ${size.registrations} webinar registrations, done in ${(wallMs / 1000).toFixed(1)} s`);
  return {
    ...size,
    wallMs,
    httpRequests: api.requests,
    events: stack.bus.publishedEvents().length - eventsBefore,
    emails: (await emailCount(stack)) - emailsBefore,
    engagementsWithTutor: withTutor.length,
    sessionLogs: meetings.length,
    confirmedRegistrations: registered.filter((r) => r.status === 'confirmed').length,
  };
}
