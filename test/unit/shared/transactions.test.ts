// Named transaction parts and the conditional-write helpers, on a mocked document client.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../functions/shared/errors.js';
import {
  committedUnless,
  conditionally,
  part,
  succeeds,
  transact,
  transactWrite,
  TransactionRefused,
} from '../../../functions/shared/transactions.js';

const documentClient = mockClient(DynamoDBDocumentClient);
beforeEach(() => documentClient.reset());
afterEach(() => documentClient.reset());

const put = (pk: string) => ({ Put: { TableName: 't', Item: { pk, sk: 'X' }, ConditionExpression: 'attribute_not_exists(pk)' } });
const canceled = (codes: string[], items: (Record<string, unknown> | undefined)[] = []) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code, i) => ({ Code, ...(items[i] ? { Item: items[i] as never } : {}) })),
  });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('TransactionRefused', () => {
  it('names the refused parts, answers refused(name) and gives the old value by name', () => {
    const refusal = new TransactionRefused(
      ['guard', 'place', 'event:ApplicationReceived'],
      [undefined, 'ConditionalCheckFailed', undefined],
      [undefined, { pk: 'ROUND#r', left: 0 }, undefined],
    );
    expect(refusal.refusedParts).toEqual(['place']);
    expect(refusal.message).toBe('Transaction refused: place');
    expect(refusal.refused('place')).toBe(true);
    expect(refusal.refused('guard')).toBe(false);
    expect(refusal.refused('no-such-part')).toBe(false);
    expect(refusal.refused(1)).toBe(true);
    expect(refusal.oldValue('place')).toEqual({ pk: 'ROUND#r', left: 0 });
    expect(refusal.oldValue('guard')).toBeUndefined();
    expect(refusal.oldValue('no-such-part')).toBeUndefined();
  });

  it('says the other reasons when no condition failed', () => {
    const refusal = new TransactionRefused(['a', 'b'], [undefined, 'ValidationError'], []);
    expect(refusal.refusedParts).toEqual([]);
    expect(refusal.message).toBe('Transaction refused: ValidationError');
  });
});

describe('transact', () => {
  it('writes the parts in one transaction, in order', async () => {
    documentClient.on(TransactWriteCommand).resolves({});
    await transact([part('a', put('A')), part('b', put('B'))]);
    const calls = documentClient.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TransactItems).toEqual([put('A'), put('B')]);
  });

  it('turns a failed condition into TransactionRefused naming the part, with its old value unmarshalled', async () => {
    documentClient
      .on(TransactWriteCommand)
      .rejects(canceled(['None', 'ConditionalCheckFailed'], [undefined, { pk: { S: 'B' }, n: { N: '3' } }]));
    const refusal = await transact([part('first', put('A')), part('second', put('B'))]).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TransactionRefused);
    const refused = refusal as TransactionRefused;
    expect(refused.refusedParts).toEqual(['second']);
    expect(refused.refused('first')).toBe(false);
    expect(refused.oldValue('second')).toEqual({ pk: 'B', n: 3 });
    expect(refused.cause).toBeInstanceOf(TransactionCanceledException);
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('retries a collision with another transaction, then succeeds', async () => {
    documentClient
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['TransactionConflict', 'None']))
      .resolves({});
    await transact([part('a', put('A')), part('b', put('B'))]);
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 503 when collisions last past retryForMs, and never retries a failed condition', async () => {
    documentClient.on(TransactWriteCommand).rejects(canceled(['TransactionConflict']));
    await expect(transact([part('a', put('A'))], { retryForMs: 30 })).rejects.toBeInstanceOf(ServiceUnavailableError);

    documentClient.reset();
    documentClient.on(TransactWriteCommand).rejects(canceled(['TransactionConflict', 'ConditionalCheckFailed']));
    await expect(transact([part('a', put('A')), part('b', put('B'))])).rejects.toBeInstanceOf(TransactionRefused);
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('rethrows anything else as it is', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    documentClient.on(TransactWriteCommand).rejects(outage);
    await expect(transact([part('a', put('A'))])).rejects.toBe(outage);
  });

  it('transactWrite names unnamed items by position', async () => {
    documentClient.on(TransactWriteCommand).rejects(canceled(['None', 'ConditionalCheckFailed']));
    const refusal = (await transactWrite([put('A'), put('B')]).catch((e: unknown) => e)) as TransactionRefused;
    expect(refusal.refusedParts).toEqual(['1']);
    expect(refusal.refusedAt(1)).toBe(true);
  });
});

describe('conditionally and succeeds', () => {
  it('give the result, or undefined / false when the condition failed', async () => {
    expect(await conditionally(async () => 'written')).toBe('written');
    expect(
      await conditionally(async () => {
        throw conditionFailed();
      }),
    ).toBeUndefined();
    expect(await succeeds(async () => 'written')).toBe(true);
    expect(
      await succeeds(async () => {
        throw conditionFailed();
      }),
    ).toBe(false);
  });

  it('let every other error through', async () => {
    const outage = new Error('down');
    await expect(
      conditionally(async () => {
        throw outage;
      }),
    ).rejects.toBe(outage);
    await expect(
      succeeds(async () => {
        throw canceled(['ConditionalCheckFailed']);
      }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
  });
});

describe('committedUnless', () => {
  const refusedAt = (name: string) =>
    new TransactionRefused(
      ['round', 'event:X'],
      [name === 'round' ? 'ConditionalCheckFailed' : 'None', name === 'event:X' ? 'ConditionalCheckFailed' : 'None'],
      [undefined, undefined],
    );

  it('is true when the write went through, false when the named part refused it', async () => {
    expect(await committedUnless('round', async () => undefined)).toBe(true);
    expect(await committedUnless('round', async () => Promise.reject(refusedAt('round')))).toBe(false);
  });

  it('rethrows a refusal of another part, and any other failure', async () => {
    await expect(committedUnless('round', async () => Promise.reject(refusedAt('event:X')))).rejects.toBeInstanceOf(
      TransactionRefused,
    );
    await expect(committedUnless('round', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });
});
