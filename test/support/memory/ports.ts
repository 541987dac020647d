// The ports intake's and selection's use cases share, in memory: the two stores over one event log, a
// clock a test moves by hand, ids that count, and a mailer that keeps what it was given (once per key).
import type { Clock } from '../../../functions/shared/clock.js';
import type { Mailer, OutgoingEmail, SendOutcome } from '../../../functions/shared/mailer.js';
import { MemoryApplicationStore } from './applications.js';
import { MemoryRoundStore } from './rounds.js';

export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export class MemoryMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async sendOnce(email: OutgoingEmail): Promise<SendOutcome> {
    if (this.sent.some((e) => e.key === email.key)) return 'already-sent';
    this.sent.push(email);
    return 'sent';
  }
}

/** Stores, clock, ids and mailer for one test. */
export function memoryPorts(now = new Date('2027-03-01T10:00:00.000Z')) {
  const rounds = new MemoryRoundStore();
  let n = 0;
  return {
    rounds,
    applications: new MemoryApplicationStore(rounds),
    clock: new ManualClock(now),
    newId: () => `id-${++n}`,
    newToken: () => `token-${n}`,
    mailer: new MemoryMailer(),
    pagesUrl: () => 'https://sparraus.example/app',
    log: rounds.log,
  };
}
