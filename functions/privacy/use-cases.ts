// Export and erasure of one person's data (GDPR articles 15 and 17), retention after a round, and
// the record of each erasure. The use cases take their ports: the table as privacy sees it (every
// item, generically), the rounds whose retention they follow, and the history.
import type { HistorySubject } from '../../schemas/events/stored.js';
import { eventItemType } from '../shared/keys.js';
import { logger } from '../shared/logger.js';
import type { PersonalDataReader, PersonalDataStore } from '../stores/personal-data.js';
import { anonymise, dropEntirely, exported, mentions, placeholderFor, type Item } from './domain.js';

/** Rounds as far as retention needs them. */
export interface RetentionRounds {
  listRounds(): Promise<{ roundId: string; completedAt?: string; retentionDays?: number; personalDataErasedAt?: string }[]>;
  listRoundApplications(roundId: string): Promise<{ applicationId: string; contact: { email: string } }[]>;
  markPersonalDataErased(roundId: string, at: string): Promise<void>;
}

export interface RoundHistory {
  /** Erases a round's events and those of its applications', engagements' and webinars' own partitions. */
  eraseRound(roundId: string, subjects: readonly { subject: HistorySubject; id: string }[]): Promise<number>;
}

export interface PrivacyPorts {
  table: PersonalDataStore;
  rounds: RetentionRounds;
  history: RoundHistory;
  /** Days of retention for rounds made before the setting existed. */
  defaultRetentionDays: number;
}

/**
 * Every item that mentions the address. A full scan: erasure and export are rare, and a scan is the
 * one way to be sure that nothing (a log note, an email record) is missed.
 */
function itemsMentioning(ports: { table: PersonalDataReader }, email: string): Promise<Item[]> {
  return ports.table.scan((item) => mentions(item, email));
}

export async function exportPerson(ports: { table: PersonalDataReader }, email: string, at: Date) {
  const items = await itemsMentioning(ports, email);
  const byType: Record<string, Item[]> = {};
  for (const item of items) (byType[String(item.type ?? 'other')] ??= []).push(exported(item));
  return { email, exportedAt: at.toISOString(), count: items.length, data: byType };
}

/**
 * Erases the address everywhere: names, phones and addresses become placeholders; counts and
 * statuses stay, so the aggregates do not change. Recorded as who and when, never whom.
 */
export async function erasePerson(
  ports: { table: PersonalDataStore },
  email: string,
  by: string,
  at: Date,
): Promise<{ erasureId: string; items: number }> {
  // Event items are the audit trail: they hold ids, and a staff member's email only as who acted,
  // so an erasure leaves them as they are (rewriting them would also falsify the record).
  const items = (await itemsMentioning(ports, email)).filter((item) => !isEventItem(item));
  await eraseIn(ports, items, email);
  const erasureId = await recordErasure(ports, by, at, items.length);
  return { erasureId, items: items.length };
}

/** Anonymises `email` in `items` (dropping those that mean nothing without it, re-keying those keyed by it). */
async function eraseIn(ports: { table: PersonalDataStore }, items: Item[], email: string): Promise<void> {
  const placeholder = placeholderFor(email);
  for (const item of items) {
    if (dropEntirely(item)) await ports.table.remove(item);
    else await ports.table.replace(item, anonymise(item, email, placeholder));
  }
}

async function recordErasure(ports: { table: PersonalDataStore }, by: string, at: Date, items: number): Promise<string> {
  const erasureId = await ports.table.recordErasure({ by, at: at.toISOString(), items });
  logger.info('personal data erased', { erasureId, items });
  return erasureId;
}

/**
 * Retention: erases the personal data of every round completed longer ago than its retention
 * setting. Only what belongs to that round goes (its applications, their emails, its webinars'
 * registrations): the same person may still take part in a later round.
 */
export async function eraseExpiredRounds(ports: PrivacyPorts, at: Date): Promise<number> {
  let erased = 0;
  for (const round of await ports.rounds.listRounds()) {
    if (!round.completedAt || round.personalDataErasedAt) continue;
    const due = new Date(round.completedAt).getTime() + (round.retentionDays ?? ports.defaultRetentionDays) * 86_400_000;
    if (due > at.getTime()) continue;
    const applications = await ports.rounds.listRoundApplications(round.roundId);
    // Everything that refers to the round or one of its applications, and what refers to those.
    const ids = new Set([round.roundId, ...applications.map((a) => a.applicationId)]);
    const related = await ports.table.scan((item) => [...ids].some((id) => mentions(item, id)));
    for (const item of related) {
      for (const field of ['webinarId', 'engagementId', 'registrationId', 'meetingId']) {
        if (typeof item[field] === 'string') ids.add(item[field]);
      }
    }
    const scope = await ports.table.scan((item) => !isEventItem(item) && [...ids].some((id) => mentions(item, id)));
    // The round's history goes with its data: every event of the round, and of its applications',
    // engagements' and webinars' own partitions (a shared webinar's stays with the round that owns it).
    const ownedBy = (type: string, field: string) =>
      scope
        .filter((item) => item.type === type && item.roundId === round.roundId && typeof item[field] === 'string')
        .map((item) => String(item[field]));
    await ports.history.eraseRound(round.roundId, [
      ...applications.map((a) => ({ subject: 'application' as const, id: a.applicationId })),
      ...ownedBy('engagement', 'engagementId').map((id) => ({ subject: 'engagement' as const, id })),
      ...ownedBy('webinar', 'webinarId').map((id) => ({ subject: 'webinar' as const, id })),
    ]);
    const emails = new Set(applications.map((a) => a.contact.email));
    for (const item of scope)
      if (item.type === 'registration' || item.type === 'invitation') for (const found of emailsIn(item)) emails.add(found);
    for (const email of emails)
      await eraseIn(
        ports,
        scope.filter((item) => mentions(item, email)),
        email,
      );
    await ports.rounds.markPersonalDataErased(round.roundId, at.toISOString());
    await recordErasure(ports, `retention:${round.roundId}`, at, emails.size);
    erased += 1;
  }
  return erased;
}

const isEventItem = (item: Item) => item.type === eventItemType;

function emailsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && !value.endsWith('@erased.invalid') ? [value.toLowerCase()] : [];
  }
  if (Array.isArray(value)) return value.flatMap(emailsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(emailsIn);
  return [];
}
