// The wiring table: which handler answers which HTTP route, event and schedule.
// The CDK stack builds API routes, EventBridge rules and schedules from it; the local runtime routes
// by it; test/infra checks that the synthesized template equals it. It is plain data on purpose:
// handlers import it (for their route's role) without pulling in CDK or the SDK: it names events
// through the event catalogue and nothing else.
import { patternFor } from '../schemas/events/catalogue.js';
import { sesEmailEventPattern } from '../schemas/events/ses.js';

/**
 * Who may call a route. `public` needs no token; the others need a bearer JWT in that Cognito group.
 * An `admin` (the national agency) may also do whatever a coordinator may, everywhere.
 */
export type Role = 'public' | 'coordinator' | 'tutor' | 'admin';

/** Cognito group that carries each signed-in role. */
export const roleGroups = { coordinator: 'coordinators', tutor: 'tutors', admin: 'admins' } as const satisfies Record<
  Exclude<Role, 'public'>,
  string
>;

/**
 * A handler id is `<capability>/<name>`; its code is `functions/<capability>/handlers/<name>.ts`,
 * exporting `handler`. One Lambda function per handler id.
 */
export type HandlerId = `${string}/${string}`;

/**
 * AWS access a handler needs beyond its table: the stack grants exactly these. `manage-tutor-accounts`:
 * create a tutor's user in the Cognito user pool and put it in the tutors' group
 * (functions/shared/staff-accounts.ts).
 */
export type Need = 'send-email' | 'manage-tutor-accounts';

export interface HttpRoute {
  readonly handler: HandlerId;
  readonly role: Role;
  /**
   * On a public route: signed-in roles whose bearer token is also taken (verified by the handler,
   * since the HTTP API cannot make an authorizer optional).
   */
  readonly acceptsBearer?: readonly Exclude<Role, 'public'>[];
  /**
   * On a signed-in route: further roles whose token is also taken (e.g. a coordinator on a tutor
   * route). The JWT authorizer proves the token as for `role`; the handler checks the group.
   */
  readonly alsoFor?: readonly Exclude<Role, 'public'>[];
  readonly needs?: readonly Need[];
  /** `read`: the handler only reads the table, and the stack grants it read actions only. Default: read and write. */
  readonly tableAccess?: 'read';
}

export interface EventRule {
  readonly handler: HandlerId;
  readonly needs?: readonly Need[];
  /** An EventBridge event pattern (the subset the local bus understands: exact values per field). */
  readonly pattern: {
    readonly source: readonly string[];
    readonly 'detail-type': readonly string[];
  };
}

export interface ScheduleRule {
  readonly handler: HandlerId;
  readonly needs?: readonly Need[];
  /** An EventBridge schedule expression; the local runtime fires it on the same period of its clock. */
  readonly expression: `rate(${number} ${'minute' | 'minutes' | 'hour' | 'hours'})`;
}

