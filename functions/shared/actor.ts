// Who is acting in this invocation: set once at the edge (the HTTP handler from the verified token,
// event and schedule handlers as the system), read by the event writer so that every event on record
// says who caused it without each use case passing it along.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../../schemas/events/stored.js';

const current = new AsyncLocalStorage<Actor>();
const system: Actor = { role: 'system' };

export function withActor<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
  return current.run(actor, work);
}

/** The caller of this invocation; the system when no edge set one (event handlers, schedules, tools). */
export function currentActor(): Actor {
  return current.getStore() ?? system;
}
