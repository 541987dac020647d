// The correlation id that follows one request through the events it causes: taken from the HTTP
// request (or the event that started the work), carried in every event published meanwhile, and
// put on every log line.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { withLogKeys } from './logger.js';

const current = new AsyncLocalStorage<string>();

/** Runs `work` with `correlationId` on its log lines and on the events it publishes. */
export function withCorrelation<T>(correlationId: string | undefined, work: () => Promise<T>): Promise<T> {
  const id = correlationId && /^[\w.:-]{1,128}$/.test(correlationId) ? correlationId : randomUUID();
  return current.run(id, () => withLogKeys({ correlationId: id }, work));
}

export function correlationId(): string | undefined {
  return current.getStore();
}
