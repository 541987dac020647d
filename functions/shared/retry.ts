// The one retry loop: jittered exponential backoff until an attempt succeeds, the error is not worth
// retrying, or the deadline passes (then the last error is thrown, or what `onDeadline` makes of it).

export interface RetryOptions {
  /** Whether this error may go away by itself (a collision, an outage, a throttle). */
  retryable: (error: unknown) => boolean;
  /** Give up this many ms after the first attempt. */
  forMs: number;
  /** Delay ceiling of the first retry; doubles each attempt up to `maxDelayMs`. Default 10 ms. */
  baseDelayMs?: number;
  /** Default 400 ms. */
  maxDelayMs?: number;
  /** Turns the last error into what the caller should see once time is up. Default: the error itself. */
  onDeadline?: (error: unknown) => unknown;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retryWithBackoff<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const base = options.baseDelayMs ?? 10;
  const max = options.maxDelayMs ?? 400;
  const deadline = clock() + options.forMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!options.retryable(error)) throw error;
      if (clock() >= deadline) throw options.onDeadline ? options.onDeadline(error) : error;
      // Full jitter: concurrent callers that collided spread out instead of colliding again.
      await sleep(Math.random() * Math.min(max, base * 2 ** Math.min(n - 1, 16)));
    }
  }
}
