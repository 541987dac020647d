// A local EventBridge bus: speaks the PutEvents JSON 1.1 API so handlers use the real SDK client, turns
// each entry into an EventBridge envelope, and delivers it asynchronously to every matching rule's
// handler in-process, retrying with backoff and dead-lettering what keeps failing.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { eventRules, type EventRule, type HandlerId } from '../infra/wiring.js';
import { now } from '../functions/shared/clock.js';
import { localAccountId, localRegion } from './aws-env.js';
import { deadLetterFileName, deadLetterStore, type DeadLetter } from './dead-letters.js';
import { LocalRuntimeError } from './errors.js';
import { assertSupportedPattern, matchesPattern, type EventPattern } from './event-pattern.js';
import { defaultLoadHandler, invoke, type LoadHandler } from './handlers.js';
import { readBody } from './http-body.js';
import { closeServer, listen, urlHost } from './ports.js';

export type BusEvent = EventBridgeEvent<string, unknown>;

/** One PutEvents entry, as the SDK sends it (Time in epoch seconds) or as a test passes it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string | Date;
  Resources?: string[];
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** What happened to one delivery attempt; start.ts logs these. */
export interface DeliveryRecord {
  event: BusEvent;
  rule: string;
  handler: HandlerId;
  attempt: number;
  /** Attempts allowed in all. */
  maxAttempts: number;
  outcome: 'delivered' | 'retrying' | 'dead-lettered';
  durationMs: number;
  error?: unknown;
  /** Set when outcome is 'dead-lettered'. */
  deadLetterId?: string;
}

export interface ReplayResult {
  /** Delivered successfully this time. */
  delivered: string[];
  /** Failed again and are back in the dead-letter queue (same ids). */
  deadLettered: string[];
  /** Ids that were not in the queue. */
  notFound: string[];
}

export interface EventBusOptions {
  /** Default 8010; 0 picks a free port. */
  port?: number;
  host?: string;
  /** The bus name entries must address (by name or ARN). Default 'sparraus'. */
  busName?: string;
  /** Rules by name. Default: the wiring table's eventRules. */
  rules?: Readonly<Record<string, EventRule>>;
  loadHandler?: LoadHandler;
  retry?: {
    /** Total attempts including the first. Default 4. */
    attempts?: number;
    /** Delay before the 2nd attempt; doubles each time. Default 200 ms. */
    baseDelayMs?: number;
  };
  /** A handler running longer than this fails the attempt. Default 30 s. */
  handlerTimeoutMs?: number;
  /** Where `dead-letters.json` is kept; undefined keeps dead letters in memory only. */
  dataDir?: string;
}

export interface LocalEventBus {
  /** For AWS_ENDPOINT_URL_EVENTBRIDGE. */
  url: string;
  port: number;
  busName: string;
  /** PutEvents in-process (the HTTP endpoint calls the same code). */
  putEvents(entries: readonly PutEventsEntry[]): PutEventsResult;
  /** Calls `listener` with every accepted event as it is accepted; returns an unsubscribe function. */
  onEvent(listener: (event: BusEvent) => void): () => void;
  onDelivery(listener: (record: DeliveryRecord) => void): () => void;
  /** Every accepted event, oldest first (the last 10 000). */
  publishedEvents(): readonly BusEvent[];
  listDeadLetters(): DeadLetter[];
  /** Re-delivers dead letters (all when `ids` is undefined) with the usual retries; resolves when done. */
  replayDeadLetters(ids?: readonly string[]): Promise<ReplayResult>;
  /** Resolves when no delivery is running or waiting for a retry, including ones those deliveries caused. */
  idle(): Promise<void>;
  /** Stops accepting; deliveries still waiting are dead-lettered (so nothing is lost), running ones finish. */
  stop(): Promise<void>;
}

const maxEntriesPerCall = 10;
const maxRequestEntryBytes = 256 * 1024;
const maxRequestBodyBytes = 1024 * 1024;
const publishedEventsKept = 10_000;

