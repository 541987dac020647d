// The tutor roster: one entry per email (an email guard item moves with every change of address), and
// each tutor's load. A tutor's load (`activeCount`) changes only in the same transaction as the
// engagement it counts, on the condition `activeCount < maxActive`, so no burst of assignments can
// overfill a tutor: the engagements store writes those transactions and takes the tutor's part of
// them from `tutorParts` here, so the tutor item's shape and conditions are written in this file only.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { StoredTutor, StoredTutorEmail, StoredTutorLink, type Tutor } from '../../schemas/stored/tutor.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decode, decodeAll } from '../shared/items.js';
import {
  tutorEmailKey,
  tutorKey,
  tutorLinkKey,
  tutorLinkPrefix,
  tutorListOrder,
  tutorPk,
  tutorsPartition,
} from '../shared/keys.js';
import { part, refusalOf, transact, type TransactPart } from '../shared/transactions.js';

export type CreateTutorOutcome = { outcome: 'created' } | { outcome: 'email-taken'; tutorId: string };
export type UpdateTutorOutcome = { outcome: 'updated'; tutor: Tutor } | { outcome: 'email-taken' } | { outcome: 'tutor-changed' };
export type TutorChanges = Partial<Pick<Tutor, 'name' | 'email' | 'languages' | 'regions' | 'maxActive' | 'active'>>;

/** The roster as tutoring's use cases see it. */
export interface TutorStore {
  /** Adds a tutor with its email guard; the id of the tutor who already has the email, if one does. */
  createTutor(tutor: Tutor): Promise<CreateTutorOutcome>;
  getTutor(tutorId: string): Promise<Tutor | undefined>;
  /** The roster entry of a signed-in tutor: the one whose email is the token's. */
  tutorByEmail(email: string): Promise<Tutor | undefined>;
  /** The whole roster, oldest first. Read from the index: a tutor added a moment ago may be missing. */
  listTutors(): Promise<Tutor[]>;
  /**
   * Applies a coordinator's change, on the condition that the tutor's email is still as read; a new
   * email moves the email guard in the same transaction, on the condition that nobody else has it.
   */
  updateTutor(tutor: Tutor, changes: TutorChanges, at: string): Promise<UpdateTutorOutcome>;
  /** Ids of the engagements a tutor has or completed (not those reassigned away). */
  tutorEngagementIds(tutorId: string): Promise<string[]>;
}

const tutorItem = (tutor: Tutor) => ({
  ...tutorKey(tutor.tutorId),
  type: 'tutor',
  gsi1pk: tutorsPartition,
  gsi1sk: tutorListOrder(tutor),
  ...tutor,
});

const emailGuardItem = (email: string, tutorId: string) => ({ ...tutorEmailKey(email), type: 'tutor-email', tutorId });

/**
 * The tutor's side of an engagement's transactions, for the engagements store: taking one on (the
 * capacity rule and the tutor's link), handing one over to another tutor, and freeing the place of
 * one that closes (its link stays: the tutor keeps seeing a completed engagement).
 */
export const tutorParts = {
  /** Parts `tutor` (active and below maxActive at the moment of writing) and `tutor-link`. */
  takeOn(tableName: string, tutorId: string, engagementId: string, at: string): TransactPart[] {
    return [
      part('tutor', {
        Update: {
          TableName: tableName,
          Key: tutorKey(tutorId),
          UpdateExpression: 'SET lastAssignedAt = :at ADD activeCount :one',
          // The capacity rule, at the moment of writing: active, and below the tutor's own maximum.
          ConditionExpression: 'attribute_exists(pk) AND active = :true AND activeCount < maxActive',
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':true': true },
        },
      }),
      part('tutor-link', {
        Put: {
          TableName: tableName,
          Item: { ...tutorLinkKey(tutorId, engagementId), type: 'tutor-engagement', engagementId, since: at },
        },
      }),
    ];
  },
  /** Parts `previous-tutor` (its place freed) and `previous-link` (gone: the engagement is no longer theirs). */
  handOver(tableName: string, tutorId: string, engagementId: string): TransactPart[] {
    return [
      tutorParts.free(tableName, tutorId, 'previous-tutor'),
      part('previous-link', { Delete: { TableName: tableName, Key: tutorLinkKey(tutorId, engagementId) } }),
    ];
  },
  /** The tutor's place freed (part `tutor` unless named otherwise). */
  free(tableName: string, tutorId: string, name = 'tutor'): TransactPart {
    return part(name, {
      Update: {
        TableName: tableName,
        Key: tutorKey(tutorId),
        UpdateExpression: 'ADD activeCount :minusOne',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':minusOne': -1 },
      },
    });
  },
};