/** HTTP routes, keyed by API Gateway route key (`METHOD /path`). */
export const httpRoutes = {
  'POST /rounds': { handler: 'intake/create-round', role: 'coordinator' },
  'GET /rounds': { handler: 'intake/list-rounds', role: 'public' },
  'GET /rounds/{roundId}': { handler: 'intake/get-round', role: 'public' },
  'POST /rounds/{roundId}/applications': { handler: 'intake/apply', role: 'public' },
  'POST /rounds/{roundId}/status-link': { handler: 'intake/request-status-link', role: 'public' },
  'GET /applications/{applicationId}': { handler: 'intake/get-application', role: 'public' },
  'PATCH /rounds/{roundId}': { handler: 'intake/update-round', role: 'coordinator' },

  'POST /rounds/{roundId}/selection': { handler: 'selection/select', role: 'coordinator' },
  'GET /rounds/{roundId}/applications': { handler: 'selection/list-applications', role: 'coordinator' },
  'POST /rounds/{roundId}/complete': { handler: 'selection/complete-round', role: 'coordinator' },
  'POST /applications/{applicationId}/withdraw': {
    handler: 'selection/withdraw',
    role: 'public',
    acceptsBearer: ['coordinator'],
  },
  'POST /applications/{applicationId}/offer': { handler: 'selection/answer-offer', role: 'public' },

  'POST /tutors': { handler: 'tutoring/create-tutor', role: 'coordinator', needs: ['manage-tutor-accounts'] },
  'GET /tutors': { handler: 'tutoring/list-tutors', role: 'coordinator' },
  'PATCH /tutors/{tutorId}': { handler: 'tutoring/update-tutor', role: 'coordinator' },
  'POST /engagements/{engagementId}/tutor': { handler: 'tutoring/assign-tutor', role: 'coordinator' },
  'GET /rounds/{roundId}/engagements': { handler: 'tutoring/list-round-engagements', role: 'coordinator' },
  'GET /me/engagements': { handler: 'tutoring/list-my-engagements', role: 'tutor' },
  'GET /engagements/{engagementId}': { handler: 'tutoring/get-engagement', role: 'tutor', alsoFor: ['coordinator'] },
  'POST /engagements/{engagementId}/meetings': {
    handler: 'tutoring/schedule-meeting',
    role: 'tutor',
    alsoFor: ['coordinator'],
  },
  'PATCH /meetings/{meetingId}': {
    handler: 'tutoring/change-meeting',
    role: 'tutor',
    alsoFor: ['coordinator'],
  },
  'POST /meetings/{meetingId}/log': {
    handler: 'tutoring/log-session',
    role: 'tutor',
    alsoFor: ['coordinator'],
  },
  'POST /engagements/{engagementId}/complete': {
    handler: 'tutoring/complete-engagement',
    role: 'tutor',
    alsoFor: ['coordinator'],
  },
  'POST /applications/{applicationId}/extra-meetings': {
    handler: 'tutoring/request-extra-meetings',
    role: 'public',
  },

  'POST /rounds/{roundId}/webinars': { handler: 'webinar/create-webinar', role: 'coordinator' },
  'GET /webinars/{webinarId}': { handler: 'webinar/get-webinar', role: 'public' },
  'GET /rounds/{roundId}/webinars': { handler: 'webinar/list-round-webinars', role: 'coordinator', tableAccess: 'read' },
  'PATCH /webinars/{webinarId}': { handler: 'webinar/update-webinar', role: 'coordinator' },
  'POST /webinars/{webinarId}/invitations': {
    handler: 'webinar/request-invitations',
    role: 'coordinator',
  },
  'GET /webinars/{webinarId}/invitations/{batchId}': { handler: 'webinar/get-invitation-batch', role: 'coordinator' },
  'POST /webinars/{webinarId}/attendance': { handler: 'webinar/mark-attendance', role: 'coordinator' },
  'GET /webinars/{webinarId}/registrations': { handler: 'webinar/list-registrations', role: 'coordinator' },
  'POST /webinars/{webinarId}/registrations': { handler: 'webinar/register', role: 'public' },
  'DELETE /registrations/{registrationId}': { handler: 'webinar/cancel-registration', role: 'public' },
  'POST /privacy/export': { handler: 'privacy/export-person', role: 'coordinator' },
  'POST /privacy/erase': { handler: 'privacy/erase-person', role: 'coordinator' },
  'GET /rounds/{roundId}/report': { handler: 'reporting/get-report', role: 'coordinator' },

  // The organisation: the municipality register and its regions.
  'PUT /municipalities': { handler: 'organisation/import-register', role: 'admin' },
  'GET /municipalities': { handler: 'organisation/list-municipalities', role: 'public', tableAccess: 'read' },
  'GET /regions': { handler: 'organisation/list-regions', role: 'public', tableAccess: 'read' },

  // The audit trail: it only reads the table.
  'GET /rounds/{roundId}/history': { handler: 'history/round-history', role: 'coordinator', tableAccess: 'read' },
  'GET /applications/{applicationId}/history': {
    handler: 'history/application-history',
    role: 'coordinator',
    tableAccess: 'read',
  },
  'GET /webinars/{webinarId}/history': { handler: 'history/webinar-history', role: 'coordinator', tableAccess: 'read' },
  'GET /engagements/{engagementId}/history': {
    handler: 'history/engagement-history',
    role: 'tutor',
    alsoFor: ['coordinator'],
    tableAccess: 'read',
  },
} as const satisfies Record<string, HttpRoute>;

export type RouteKey = keyof typeof httpRoutes;

