// The outbox relay on this machine: reads the table's stream on DynamoDB Local (which implements the
// DynamoDB Streams API) and puts each event item on the local bus, with the pipe's own filter and
// mapping (relay-mapping.ts, from infra/outbox-relay.ts). At least once: a shard's position is kept
// (in `<dataDir>/stream-relay.json` when there is one) only after the bus took the whole batch, so a
// refused or interrupted batch is read again; the bus's handlers are safe to run twice.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { outboxRelay } from '../infra/outbox-relay.js';
import { dummyCredentials, localRegion } from './aws-env.js';
import { LocalRuntimeError } from './errors.js';
import { passesRelayFilter, relayedEntry, type RelayedEntry, type StreamRecord } from './relay-mapping.js';

export const streamRelayFileName = 'stream-relay.json';

export interface StreamRelayOptions {
  dynamoEndpoint: string;
  tableName: string;
  /** The bus's PutEvents endpoint (AWS_ENDPOINT_URL_EVENTBRIDGE) and name. */
  eventsEndpoint: string;
  eventBusName: string;
  /** Where the shards' positions are kept; undefined keeps them in memory (a fresh table each run). */
  dataDir?: string;
  /** Wait between reads of a stream that had nothing new. Default 50 ms. */
  pollIntervalMs?: number;
  /** Delay before the second try of a refused batch; doubles up to `maxDelayMs`. Defaults 20 ms, 250 ms. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
}

/** A batch the bus refused on every try of one pass; it stays unread and is tried again on the next. */
export interface RelayProblem {
  shardId: string;
  entries: number;
  attempts: number;
  error: string;
}

export interface StreamRelay {
  /** Event items put on the bus so far (a batch read again after a failure counts again). */
  relayed(): number;
  /**
   * Resolves after a whole read of the stream that began after this call: every event item written
   * before it has then been put on the bus, unless the bus kept refusing (see `lastProblem`).
   */
  drained(): Promise<void>;
  /** The last refused batch, until a later pass relays everything; undefined when all is well. */
  lastProblem(): RelayProblem | undefined;
  onProblem(listener: (problem: RelayProblem) => void): () => void;
  /** Finishes the pass under way (keeping its positions) and stops. Idempotent. */
  stop(): Promise<void>;
}

const PositionsFile = z.object({
  /** By stream ARN (a recreated table has a new stream), then by shard id. */
  streams: z.record(
    z.string(),
    z.record(z.string(), z.object({ sequenceNumber: z.string().optional(), finished: z.boolean().optional() })),
  ),
});
type Positions = z.infer<typeof PositionsFile>['streams'];

export async function startStreamRelay(options: StreamRelayOptions): Promise<StreamRelay> {
  const clientOptions = { region: localRegion, credentials: dummyCredentials, maxAttempts: 1 };
  const dynamo = new DynamoDBClient({ ...clientOptions, endpoint: options.dynamoEndpoint });
  const streams = new DynamoDBStreamsClient({ ...clientOptions, endpoint: options.dynamoEndpoint });
  const events = new EventBridgeClient({ ...clientOptions, endpoint: options.eventsEndpoint });
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const baseDelayMs = options.retry?.baseDelayMs ?? 20;
  const maxDelayMs = options.retry?.maxDelayMs ?? 250;
  const { batchSize, maximumRetryAttempts, startingPosition } = outboxRelay.source;

  const file = options.dataDir ? path.join(options.dataDir, streamRelayFileName) : undefined;
  const positions: Positions = readPositions(file);
  const savePositions = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a crash never leaves half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ streams: positions }, null, 2)}\n`);
    renameSync(temporary, file);
  };

  const streamArn = await latestStreamArn(dynamo, options.tableName);
  const shardPositions = (positions[streamArn] ??= {});
  const iterators = new Map<string, string>();
  let shards: Shard[] = [];
  let shardsListedAt = 0;

  let relayedCount = 0;
  let problem: RelayProblem | undefined;
  const problemListeners = new Set<(problem: RelayProblem) => void>();
  let stopped = false;
  // Callers of drained() wait for the end of the next pass that starts after their call.
  let waitingForNextPass: (() => void)[] = [];
  let wake: (() => void) | undefined;

  const listShards = async (): Promise<Shard[]> => {
    const found: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}) }),
      );
      found.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return found;
  };

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const known = iterators.get(shardId);
    if (known) return known;
    const sequenceNumber = shardPositions[shardId]?.sequenceNumber;
    const fromStart = { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: startingPosition };
    try {
      const answer = await streams.send(
        new GetShardIteratorCommand(
          sequenceNumber ? { ...fromStart, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequenceNumber } : fromStart,
        ),
      );
      return answer.ShardIterator;
    } catch (error) {
      // The kept position is older than the stream's 24 hours: start from the oldest record left.
      if (!(error instanceof TrimmedDataAccessException) || !sequenceNumber) throw error;
      return (await streams.send(new GetShardIteratorCommand(fromStart))).ShardIterator;
    }
  };

  /** Puts the entries on the bus, trying again what it refused; false when it still refuses after every try. */
  const putOnBus = async (shardId: string, entries: RelayedEntry[]): Promise<boolean> => {
    let pending = entries;
    let lastError = '';
    for (let attempt = 1; attempt <= maximumRetryAttempts + 1; attempt += 1) {
      try {
        const answer = await events.send(new PutEventsCommand({ Entries: pending }));
        const refused = pending.filter((_, i) => answer.Entries?.[i]?.EventId === undefined);
        relayedCount += pending.length - refused.length;
        if (refused.length === 0) return true;
        lastError = `${answer.Entries?.find((e) => e.ErrorCode)?.ErrorCode ?? 'refused'}: ${refused.length} of ${pending.length} entries`;
        pending = refused;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (stopped || attempt > maximumRetryAttempts) break;
      await delay(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
    problem = { shardId, entries: pending.length, attempts: maximumRetryAttempts + 1, error: lastError };
    for (const listener of problemListeners) listener(problem);
    return false;
  };

  /** Reads one shard until it has nothing new; true when everything read was relayed. */
  const readShard = async (shardId: string): Promise<boolean> => {
    for (;;) {
      const iterator = await iteratorFor(shardId);
      if (!iterator) {
        shardPositions[shardId] = { ...shardPositions[shardId], finished: true };
        savePositions();
        return true;
      }
      let answer;
      try {
        answer = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      } catch (error) {
        iterators.delete(shardId);
        if (error instanceof ExpiredIteratorException) continue;
        throw error;
      }
      const records = (answer.Records ?? []) as StreamRecord[];
      const entries = records.filter(passesRelayFilter).map((record) => relayedEntry(record, options.eventBusName));
      if (entries.length > 0 && !(await putOnBus(shardId, entries))) {
        // Keep the old position: the same records are read again on the next pass.
        iterators.delete(shardId);
        return false;
      }
      const last = records.at(-1) as { dynamodb?: { SequenceNumber?: string } } | undefined;
      if (last?.dynamodb?.SequenceNumber) {
        shardPositions[shardId] = { sequenceNumber: last.dynamodb.SequenceNumber };
        savePositions();
      }
      if (!answer.NextShardIterator) {
        // A closed shard read to its end.
        iterators.delete(shardId);
        shardPositions[shardId] = { ...shardPositions[shardId], finished: true };
        savePositions();
        return true;
      }
      iterators.set(shardId, answer.NextShardIterator);
      if (records.length === 0) return true;
    }
  };

  const pass = async () => {
    if (Date.now() - shardsListedAt > 1_000 || shards.length === 0) {
      shards = await listShards();
      shardsListedAt = Date.now();
    }
    const finished = (id: string | undefined) => id === undefined || shardPositions[id]?.finished === true;
    const known = new Set(shards.map((shard) => shard.ShardId));
    let allRelayed = true;
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (finished(shardId)) continue;
      // A child shard waits until its parent is read to the end, so events keep their order.
      if (shard.ParentShardId && known.has(shard.ParentShardId) && !finished(shard.ParentShardId)) continue;
      if (!(await readShard(shardId))) allRelayed = false;
      if (finished(shardId)) shardsListedAt = 0;
    }
    if (allRelayed) problem = undefined;
  };

  const loop = (async () => {
    while (!stopped) {
      const waiting = waitingForNextPass;
      waitingForNextPass = [];
      try {
        await pass();
      } catch (error) {
        // DynamoDB Local unreachable or refusing: report it and try again on the next pass.
        problem = { shardId: '', entries: 0, attempts: 1, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
        for (const listener of problemListeners) listener(problem);
      }
      for (const resolve of waiting) resolve();
      if (stopped || waitingForNextPass.length > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    relayed: () => relayedCount,
    drained() {
      if (stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waitingForNextPass.push(resolve);
        wake?.();
      });
    },
    lastProblem: () => problem,
    onProblem(listener) {
      problemListeners.add(listener);
      return () => problemListeners.delete(listener);
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake?.();
        await loop;
        for (const resolve of waitingForNextPass) resolve();
        dynamo.destroy();
        streams.destroy();
        events.destroy();
      })();
      return stopping;
    },
  };
}

async function latestStreamArn(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = table.Table?.LatestStreamArn;
  if (!arn || table.Table?.StreamSpecification?.StreamEnabled !== true) {
    throw new LocalRuntimeError(`Table ${tableName} has no stream for the outbox relay (local/dynamodb.ts ensureTable turns it on)`);
  }
  return arn;
}

function readPositions(file: string | undefined): Positions {
  if (!file || !existsSync(file)) return {};
  return PositionsFile.parse(JSON.parse(readFileSync(file, 'utf8'))).streams;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
