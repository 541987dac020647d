// The one clock every handler reads. On AWS it is the system clock; the local runtime and tests
// shift it (POST /dev/clock) so that windows close and offers lapse without waiting.

let offsetMs = 0;

/** The current time as the system sees it. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function nowIso(): string {
  return now().toISOString();
}

/** Local runtime and tests only: move the clock to `target` (never backwards by accident). */
export function setClock(target: Date): void {
  offsetMs = target.getTime() - Date.now();
}

export function advanceClock(ms: number): void {
  offsetMs += ms;
}

export function resetClock(): void {
  offsetMs = 0;
}

/** The clock as a port: use cases read the time from it, so a unit test can hold it still. */
export interface Clock {
  now(): Date;
}

/** The clock every handler's composition root passes in (the shifted system clock). */
export const systemClock: Clock = { now };
