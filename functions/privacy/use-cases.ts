// Export and erasure of one person's data (GDPR articles 15 and 17), and the record of each erasure.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, ScanCommand, TransactWriteCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';
import { erasureKey, eventItemType } from '../shared/keys.js';
import { logger } from '../shared/logger.js';
import { HistoryStore } from '../history/store.js';
import { defaultRetentionDays } from '../intake/domain.js';
import { intakeStore } from '../intake/store-instance.js';
import { anonymise, dropEntirely, exported, keyMentions, mentions, placeholderFor, type Item } from './domain.js';

/**
 * Every item that mentions the address. A full scan: erasure and export are rare, and a scan is the
 * one way to be sure that nothing (a log note, an email record) is missed.
 */
async function itemsMentioning(email: string): Promise<Item[]> {
  return scanWhere((item) => mentions(item, email));
}

async function scanWhere(keep: (item: Item) => boolean): Promise<Item[]> {
  const found: Item[] = [];
  let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: config.tableName(), ExclusiveStartKey, ConsistentRead: true }));
    found.push(...(page.Items ?? []).filter(keep));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}

export async function exportPerson(email: string, at: Date) {
  const items = await itemsMentioning(email);
  const byType: Record<string, Item[]> = {};
  for (const item of items) (byType[String(item.type ?? 'other')] ??= []).push(exported(item));
  return { email, exportedAt: at.toISOString(), count: items.length, data: byType };
}

/**
 * Erases the address everywhere: names, phones and addresses become placeholders; counts and
 * statuses stay, so the aggregates do not change. Recorded as who and when, never whom.
 */
export async function erasePerson(email: string, by: string, at: Date): Promise<{ erasureId: string; items: number }> {
  // Event items are the audit trail: they hold ids, and a staff member's email only as who acted,
  // so an erasure leaves them as they are (rewriting them would also falsify the record).
  const items = (await itemsMentioning(email)).filter((item) => !isEventItem(item));
  await eraseIn(items, email);
  const erasureId = await recordErasure(by, at, items.length);
  return { erasureId, items: items.length };
}

/** Anonymises `email` in `items` (dropping those that mean nothing without it, re-keying those keyed by it). */
async function eraseIn(items: Item[], email: string): Promise<void> {
  const tableName = config.tableName();
  const placeholder = placeholderFor(email);
  for (const item of items) {
    const key = { pk: item.pk, sk: item.sk };
    if (dropEntirely(item)) {
      await dynamo().send(new DeleteCommand({ TableName: tableName, Key: key }));
      continue;
    }
    const erased = anonymise(item, email, placeholder);
    if (keyMentions(item, email)) {
      // The key itself names the person (e.g. a one-registration-per-email guard): move the item.
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } },
            { Put: { TableName: tableName, Item: erased } },
          ],
        }),
      );
    } else {
      await dynamo().send(new PutCommand({ TableName: tableName, Item: erased, ConditionExpression: 'attribute_exists(pk)' }));
    }
  }
}

async function recordErasure(by: string, at: Date, items: number): Promise<string> {
  const erasureId = randomUUID();
  await dynamo().send(
    new PutCommand({
      TableName: config.tableName(),
      Item: { ...erasureKey(erasureId), type: 'erasure', erasureId, by, at: at.toISOString(), items },
    }),
  );
  logger.info('personal data erased', { erasureId, items });
  return erasureId;
}

/**
 * Retention: erases the personal data of every round completed longer ago than its retention
 * setting. Only what belongs to that round goes (its applications, their emails, its webinars'
 * registrations): the same person may still take part in a later round.
 */
export async function eraseExpiredRounds(at: Date): Promise<number> {
  let erased = 0;
  for (const round of await intakeStore().listRounds()) {
    if (!round.completedAt || round.personalDataErasedAt) continue;
    const due = new Date(round.completedAt).getTime() + (round.retentionDays ?? defaultRetentionDays) * 86_400_000;
    if (due > at.getTime()) continue;
    const applications = await intakeStore().listRoundApplications(round.roundId);
    // Everything that refers to the round or one of its applications, and what refers to those.
    const ids = new Set([round.roundId, ...applications.map((a) => a.applicationId)]);
    const related = await scanWhere((item) => [...ids].some((id) => mentions(item, id)));
    for (const item of related) {
      for (const field of ['webinarId', 'engagementId', 'registrationId', 'meetingId']) {
        if (typeof item[field] === 'string') ids.add(item[field]);
      }
    }
    const scope = await scanWhere((item) => !isEventItem(item) && [...ids].some((id) => mentions(item, id)));
    // The round's history goes with its data: every event of the round, and of its applications',
    // engagements' and webinars' own partitions (a shared webinar's stays with the round that owns it).
    const ownedBy = (type: string, field: string) =>
      scope
        .filter((item) => item.type === type && item.roundId === round.roundId && typeof item[field] === 'string')
        .map((item) => String(item[field]));
    await new HistoryStore(config.tableName()).eraseRound(round.roundId, [
      ...applications.map((a) => ({ subject: 'application' as const, id: a.applicationId })),
      ...ownedBy('engagement', 'engagementId').map((id) => ({ subject: 'engagement' as const, id })),
      ...ownedBy('webinar', 'webinarId').map((id) => ({ subject: 'webinar' as const, id })),
    ]);
    const emails = new Set(applications.map((a) => a.contact.email));
    for (const item of scope)
      if (item.type === 'registration' || item.type === 'invitation') for (const found of emailsIn(item)) emails.add(found);
    for (const email of emails)
      await eraseIn(
        scope.filter((item) => mentions(item, email)),
        email,
      );
    await intakeStore().markPersonalDataErased(round.roundId, at.toISOString());
    await recordErasure(`retention:${round.roundId}`, at, emails.size);
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
