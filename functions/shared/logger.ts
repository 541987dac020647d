// One structured JSON logger for every handler. Log ids, never personal data (names, emails).
// Keys added for one piece of work (a correlation id, an event id) live in that work's async
// context, so that invocations running side by side in one process (locally, in tests) never
// lend each other their keys.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';

const base = new Logger({ serviceName: 'sparraus' });
const scoped = new AsyncLocalStorage<Logger>();

/** The logger of the current piece of work (or the base logger outside any). */
export const logger: Logger = new Proxy(base, {
  get(target, property) {
    const current = scoped.getStore() ?? target;
    const value = Reflect.get(current, property, current) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
  },
});

/** Runs `work` with `keys` on every log line it writes, itself and everything it awaits. */
export function withLogKeys<T>(keys: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const parent = scoped.getStore() ?? base;
  const child = parent.createChild({ persistentKeys: { ...parent.getPersistentLogAttributes(), ...keys } });
  return scoped.run(child, work);
}