export class DynamoTutorStore implements TutorStore {
  constructor(private readonly tableName: string) {}

  async createTutor(tutor: Tutor): Promise<CreateTutorOutcome> {
    const refusal = await refusalOf(
      () =>
        transact([
          part('email', {
            Put: {
              TableName: this.tableName,
              Item: emailGuardItem(tutor.email, tutor.tutorId),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }),
          part('tutor', {
            Put: { TableName: this.tableName, Item: tutorItem(tutor), ConditionExpression: 'attribute_not_exists(pk)' },
          }),
        ]),
      ['email'],
    );
    if (!refusal) return { outcome: 'created' };
    const guard = decode(StoredTutorEmail, refusal.old);
    if (!guard) throw new Error(`The email guard of ${tutor.email} refused without its item`);
    return { outcome: 'email-taken', tutorId: guard.tutorId };
  }

  async getTutor(tutorId: string): Promise<Tutor | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: tutorKey(tutorId), ConsistentRead: true }),
    );
    return decode(StoredTutor, Item);
  }

  async tutorByEmail(email: string): Promise<Tutor | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: tutorEmailKey(email.toLowerCase()), ConsistentRead: true }),
    );
    const guard = decode(StoredTutorEmail, Item);
    return guard ? this.getTutor(guard.tutorId) : undefined;
  }

  async listTutors(): Promise<Tutor[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': tutorsPartition },
    });
    return decodeAll(StoredTutor, items);
  }

  async updateTutor(tutor: Tutor, changes: TutorChanges, at: string): Promise<UpdateTutorOutcome> {
    const fields: Record<string, unknown> = { ...changes, updatedAt: at };
    const names = Object.keys(fields);
    const parts: TransactPart[] = [
      part('tutor', {
        Update: {
          TableName: this.tableName,
          Key: tutorKey(tutor.tutorId),
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #email = :oldEmail',
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((n) => [`#${n}`, n])), '#email': 'email' },
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])), ':oldEmail': tutor.email },
        },
      }),
    ];
    if (changes.email) {
      parts.push(
        part('old-email', {
          Delete: {
            TableName: this.tableName,
            Key: tutorEmailKey(tutor.email),
            ConditionExpression: 'tutorId = :tutorId',
            ExpressionAttributeValues: { ':tutorId': tutor.tutorId },
          },
        }),
        part('new-email', {
          Put: {
            TableName: this.tableName,
            Item: emailGuardItem(changes.email, tutor.tutorId),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      );
    }
    const refusal = await refusalOf(() => transact(parts), ['new-email', 'tutor', 'old-email']);
    if (refusal?.part === 'new-email') return { outcome: 'email-taken' };
    if (refusal) return { outcome: 'tutor-changed' };
    const updated = await this.getTutor(tutor.tutorId);
    if (!updated) return { outcome: 'tutor-changed' };
    return { outcome: 'updated', tutor: updated };
  }

  async tutorEngagementIds(tutorId: string): Promise<string[]> {
    const items = await queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tutorPk(tutorId), ':prefix': tutorLinkPrefix },
    });
    return decodeAll(StoredTutorLink, items).map((link) => link.engagementId);
  }
}
