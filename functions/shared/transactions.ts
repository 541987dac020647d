// DynamoDB writes as every store makes them. A transaction is a list of named parts, so a refusal
// says which part's condition failed ("place", "guard"), not which position. A collision with a
// concurrent transaction is retried (it says nothing about our conditions); a failed condition is an
// answer. A single conditional write that fails its condition is an answer too (`conditionally`).
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from './aws.js';
import { ServiceUnavailableError } from './errors.js';
import { retryWithBackoff } from './retry.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One item of a transaction with the name a refusal is reported by. */
export interface TransactPart {
  readonly name: string;
  readonly item: TransactItem;
}

/** Names a transaction item. */
export const part = (name: string, item: TransactItem): TransactPart => ({ name, item });

/** A transaction was refused: each part's reason and old value (when asked for), by part name. */
export class TransactionRefused extends Error {
  /** The names of the parts whose condition failed, in the order given. */
  readonly refusedParts: string[];

  constructor(
    readonly names: string[],
    readonly reasons: (string | undefined)[],
    readonly items: (Record<string, unknown> | undefined)[],
    options?: { cause?: unknown },
  ) {
    const refused = names.filter((_, i) => reasons[i] === 'ConditionalCheckFailed');
    super(`Transaction refused: ${refused.length ? refused.join(', ') : reasons.filter(Boolean).join(', ')}`, options);
    this.name = 'TransactionRefused';
    this.refusedParts = refused;
  }

  /** Whether the condition of the named part (or, for unnamed transactions, of the item at that index) failed. */
  refused(nameOrIndex: string | number): boolean {
    const index = typeof nameOrIndex === 'number' ? nameOrIndex : this.names.indexOf(nameOrIndex);
    return index >= 0 && this.reasons[index] === 'ConditionalCheckFailed';
  }

  /** @deprecated name the parts and use `refused(name)`. */
  refusedAt(index: number): boolean {
    return this.refused(index);
  }

  /** The old value of the named part, when its item asked for ReturnValuesOnConditionCheckFailure. */
  oldValue(name: string): Record<string, unknown> | undefined {
    return this.items[this.names.indexOf(name)];
  }
}

const isConflictOnly = (error: unknown) =>
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/**
 * Writes the parts in one transaction. Collisions are retried with jittered backoff for up to
 * `retryForMs`; after that the caller gets a 503 (nothing was written). A failed condition throws
 * TransactionRefused naming the part.
 */
export async function transact(parts: readonly TransactPart[], options: { retryForMs?: number } = {}): Promise<void> {
  const names = parts.map((p) => p.name);
  try {
    await retryWithBackoff(() => dynamo().send(new TransactWriteCommand({ TransactItems: parts.map((p) => p.item) })), {
      retryable: isConflictOnly,
      forMs: options.retryForMs ?? 2_000,
      onDeadline: (error) => new ServiceUnavailableError('Too many changes at once; please try again', { cause: error }),
    });
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = (error.CancellationReasons ?? []).map((r) => (r.Code === 'None' ? undefined : r.Code));
      const olds = (error.CancellationReasons ?? []).map((r) => (r.Item ? unmarshall(r.Item as never) : undefined));
      throw new TransactionRefused(names, reasons, olds, { cause: error });
    }
    throw error;
  }
}

/** Writes unnamed items in one transaction (parts named by position). Prefer `transact` with named parts. */
export async function transactWrite(items: TransactItem[], options: { retryForMs?: number } = {}): Promise<void> {
  await transact(
    items.map((item, i) => part(String(i), item)),
    options,
  );
}

/**
 * Runs one conditional write (Put, Update, Delete with a ConditionExpression): its result, or
 * undefined when the condition failed. Every other error propagates.
 */
export async function conditionally<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * Whether a transaction went through: false (nothing written) when the named part's condition refused
 * it, which for a "once" change means it was made already. Any other refusal or failure is thrown.
 */
export async function committedUnless(refusedPart: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.refused(refusedPart)) return false;
    throw error;
  }
}

/** Whether a conditional write went through (false when its condition failed). */
export async function succeeds(write: () => Promise<unknown>): Promise<boolean> {
  return (await conditionally(async () => (await write(), true))) ?? false;
}

/** Which of the expected parts refused a transaction, with that part's old value when its item asked for it. */
export interface Refusal<Part extends string> {
  readonly part: Part;
  readonly old?: Record<string, unknown>;
}

/**
 * Runs a transaction and answers undefined when it went through, or the first of `parts` whose
 * condition refused it (nothing was written then). A refusal of any other part, and every other
 * failure, is thrown: only the conditions the caller expects are answers.
 */
export async function refusalOf<Part extends string>(
  write: () => Promise<unknown>,
  parts: readonly Part[],
): Promise<Refusal<Part> | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionRefused)) throw error;
    const part = parts.find((name) => error.refused(name));
    if (part === undefined) throw error;
    const old = error.oldValue(part);
    return old ? { part, old } : { part };
  }
}
