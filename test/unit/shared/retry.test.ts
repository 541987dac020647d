// The one retry loop, on an injected clock and sleep: what it retries, when it stops, what it throws at the deadline.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryWithBackoff } from '../../../functions/shared/retry.js';

class Collision extends Error {}
class Refusal extends Error {}

/** A clock that only moves when the loop sleeps. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

/** An attempt that fails with the given errors, then answers `done`. */
function failing(...errors: Error[]) {
  let calls = 0;
  const attempt = async () => {
    calls += 1;
    const error = errors[calls - 1];
    if (error) throw error;
    return 'done';
  };
  return { attempt, calls: () => calls };
}

afterEach(() => vi.restoreAllMocks());

describe('retryWithBackoff', () => {
  it('retries retryable errors until an attempt succeeds', async () => {
    const time = fakeTime();
    const { attempt, calls } = failing(new Collision(), new Collision(), new Collision());
    const result = await retryWithBackoff(attempt, { retryable: (e) => e instanceof Collision, forMs: 10_000, ...time });
    expect(result).toBe('done');
    expect(calls()).toBe(4);
    expect(time.sleeps).toHaveLength(3);
  });

  it('stops at once on an error that is not retryable, without sleeping', async () => {
    const time = fakeTime();
    const refusal = new Refusal('no');
    const { attempt, calls } = failing(new Collision(), refusal);
    await expect(retryWithBackoff(attempt, { retryable: (e) => e instanceof Collision, forMs: 10_000, ...time })).rejects.toBe(
      refusal,
    );
    expect(calls()).toBe(2);
    expect(time.sleeps).toHaveLength(1);
  });

  it('throws the last error once the deadline has passed, or what onDeadline makes of it', async () => {
    const forever = () => failing(...Array.from({ length: 1000 }, () => new Collision('again')));
    const bare = forever();
    await expect(
      retryWithBackoff(bare.attempt, { retryable: () => true, forMs: 100, baseDelayMs: 20, maxDelayMs: 20, ...fakeTime() }),
    ).rejects.toBeInstanceOf(Collision);
    expect(bare.calls()).toBeGreaterThan(1);

    const time = fakeTime();
    const wrapped = forever();
    const outcome = retryWithBackoff(wrapped.attempt, {
      retryable: () => true,
      forMs: 100,
      onDeadline: (error) => new Refusal('gave up', { cause: error }),
      ...time,
    });
    await expect(outcome).rejects.toBeInstanceOf(Refusal);
    await expect(outcome).rejects.toHaveProperty('cause', expect.any(Collision));
    expect(time.now()).toBeGreaterThanOrEqual(100);
  });

  it('backs off exponentially from baseDelayMs up to maxDelayMs, with full jitter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const time = fakeTime();
    const { attempt } = failing(...Array.from({ length: 6 }, () => new Collision()));
    await retryWithBackoff(attempt, { retryable: () => true, forMs: 60_000, baseDelayMs: 10, maxDelayMs: 100, ...time });
    // Ceilings 10, 20, 40, 80, 100, 100, half of each.
    expect(time.sleeps).toEqual([5, 10, 20, 40, 50, 50]);
  });

  it('makes one attempt when forMs is 0', async () => {
    const { attempt, calls } = failing(new Collision());
    await expect(retryWithBackoff(attempt, { retryable: () => true, forMs: 0, ...fakeTime() })).rejects.toBeInstanceOf(Collision);
    expect(calls()).toBe(1);
  });
});
