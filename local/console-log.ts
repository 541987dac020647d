// Brief console lines for what the local stack does: requests, event deliveries, retries, dead
// letters and schedule failures. Handler errors get their stack, since there is no CloudWatch here.
import type { LocalEventBus } from './event-bus.js';
import type { LocalHttpApi } from './http-api.js';
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
  const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 4);
  return frames.length ? `\n${frames.join('\n')}` : '';
}

/** Subscribes to the stack's observers; returns a function that unsubscribes. */
export function attachConsoleLog(
  parts: { api: LocalHttpApi; bus: LocalEventBus; scheduler: Scheduler },
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
        write(`${time()} event ${what} failed, attempt ${d.attempt}/${d.maxAttempts}, will retry: ${describe(d.error)}${d.attempt === 1 ? stackOf(d.error) : ''}`);
      } else {
        write(
          `${time()} event ${what} DEAD-LETTERED after ${d.attempt} attempt(s): ${describe(d.error)}\n` +
            `         replay it with: npm run dlq -- replay ${d.deadLetterId}`,
        );
      }
    }),
    parts.scheduler.onRun((run) => {
      if (!run.ok) write(`${time()} sched ${run.rule} (${run.handler}) failed: ${describe(run.error)}${stackOf(run.error)}`);
    }),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
