// Brief console lines for what the local stack does: requests, event deliveries, retries, dead
// letters and schedule failures. Handler errors get their stack, since there is no CloudWatch here.
import type { LocalEventBus } from './event-bus.js';
import type { LocalHttpApi } from './http-api.js';
import type { StreamRelay } from './stream-relay.js';
import type { Scheduler } from './scheduler.js';

export type Write = (line: string) => void;

const time = () => new Date().toISOString().slice(11, 19);

/** One line, at most 300 characters. Errors with zod-style `issues` list them as `path: message`. */
export function briefError(error: unknown): string {
  let text = String(error);
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = (error as { name?: unknown }).name ?? 'Error';
    const issues = (error as { issues?: unknown }).issues;
    // A ZodError's message alone is a page of JSON.
    const message = Array.isArray(issues)
      ? issues
          .map((i: { path?: unknown; message?: unknown }) => {
            const path = Array.isArray(i.path) ? i.path.map(String).join('.') : String(i.path ?? '');
            return `${path || '(root)'}: ${String(i.message)}`;
          })
          .join('; ')
      : String(error.message);
    text = `${String(name)}: ${message}`;
  }
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

const describe = briefError;

/** The first few stack frames, where the failure happened. */
function stackOf(error: unknown): string {
  if (!(error instanceof Error) || !error.stack) return '';
  const frames = error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 4);
  return frames.length ? `\n${frames.join('\n')}` : '';
}

/** Subscribes to the stack's observers; returns a function that unsubscribes. */
export function attachConsoleLog(
  parts: { api: LocalHttpApi; bus: LocalEventBus; relay?: StreamRelay; scheduler: Scheduler },
  write: Write = (line) => console.log(line),
): () => void {
  const unsubscribe = [
    parts.api.onRequest((r) => {
      const line = `${time()} http  ${r.method} ${r.path} → ${r.status} (${r.durationMs} ms)`;
      write(r.error === undefined ? line : `${line} ${describe(r.error)}${stackOf(r.error)}`);
    }),
    parts.bus.onDelivery((d) => {
      const what = `${d.event['detail-type']} → ${d.rule} (${d.handler})`;
      if (d.outcome === 'delivered') {
        write(`${time()} event ${what} ok (${d.durationMs} ms${d.attempt > 1 ? `, attempt ${d.attempt}` : ''})`);
      } else if (d.outcome === 'retrying') {
        write(
          `${time()} event ${what} failed, attempt ${d.attempt}/${d.maxAttempts}, will retry: ${describe(d.error)}${d.attempt === 1 ? stackOf(d.error) : ''}`,
        );
      } else {
        write(
          `${time()} event ${what} DEAD-LETTERED after ${d.attempt} attempt(s): ${describe(d.error)}\n` +
            `         replay it with: npm run dlq -- replay ${d.deadLetterId}`,
        );
      }
    }),
    parts.relay?.onProblem((p) =>
      write(
        p.entries > 0
          ? `${time()} relay the bus refused ${p.entries} event(s) ${p.attempts} times (${p.error}); they stay in the stream and are tried again`
          : `${time()} relay cannot read the table's stream (${p.error}); trying again`,
      ),
    ) ?? (() => undefined),
    parts.scheduler.onRun((run) => {
      if (!run.ok) write(`${time()} sched ${run.rule} (${run.handler}) failed: ${describe(run.error)}${stackOf(run.error)}`);
    }),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}

/** Powertools keys every line has, or Lambda context keys: noise in a local console. */
const routineLogKeys = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

/**
 * A handler's log record (the Powertools Logger's JSON) as one line like
 * `12:00:01 log   INFO  application confirmation applicationId=… result=sent`, with an error's
 * first stack frames below it. Undefined for text that is not such a record.
 */
export function formatHandlerLog(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof record.level !== 'string' || !('message' in record) || !('service' in record)) return undefined;
  let stack = '';
  const fields = Object.entries(record)
    .filter(([key]) => !routineLogKeys.has(key))
    .map(([key, value]) => {
      if (isLoggedError(value)) {
        stack ||= stackLines(value.stack);
        return `${key}=${JSON.stringify(`${String(value.name ?? 'Error')}: ${String(value.message ?? '')}`)}`;
      }
      if (typeof value === 'string') return `${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`;
      return `${key}=${JSON.stringify(value)}`;
    });
  const level = record.level.padEnd(5);
  const message = typeof record.message === 'string' ? record.message : JSON.stringify(record.message);
  return `${time()} log   ${level} ${[message, ...fields].join(' ')}${stack}`;
}

function isLoggedError(value: unknown): value is { name?: unknown; message?: unknown; stack?: unknown } {
  return typeof value === 'object' && value !== null && 'message' in value && ('stack' in value || 'name' in value);
}

/** Powertools gives the stack as text, or as an array of lines with POWERTOOLS_DEV. */
function stackLines(stack: unknown): string {
  const lines = Array.isArray(stack) ? stack.map(String) : typeof stack === 'string' ? stack.split('\n') : [];
  const frames = lines.filter((line) => /^\s+at /.test(line)).slice(0, 4);
  return frames.length ? `\n${frames.join('\n')}` : '';
}

/**
 * Makes handler logs read like the other console lines, for `npm start`. Needs POWERTOOLS_DEV=true
 * set before the first handler loads: the Logger then writes through the global console, which this
 * wraps. Everything else passes through unchanged. Returns a function that undoes it.
 */
export function readableHandlerLogs(target: Console = console): () => void {
  const methods = ['debug', 'info', 'warn', 'error', 'log'] as const;
  const originals = methods.map((name) => [name, target[name]] as const);
  for (const [name, original] of originals) {
    target[name] = (...args: unknown[]) => {
      const formatted = args.length === 1 && typeof args[0] === 'string' ? formatHandlerLog(args[0]) : undefined;
      if (formatted === undefined) original.apply(target, args);
      else original.call(target, formatted);
    };
  }
  return () => {
    for (const [name, original] of originals) target[name] = original;
  };
}
