// The composition roots of the deliverability handlers, bound to the table and SES. Each handler gets
// only the ports its use case takes (its grant follows what its bundle can call).
import { intakeStore } from '../intake/store-instance.js';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { suppress } from '../shared/suppression.js';
import { coachingOf } from '../tutoring/application-coaching.js';
import { coordinatorAddresses } from '../tutoring/coordinators.js';
import { DynamoContactStore } from './contacts.js';
import type { BouncePorts, StaffNoticePorts } from './use-cases.js';

let bounce: BouncePorts | undefined;
let staffNotice: StaffNoticePorts | undefined;

export function bouncePorts(): BouncePorts {
  bounce ??= { contacts: new DynamoContactStore(config.tableName()), suppressions: { suppress }, clock: systemClock };
  return bounce;
}

export function staffNoticePorts(): StaffNoticePorts {
  staffNotice ??= {
    mailer: sesMailer,
    facts: {
      application: (applicationId) => intakeStore().getApplication(applicationId),
      roundName: async (roundId) => (await intakeStore().getRound(roundId))?.name,
      async staffAddresses(applicationId, roundId) {
        const [application, round] = await Promise.all([
          intakeStore().getApplication(applicationId),
          intakeStore().getRound(roundId),
        ]);
        const { tutor } = application ? await coachingOf(application) : {};
        return [...new Set([...coordinatorAddresses(round), ...(tutor ? [tutor.email.toLowerCase()] : [])])];
      },
    },
  };
  return staffNotice;
}