/** Thrown for a whole PutEvents request that EventBridge would refuse (HTTP 400). */
class PutEventsRequestError extends LocalRuntimeError {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

class BusStoppedError extends LocalRuntimeError {}

export async function startEventBus(options: EventBusOptions = {}): Promise<LocalEventBus> {
  const busName = options.busName ?? 'sparraus';
  const rules = options.rules ?? eventRules;
  for (const [name, rule] of Object.entries(rules)) {
    try {
      assertSupportedPattern(rule.pattern);
    } catch (error) {
      throw new LocalRuntimeError(`Event rule ${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  const attempts = Math.max(1, options.retry?.attempts ?? 4);
  const baseDelayMs = options.retry?.baseDelayMs ?? 200;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const deadLetters = deadLetterStore(options.dataDir ? path.join(options.dataDir, deadLetterFileName) : undefined);

  const published: BusEvent[] = [];
  const eventListeners = new Set<(event: BusEvent) => void>();
  const deliveryListeners = new Set<(record: DeliveryRecord) => void>();
  const inflight = new Set<Promise<unknown>>();
  // Aborting wakes every delivery sleeping between retries when the bus stops.
  const stopping = new AbortController();

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.finally(() => inflight.delete(promise)).catch(() => undefined);
    return promise;
  };

  const emit = (record: DeliveryRecord) => {
    for (const listener of deliveryListeners) {
      try {
        listener(record);
      } catch {
        // An observer must not break delivery.
      }
    }
  };

  const acceptsBus = (name: string | undefined) =>
    name === busName || name === `arn:aws:events:${localRegion}:${localAccountId}:event-bus/${busName}`;

  /**
   * Delivers one event to one rule's handler: attempt, back off (base × 2^n), and dead-letter after
   * the last attempt. Returns whether it ended delivered.
   */
  const deliver = async (
    event: BusEvent,
    rule: string,
    handlerId: HandlerId,
    previous?: DeadLetter,
  ): Promise<'delivered' | 'dead-lettered'> => {
    // Asynchronous like EventBridge: the publisher has its PutEvents answer before any handler runs.
    await new Promise((resolve) => setImmediate(resolve));
    let lastError: unknown;
    let attempt = 0;
    while (attempt < attempts && !stopping.signal.aborted) {
      attempt += 1;
      const started = Date.now();
      try {
        const handler = await loadHandler(handlerId);
        await invoke(handlerId, handler, event, handlerTimeoutMs);
        emit({
          event,
          rule,
          handler: handlerId,
          attempt,
          maxAttempts: attempts,
          outcome: 'delivered',
          durationMs: Date.now() - started,
        });
        return 'delivered';
      } catch (error) {
        lastError = error;
        if (attempt < attempts) {
          emit({
            event,
            rule,
            handler: handlerId,
            attempt,
            maxAttempts: attempts,
            outcome: 'retrying',
            durationMs: Date.now() - started,
            error,
          });
          await sleep(baseDelayMs * 2 ** (attempt - 1), stopping.signal);
        }
      }
    }
    // Never attempted: the bus stopped first. Dead-lettering keeps the event for a replay.
    if (attempt === 0) lastError = new BusStoppedError('The local bus stopped before this event could be delivered');
    const entry: DeadLetter = {
      id: previous?.id ?? randomUUID(),
      rule,
      handler: handlerId,
      event,
      attempts: attempt,
      error: describeError(lastError),
      deadLetteredAt: new Date().toISOString(),
      replays: previous ? previous.replays + 1 : 0,
    };
    deadLetters.add(entry);
    emit({
      event,
      rule,
      handler: handlerId,
      attempt,
      maxAttempts: attempts,
      outcome: 'dead-lettered',
      durationMs: 0,
      error: lastError,
      deadLetterId: entry.id,
    });
    return 'dead-lettered';
  };

  const dispatch = (event: BusEvent) => {
    published.push(event);
    if (published.length > publishedEventsKept) published.splice(0, published.length - publishedEventsKept);
    for (const listener of eventListeners) {
      try {
        listener(event);
      } catch {
        // A probe must not make PutEvents fail.
      }
    }
    for (const [name, rule] of Object.entries(rules)) {
      if (matchesPattern(rule.pattern as unknown as EventPattern, event)) track(deliver(event, name, rule.handler));
    }
  };

  const putEvents = (entries: readonly PutEventsEntry[]): PutEventsResult => {
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > maxEntriesPerCall) {
      throw new PutEventsRequestError(
        'ValidationException',
        `Entries must hold 1 to ${maxEntriesPerCall} entries, got ${Array.isArray(entries) ? entries.length : 'none'}`,
      );
    }
    const size = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
    if (size > maxRequestEntryBytes) {
      throw new PutEventsRequestError(
        'ValidationException',
        `Total size of the entries (${size} bytes) is over the 256 KiB limit`,
      );
    }
    const results = entries.map((entry): PutEventsResultEntry => {
      const checked = toEnvelope(entry);
      if ('ErrorCode' in checked) return checked;
      if (!acceptsBus(entry.EventBusName)) {
        // On AWS an entry without EventBusName goes to the default bus, where no rule of ours listens.
        return {
          ErrorCode: 'NotFoundException',
          ErrorMessage: `Event bus ${entry.EventBusName ?? 'default'} does not exist locally; use ${busName}`,
        };
      }
      if (stopping.signal.aborted) return { ErrorCode: 'InternalFailure', ErrorMessage: 'The local bus is stopping' };
      dispatch(checked);
      return { EventId: checked.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  };

  const server = http.createServer((req, res) => {
    void handlePutEventsRequest(req, res, putEvents);
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 8010, host, 'event bus');

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    busName,
    putEvents,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onDelivery(listener) {
      deliveryListeners.add(listener);
      return () => deliveryListeners.delete(listener);
    },
    publishedEvents: () => [...published],
    listDeadLetters: () => deadLetters.list(),
    async replayDeadLetters(ids) {
      const taken = deadLetters.take(ids);
      const found = new Set(taken.map((entry) => entry.id));
      const outcomes = await Promise.all(
        taken.map(async (entry) => ({
          id: entry.id,
          outcome: await track(deliver(entry.event, entry.rule, entry.handler, entry)),
        })),
      );
      return {
        delivered: outcomes.filter((o) => o.outcome === 'delivered').map((o) => o.id),
        deadLettered: outcomes.filter((o) => o.outcome === 'dead-lettered').map((o) => o.id),
        notFound: (ids ?? []).filter((id) => !found.has(id)),
      };
    },
    async idle() {
      // Deliveries can publish further events; loop until a pass finds nothing new in flight.
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await closeServer(server);
        await Promise.allSettled([...inflight]);
      })();
      return stopped;
    },
  };
}

/** Validates an entry like EventBridge does and builds the envelope a rule target receives. */
function toEnvelope(entry: PutEventsEntry): BusEvent | { ErrorCode: string; ErrorMessage: string } {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: it must be a JSON object.' };
  }
  const time = entry.Time === undefined ? now() : toDate(entry.Time);
  if (Number.isNaN(time.getTime())) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: localAccountId,
    // EventBridge writes whole seconds in UTC.
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: localRegion,
    resources: entry.Resources ?? [],
    detail,
  };
}

function toDate(time: number | string | Date): Date {
  if (time instanceof Date) return time;
  // The SDK's JSON 1.1 serializer sends timestamps as epoch seconds.
  if (typeof time === 'number') return new Date(time * 1000);
  return new Date(time);
}

/** EventBridge's entry size: strings in UTF-8, plus 14 bytes for a Time. */
function entrySize(entry: PutEventsEntry): number {
  const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0)
  );
}

async function handlePutEventsRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  putEvents: (entries: readonly PutEventsEntry[]) => PutEventsResult,
): Promise<void> {
  const requestId = randomUUID();
  const answer = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
    });
    res.end(text);
  };
  const fail = (status: number, type: string, message: string) => answer(status, { __type: type, message });
  try {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST') return fail(400, 'UnknownOperationException', `${req.method} is not supported; POST JSON 1.1`);
    if (target !== 'AWSEvents.PutEvents') {
      return fail(400, 'UnknownOperationException', `The local bus implements AWSEvents.PutEvents only, not ${String(target)}`);
    }
    const raw = await readBody(req, maxRequestBodyBytes);
    if (raw === undefined) return fail(413, 'ValidationException', 'Request body is too large');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return fail(400, 'SerializationException', 'The request body is not valid JSON');
    }
    const entries = (body as { Entries?: unknown } | null)?.Entries;
    answer(200, putEvents(entries as PutEventsEntry[]));
  } catch (error) {
    if (error instanceof PutEventsRequestError) return fail(400, error.type, error.message);
    fail(500, 'InternalException', error instanceof Error ? error.message : String(error));
  }
}

function describeError(error: unknown): DeadLetter['error'] {
  if (error instanceof Error) {
    const issues = (error as { issues?: unknown }).issues;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(Array.isArray(issues)
        ? {
            issues: issues.map((issue: { path?: unknown[]; message?: unknown }) => ({
              path: (issue.path ?? []).map(String).join('.'),
              message: String(issue.message),
            })),
          }
        : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
