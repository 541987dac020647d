// The composition roots of the deliverability handlers, bound to the table and SES. Each handler gets
// only the ports its use case takes (its grant follows what its bundle can call).
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { suppress } from '../shared/suppression.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import { coachingOf } from '../tutoring/application-coaching.js';
import { coordinatorAddresses } from '../tutoring/coordinators.js';
import type { BouncePorts, StaffNoticePorts } from './use-cases.js';

let bounce: BouncePorts | undefined;
let staffNotice: StaffNoticePorts | undefined;

export function bouncePorts(): BouncePorts {
  bounce ??= bindBounce(new DynamoApplicationStore(config.tableName()));
  return bounce;
}

function bindBounce(applications: DynamoApplicationStore): BouncePorts {
  return {
    contacts: {
      applicationsOfContact: (address) => applications.ofContact(address),
      markUnreachable: (applicationId, reason, at, events) => applications.markUnreachable(applicationId, reason, at, events),
    },
    suppressions: { suppress },
    clock: systemClock,
  };
}

export function staffNoticePorts(): StaffNoticePorts {
  staffNotice ??= bindStaffNotice(new DynamoRoundStore(config.tableName()), new DynamoApplicationStore(config.tableName()));
  return staffNotice;
}

function bindStaffNotice(rounds: DynamoRoundStore, applications: DynamoApplicationStore): StaffNoticePorts {
  return {
    mailer: sesMailer,
    facts: {
      application: (applicationId) => applications.get(applicationId),
      roundName: async (roundId) => (await rounds.get(roundId))?.name,
      async staffAddresses(applicationId, roundId) {
        const [application, round] = await Promise.all([applications.get(applicationId), rounds.get(roundId)]);
        const { tutor } = application ? await coachingOf(application) : {};
        return [...new Set([...coordinatorAddresses(round), ...(tutor ? [tutor.email.toLowerCase()] : [])])];
      },
    },
  };
}
