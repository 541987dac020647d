// Counts DynamoDB requests per command: an SDK middleware on the handlers' shared client, and a
// handler loader that runs each invocation in an AsyncLocalStorage scope naming the command.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HandlerId } from '../infra/wiring.js';
import type { LambdaHandler, LoadHandler } from '../local/handlers.js';

/** What started an invocation: `intake/apply` on `POST /rounds/{roundId}/applications`, or on an event's detail-type. */
export interface Scope {
  readonly handler: HandlerId | 'outside';
  readonly trigger: string;
}

export interface CommandCount {
  readonly handler: string;
  readonly trigger: string;
  invocations: number;
  /** SDK calls (one per command sent, whatever the retries). */
  calls: number;
  /** HTTP requests to DynamoDB, retries included: what DynamoDB bills. */
  attempts: number;
  /** SDK calls by operation, e.g. `{ GetItem: 20, TransactWriteItems: 20 }`. */
  byOperation: Record<string, number>;
  /** Capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL); reads and writes together. */
  capacityUnits: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The trigger of an event as the local runtime passes it: HTTP route key, detail-type, or a schedule. */
export function triggerOf(event: unknown): string {
  const e = (event ?? {}) as { routeKey?: unknown; 'detail-type'?: unknown };
  if (typeof e.routeKey === 'string') return e.routeKey;
  if (typeof e['detail-type'] === 'string') return e['detail-type'];
  return 'invocation';
}

export const countKey = (handler: string, trigger: string) => `${handler} ← ${trigger}`;

/** Sums `CapacityUnits` over one ConsumedCapacity or a list of them (transactions, batches). */
export function capacityOf(consumed: unknown): number {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0), 0);
}

export class RequestCounter {
  private counts = new Map<string, CommandCount>();
  /** The first event each handler received, kept as a fixture for the memory figure. */
  readonly firstEvents = new Map<HandlerId, unknown>();

  private entry(scope: Scope): CommandCount {
    const key = countKey(scope.handler, scope.trigger);
    let count = this.counts.get(key);
    if (!count) {
      count = { handler: scope.handler, trigger: scope.trigger, invocations: 0, calls: 0, attempts: 0, byOperation: {}, capacityUnits: 0 };
      this.counts.set(key, count);
    }
    return count;
  }

  private current(): Scope {
    return scopes.getStore() ?? { handler: 'outside', trigger: 'bench' };
  }

  /** Wraps a loader so that every invocation counts under its handler and trigger. */
  loader(inner: LoadHandler): LoadHandler {
    return async (id) => {
      const handler = (await inner(id)) as (event: unknown, context: unknown) => unknown;
      const wrapped = (event: unknown, context: unknown) => {
        const scope: Scope = { handler: id, trigger: triggerOf(event) };
        this.entry(scope).invocations++;
        if (!this.firstEvents.has(id)) this.firstEvents.set(id, structuredClone(event));
        return scopes.run(scope, () => handler(event, context));
      };
      return wrapped as LambdaHandler;
    };
  }

  /**
   * Adds the counting middleware to the handlers' client. It asks DynamoDB for ConsumedCapacity on
   * every call (a bench-only change to the requests: it does not change what they read or write).
   */
  install(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity ??= 'TOTAL';
        const count = this.entry(this.current());
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        count.calls++;
        count.byOperation[operation] = (count.byOperation[operation] ?? 0) + 1;
        const result = await next(args);
        count.capacityUnits += capacityOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return result;
      },
      { step: 'initialize', name: 'benchCountCalls', override: true },
    );
    // The deserialize step runs once per attempt, inside the retry middleware.
    client.middlewareStack.add(
      (next) => async (args) => {
        this.entry(this.current()).attempts++;
        return next(args);
      },
      { step: 'deserialize', name: 'benchCountAttempts', override: true },
    );
  }

  /** Counts so far; `reset` starts the next phase from zero. */
  snapshot(): CommandCount[] {
    return [...this.counts.values()].map((c) => ({ ...c, byOperation: { ...c.byOperation } }));
  }

  reset(): void {
    this.counts = new Map();
  }
}
