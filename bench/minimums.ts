// The fewest DynamoDB requests each command needs by design, with why: what figure 3 compares with.
// Keyed by `handler ← trigger` (see requests.ts). Per invocation; `perInvocation` gets the counts of
// the run (and the lifecycle's size) where the floor grows with the work done, e.g. reminders due.
import type { LifecycleSize } from './lifecycle.js';
import { countKey, type CommandCount } from './requests.js';

export interface Minimum {
  readonly perInvocation: number | ((count: CommandCount, size: LifecycleSize) => number);
  readonly why: string;
}

// An email through the send-once outbox: is the address suppressed (bounced), claim the send with a
// conditional put, mark it sent. Three requests per email, whatever else the handler reads.
const perEmail = 3;
const emailsOf = (c: CommandCount) => (c.byOperation.PutItem ?? 0) / c.invocations;
const scheduleQuery: Minimum = { perInvocation: 1, why: 'one Query of the due-time index; nothing more when nothing is due' };

export const minimums: Readonly<Record<string, Minimum>> = {
  [countKey('tutoring/create-tutor', 'POST /tutors')]: {
    perInvocation: 1,
    why: 'one transaction: the tutor and the unique-email guard',
  },
  [countKey('intake/create-round', 'POST /rounds')]: { perInvocation: 1, why: 'one conditional put of the round' },
  [countKey('intake/apply', 'POST /rounds/{roundId}/applications')]: {
    perInvocation: 2,
    why: 'read the round (window, languages), then one transaction: application, one-per-municipality guard, round count',
  },
  [countKey('selection/select', 'POST /rounds/{roundId}/selection')]: {
    perInvocation: (_c, size) => 2 + Math.ceil((size.municipalities + 1) / 100),
    why: 'read the round, one Query of its applications, transactions of ≤100 items (each status + the counter)',
  },
  [countKey('tutoring/list-round-engagements', 'GET /rounds/{roundId}/engagements')]: {
    perInvocation: 1,
    why: "one Query of the round's engagements (tutor name kept on the engagement)",
  },
  [countKey('tutoring/schedule-meeting', 'POST /engagements/{engagementId}/meetings')]: {
    perInvocation: 2,
    why: "one Query of the engagement's partition (actor, state), one transaction: meeting, slot guard, timers",
  },
  [countKey('tutoring/log-session', 'POST /meetings/{meetingId}/log')]: {
    perInvocation: 3,
    why: 'meeting → engagement pointer, Query of the engagement, one transaction (log + meeting version)',
  },
  [countKey('webinar/create-webinar', 'POST /rounds/{roundId}/webinars')]: {
    perInvocation: 2,
    why: 'read the round it belongs to, one conditional put',
  },
  [countKey('webinar/register', 'POST /webinars/{webinarId}/registrations')]: {
    perInvocation: 2,
    why: 'read the webinar (open, languages), one transaction: registration, unique-email guard, seat counter',
  },
  [countKey('intake/send-application-confirmation', 'ApplicationReceived')]: {
    perInvocation: 1 + perEmail,
    why: 'read the application, then one email',
  },
  [countKey('selection/notify-applicant', 'ApplicationAccepted')]: {
    perInvocation: 1 + perEmail,
    why: 'read the application, then one email',
  },
  [countKey('selection/notify-applicant', 'ApplicationWaitlisted')]: {
    perInvocation: 1 + perEmail,
    why: 'read the application, then one email',
  },
  [countKey('tutoring/follow-selection', 'ApplicationAccepted')]: {
    perInvocation: 3,
    why: 'read the application, Query the tutors of the region, one transaction: engagement + tutor count',
  },
  [countKey('tutoring/notify-engagement', 'TutorAssigned')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then one email each to the tutor and the municipality',
  },
  [countKey('tutoring/notify-engagement', 'EngagementLeftUnassigned')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then one email per coordinator',
  },
  [countKey('tutoring/notify-meeting', 'MeetingScheduled')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then one email (with the .ics) per participant',
  },
  [countKey('tutoring/notify-meeting', 'MeetingReminderTriggered')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then one email per participant',
  },
  [countKey('tutoring/notify-engagement', 'SessionLogged')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then the follow-up email',
  },
  [countKey('tutoring/notify-engagement', 'SessionLogReminderTriggered')]: {
    perInvocation: (c) => 1 + perEmail * emailsOf(c),
    why: 'one Query of the engagement, then the reminder to the tutor',
  },
  [countKey('webinar/notify-registrant', 'RegistrationConfirmed')]: {
    perInvocation: 1 + perEmail,
    why: 'read the registration, then one email',
  },
  [countKey('webinar/notify-registrant', 'RegistrationWaitlisted')]: {
    perInvocation: 1 + perEmail,
    why: 'read the registration, then one email',
  },
  [countKey('tutoring/trigger-due-reminders', 'Scheduled Event')]: {
    perInvocation: (c) => 1 + (c.byOperation.DeleteItem ?? 0) / c.invocations,
    why: 'one Query of due timers, one conditional delete per timer (the claim that makes it fire once)',
  },
  [countKey('intake/open-due-rounds', 'Scheduled Event')]: scheduleQuery,
  [countKey('selection/select-due-rounds', 'Scheduled Event')]: scheduleQuery,
  [countKey('selection/expire-offers', 'Scheduled Event')]: scheduleQuery,
  [countKey('privacy/erase-expired-rounds', 'Scheduled Event')]: scheduleQuery,
  [countKey('deliverability/retry-outbox', 'Scheduled Event')]: scheduleQuery,
  [countKey('webinar/resume-invitation-batches', 'Scheduled Event')]: scheduleQuery,
  [countKey('webinar/send-due-notices', 'Scheduled Event')]: scheduleQuery,
  [countKey('webinar/sweep-seats', 'Scheduled Event')]: scheduleQuery,
};

/** The minimum for one invocation of a counted command, or undefined when none is written down. */
export function minimumFor(count: CommandCount, size: LifecycleSize): { requests: number; why: string } | undefined {
  const minimum = minimums[countKey(count.handler, count.trigger)];
  if (!minimum) return undefined;
  const requests = typeof minimum.perInvocation === 'number' ? minimum.perInvocation : minimum.perInvocation(count, size);
  return { requests, why: minimum.why };
}
