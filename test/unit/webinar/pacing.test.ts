// The pacer keeps sends 1/rate apart, and every sender pauses, longer each time, when SES says "slow down".
import { describe, expect, it } from 'vitest';
import { SESv2ServiceException, TooManyRequestsException, BadRequestException } from '@aws-sdk/client-sesv2';
import { Pacer, forEachLimited, sendersFor } from '../../../functions/webinar/pacing.js';
import { classifySendFailure } from '../../../functions/webinar/sending.js';

function fakeTime() {
  let t = 0;
  return { clock: () => t, sleep: async (ms: number) => void (t += ms), now: () => t };
}

describe('Pacer', () => {
  it('spaces the start slots 1/rate apart, whichever sender takes them', async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 4, ...time });
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.slot();
      starts.push(time.now());
    }
    expect(starts).toEqual([0, 250, 500, 750, 1000]);
  });
  it('backs off exponentially on throttling, with jitter within the ceiling, and resets on success', async () => {
    const time = fakeTime();
    const pacer = new Pacer({ ratePerSecond: 1000, baseBackoffMs: 100, maxBackoffMs: 1000, ...time });
    const pauses = [pacer.throttled(), pacer.throttled(), pacer.throttled(), pacer.throttled(), pacer.throttled()];
    const ceilings = [100, 200, 400, 800, 1000];
    pauses.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(p).toBeLessThanOrEqual(ceilings[i]!);
    });
    await pacer.slot();
    expect(time.now()).toBeGreaterThanOrEqual(500); // waits out the longest pause
    pacer.succeeded();
    expect(pacer.throttled()).toBeLessThanOrEqual(100);
  });
  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer({ ratePerSecond: 0 })).toThrow();
  });
});

describe('forEachLimited', () => {
  it('runs at most `concurrency` at once and stops taking items when told', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1));
        done.push(i);
        running -= 1;
      },
      () => done.length >= 10,
    );
    expect(peak).toBe(3);
    expect(done.length).toBeGreaterThanOrEqual(10);
    expect(done.length).toBeLessThan(20);
  });
  it('keeps a few senders in flight for a rate, never many', () => {
    expect([sendersFor(1), sendersFor(14), sendersFor(1000)]).toEqual([1, 4, 16]);
  });
});

describe('classifySendFailure', () => {
  const meta = (status: number) => ({ httpStatusCode: status });
  it('throttling is slowing down, not failing', () => {
    expect(
      classifySendFailure(new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: meta(429) })),
    ).toBe('throttled');
  });
  it('an address SES refuses fails for good; an outage is transient; a paused account stops the batch', () => {
    expect(classifySendFailure(new BadRequestException({ message: 'bad address', $metadata: meta(400) }))).toBe('rejected');
    expect(classifySendFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');
    const paused = new SESv2ServiceException({
      name: 'SendingPausedException',
      $fault: 'client',
      message: 'paused',
      $metadata: meta(400),
    });
    expect(classifySendFailure(paused)).toBe('paused');
    expect(classifySendFailure(new Error('something else'))).toBe('transient');
  });
});
