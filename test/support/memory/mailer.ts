// The mailer in memory: each key is sent once, as the real one promises; the emails are kept for the test to read.
import type { Mailer, OutgoingEmail, SendOutcome } from '../../../functions/shared/mailer.js';

export class MemoryMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];

  async sendOnce(email: OutgoingEmail): Promise<SendOutcome> {
    if (this.sent.some((e) => e.key === email.key)) return 'already-sent';
    this.sent.push(email);
    return 'sent';
  }

  to(address: string): OutgoingEmail[] {
    return this.sent.filter((e) => e.to === address);
  }
}
