// DynamoDB transactions as every store uses them: a collision with a concurrent transaction is
// retried (it says nothing about our conditions), a failed condition is an answer.
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from './aws.js';
import { ServiceUnavailableError } from './errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction was refused: the reason of each item and its old value, in the order given. */
export class TransactionRefused extends Error {
  constructor(
    readonly reasons: (string | undefined)[],
    readonly items: (Record<string, unknown> | undefined)[],
    options?: { cause?: unknown },
  ) {
    super(`Transaction refused: ${reasons.join(', ')}`, options);
    this.name = 'TransactionRefused';
  }

  /** Whether the condition of the item at `index` failed. */
  refusedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

const isConflictOnly = (error: unknown) =>
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/**
 * Writes `items` in one transaction. Collisions are retried with jittered backoff for up to
 * `retryForMs`; after that the caller gets a 503 (nothing was written). A failed condition
 * throws TransactionRefused.
 */
export async function transactWrite(items: TransactItem[], options: { retryForMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.retryForMs ?? 2_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (isConflictOnly(error)) {
        if (Date.now() > deadline) {
          throw new ServiceUnavailableError('Too many changes at once; please try again', { cause: error });
        }
        const ceiling = Math.min(400, 10 * 2 ** Math.min(attempt, 6));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
        continue;
      }
      if (error instanceof TransactionCanceledException) {
        const reasons = (error.CancellationReasons ?? []).map((r) => (r.Code === 'None' ? undefined : r.Code));
        const olds = (error.CancellationReasons ?? []).map((r) => (r.Item ? unmarshall(r.Item as never) : undefined));
        throw new TransactionRefused(reasons, olds, { cause: error });
      }
      throw error;
    }
  }
}