/** Event subscriptions, keyed by rule name. The subscriber owns its rule. */
export const eventRules = {
  SendApplicationConfirmation: {
    handler: 'intake/send-application-confirmation',
    needs: ['send-email'],
    pattern: patternFor('ApplicationReceived'),
  },
  FillFreePlaces: {
    handler: 'selection/fill-free-places',
    pattern: patternFor('PlaceFreed'),
  },
  SendStatusLink: {
    handler: 'intake/send-status-link',
    needs: ['send-email'],
    pattern: patternFor('StatusLinkRequested'),
  },
  NotifyApplicantOfSelection: {
    handler: 'selection/notify-applicant',
    needs: ['send-email'],
    pattern: patternFor(
      'ApplicationAccepted',
      'ApplicationWaitlisted',
      'PlaceOffered',
      'OfferDeclined',
      'ApplicationWithdrawn',
      'CarryOverOffered',
      'ApplicationCarriedOver',
    ),
  },
  SuppressBouncedAddresses: {
    handler: 'deliverability/suppress-bounced',
    // SES publishes to the default bus; the stack forwards these events to ours.
    pattern: sesEmailEventPattern,
  },
  NotifyUnreachableContact: {
    handler: 'deliverability/notify-unreachable-contact',
    needs: ['send-email'],
    pattern: patternFor('ContactUnreachable'),
  },
  AskCarryOver: {
    handler: 'selection/ask-carry-over',
    pattern: patternFor('RoundOpened', 'RoundCompleted'),
  },
  OpenAndCloseEngagements: {
    handler: 'tutoring/follow-selection',
    pattern: patternFor('ApplicationAccepted', 'ApplicationWithdrawn'),
  },
  NotifyMeeting: {
    handler: 'tutoring/notify-meeting',
    needs: ['send-email'],
    pattern: patternFor('MeetingScheduled', 'MeetingRescheduled', 'MeetingCancelled', 'MeetingReminderTriggered'),
  },
  NotifyEngagement: {
    handler: 'tutoring/notify-engagement',
    needs: ['send-email'],
    pattern: patternFor(
      'TutorAssigned',
      'EngagementLeftUnassigned',
      'EngagementWithdrawn',
      'SessionLogged',
      'SessionLogReminderTriggered',
      'ExtraMeetingsRequested',
      'EngagementCompleted',
    ),
  },
  SendWebinarInvitations: {
    handler: 'webinar/send-invitations',
    needs: ['send-email'],
    pattern: patternFor('InvitationsRequested', 'InvitationBatchProgressed'),
  },
  NotifyRegistrant: {
    handler: 'webinar/notify-registrant',
    needs: ['send-email'],
    pattern: patternFor(
      'RegistrationConfirmed',
      'RegistrationWaitlisted',
      'RegistrationPromoted',
      'RegistrationCancelled',
      'AttendanceMarked',
    ),
  },
  FillFreeSeats: {
    handler: 'webinar/fill-free-seats',
    pattern: patternFor('RegistrationCancelled', 'WebinarUpdated'),
  },
  // The situational picture: reads and writes only the table, so it needs nothing more.
  ProjectRoundReport: {
    handler: 'reporting/project-report',
    pattern: patternFor(
      'ApplicationReceived',
      'ApplicationWaitlisted',
      'PlaceOffered',
      'ApplicationAccepted',
      'OfferDeclined',
      'ApplicationWithdrawn',
      'ApplicationCarriedOver',
      'EngagementCompleted',
      'TutorAssigned',
      'EngagementLeftUnassigned',
      'MeetingScheduled',
      'MeetingCancelled',
      'SessionLogged',
      'WebinarCreated',
      'WebinarUpdated',
      'RegistrationWaitlisted',
      'RegistrationConfirmed',
      'RegistrationPromoted',
      'RegistrationCancelled',
      'AttendanceMarked',
    ),
  },
} as const satisfies Record<string, EventRule>;

/** Timed work, keyed by rule name. */
export const scheduleRules = {
  OpenDueRounds: { handler: 'intake/open-due-rounds', expression: 'rate(1 minute)' },
  EraseExpiredRounds: { handler: 'privacy/erase-expired-rounds', expression: 'rate(1 hour)' },
  RetryOutbox: { handler: 'deliverability/retry-outbox', expression: 'rate(1 minute)', needs: ['send-email'] },
  SelectDueRounds: { handler: 'selection/select-due-rounds', expression: 'rate(1 minute)' },
  ExpireOffers: { handler: 'selection/expire-offers', expression: 'rate(1 minute)' },
  TriggerMeetingReminders: { handler: 'tutoring/trigger-due-reminders', expression: 'rate(1 minute)' },
  ResumeInvitationBatches: {
    handler: 'webinar/resume-invitation-batches',
    expression: 'rate(1 minute)',
  },
  SendWebinarNotices: { handler: 'webinar/send-due-notices', expression: 'rate(1 minute)', needs: ['send-email'] },
  SweepWebinarSeats: { handler: 'webinar/sweep-seats', expression: 'rate(1 minute)' },
} as const satisfies Record<string, ScheduleRule>;

/** Every handler id named anywhere in the table, once. */
export function allHandlerIds(): HandlerId[] {
  const ids = [
    ...Object.values(httpRoutes).map((r) => r.handler),
    ...Object.values(eventRules).map((r) => r.handler),
    ...Object.values(scheduleRules).map((r) => r.handler),
  ];
  return [...new Set<HandlerId>(ids)].sort();
}

/** What a handler needs, gathered from every entry that names it. */
export function needsOf(id: HandlerId): Need[] {
  const entries: { handler: HandlerId; needs?: readonly Need[] }[] = [
    ...Object.values(httpRoutes),
    ...Object.values(eventRules),
    ...Object.values(scheduleRules),
  ];
  return [...new Set(entries.filter((e) => e.handler === id).flatMap((e) => e.needs ?? []))].sort();
}

/** Whether a handler only reads the table: every entry that names it says so (only HTTP routes can). */
export function readsOnly(id: HandlerId): boolean {
  const entries: { handler: HandlerId; tableAccess?: 'read' }[] = [
    ...Object.values(httpRoutes),
    ...Object.values(eventRules),
    ...Object.values(scheduleRules),
  ];
  const own = entries.filter((e) => e.handler === id);
  return own.length > 0 && own.every((e) => e.tableAccess === 'read');
}

/** Source file of a handler, relative to the project root. */
export function handlerEntry(id: HandlerId): string {
  const [capability, name] = id.split('/');
  return `functions/${capability}/handlers/${name}.ts`;
}
