// Keeps a bulk send within a rate: evenly spaced start slots shared by a few parallel senders, and
// a common pause with exponential backoff whenever the mail service says "slow down". No AWS here.

export interface PacerOptions {
  ratePerSecond: number;
  /** First pause after a throttling answer; doubles with each one in a row. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** For tests: the clock and the wait. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Pacer {
  private readonly intervalMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The next free start slot. */
  private nextSlot = 0;
  /** Throttling answers in a row; reset by a success. */
  private strikes = 0;

  constructor(options: PacerOptions) {
    if (!(options.ratePerSecond > 0)) throw new Error(`ratePerSecond must be positive, not ${options.ratePerSecond}`);
    this.intervalMs = 1000 / options.ratePerSecond;
    this.baseBackoffMs = options.baseBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves at this caller's start slot: slots are `1 / rate` apart, whichever sender takes them. */
  async slot(): Promise<void> {
    const now = this.clock();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }

  /**
   * A throttling answer: every sender pauses (the slots move past the pause), longer each time in a
   * row, with jitter so that parallel senders do not come back at the same instant. Returns the pause.
   */
  throttled(): number {
    this.strikes += 1;
    const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (this.strikes - 1));
    const pause = ceiling / 2 + Math.random() * (ceiling / 2);
    this.nextSlot = Math.max(this.nextSlot, this.clock() + pause);
    return pause;
  }

  succeeded(): void {
    this.strikes = 0;
  }
}

/** Runs `work` on each item with at most `concurrency` at a time; stops taking new items once `stop()` says so. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** How many sends to keep in flight for a rate: enough to cover the service's latency, never many. */
export function sendersFor(ratePerSecond: number): number {
  return Math.max(1, Math.min(16, Math.ceil(ratePerSecond / 4)));
}
