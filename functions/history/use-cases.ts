// Reading an audit trail: the subject must exist and be the caller's to see; then one page of its events.
import { encodeHistoryCursor, type HistoryEntry, type HistoryPage, type HistoryQuery } from '../../schemas/api/history.js';
import type { HistorySubject, StoredEvent } from '../../schemas/events/stored.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { Caller } from '../shared/http.js';
import type { HistoryReader } from './store.js';

/** What the history routes need to know about the aggregates whose history they show. */
export interface Subjects {
  roundExists(roundId: string): Promise<boolean>;
  applicationExists(applicationId: string): Promise<boolean>;
  webinarExists(webinarId: string): Promise<boolean>;
  /** An engagement's current tutor (undefined tutorId while unassigned); undefined when there is no such engagement. */
  engagement(engagementId: string): Promise<{ tutorId?: string } | undefined>;
  /** The roster's tutor id for a signed-in tutor's verified email. */
  tutorIdByEmail(email: string): Promise<string | undefined>;
}

export interface HistoryPorts {
  history: HistoryReader;
  subjects: Subjects;
}

const noun: Record<HistorySubject, string> = {
  round: 'round',
  application: 'application',
  webinar: 'webinar',
  engagement: 'engagement',
};

/** The history of one subject, after the existence and access checks its route asks for. */
export async function readHistory(
  ports: HistoryPorts,
  caller: Caller,
  subject: HistorySubject,
  id: string,
  query: HistoryQuery,
): Promise<HistoryPage> {
  await assertMaySee(ports.subjects, caller, subject, id);
  const page = await ports.history.page(subject, id, { limit: query.limit, ...(query.after ? { after: query.after } : {}) });
  return {
    events: page.events.map(toEntry),
    ...(page.lastPosition ? { next: encodeHistoryCursor(page.lastPosition) } : {}),
  };
}

async function assertMaySee(subjects: Subjects, caller: Caller, subject: HistorySubject, id: string): Promise<void> {
  const missing = () => new NotFoundError(`No ${noun[subject]} ${id}`);
  if (subject === 'engagement') {
    const engagement = await subjects.engagement(id);
    if (!engagement) throw missing();
    if (caller.role === 'coordinator') return;
    if (caller.role !== 'tutor') throw new ForbiddenError('This history is for the engagement’s tutor and the coordinators');
    const tutorId = caller.email ? await subjects.tutorIdByEmail(caller.email) : undefined;
    if (!tutorId) throw new ForbiddenError('You are not on the tutor roster; ask a coordinator to add you');
    if (engagement.tutorId !== tutorId) throw new ForbiddenError('This engagement is not assigned to you');
    return;
  }
  // The route's role (coordinator) is checked at the edge; this is defence in depth.
  if (caller.role !== 'coordinator') throw new ForbiddenError('This history is for coordinators');
  const exists =
    subject === 'round'
      ? await subjects.roundExists(id)
      : subject === 'application'
        ? await subjects.applicationExists(id)
        : await subjects.webinarExists(id);
  if (!exists) throw missing();
}

export function toEntry(stored: StoredEvent): HistoryEntry {
  return {
    eventId: stored.eventId,
    at: stored.at,
    type: stored.detailType,
    by: stored.by,
    detail: stored.detail,
    correlationId: stored.correlationId,
  };
}
