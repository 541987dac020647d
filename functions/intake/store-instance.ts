// Shim until every capability takes its ports; the lead removes it. The old intake store's methods,
// with the same names and results, over the round and application repositories.
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { config } from '../shared/config.js';
import { ConflictError } from '../shared/errors.js';
import type { PendingEvent } from '../shared/outbox.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoRoundStore, type RoundChange } from '../stores/rounds.js';

function shim() {
  // Its own stores rather than intake's composition root, which imports tutoring (tutoring imports this).
  const rounds = new DynamoRoundStore(config.tableName());
  const applications = new DynamoApplicationStore(config.tableName());
  return {
    putNewRound: (round: Round) => rounds.create(round),
    getRound: (roundId: string) => rounds.get(roundId),
    listRounds: (options: { openedBefore?: string } = {}) => rounds.list(options),
    updateRound: (roundId: string, update: RoundChange, now: string) => rounds.update(roundId, update, now),
    markRoundOpened: (roundId: string, at: string, events: readonly PendingEvent[]) => rounds.markOpened(roundId, at, events),
    markPersonalDataErased: (roundId: string, at: string) => rounds.markPersonalDataErased(roundId, at),
    async createApplication(application: Application, now: string, events: readonly PendingEvent[]) {
      const result = await applications.create(application, now, events);
      if (result.outcome === 'round-not-open')
        throw new ConflictError('The round is not open for applications', { code: 'round_not_open' });
      return result;
    },
    getApplication: (applicationId: string) => applications.get(applicationId),
    listRoundApplications: (roundId: string) => applications.listOfRound(roundId),
    findApplicationOf: (roundId: string, municipalityCode: string) => applications.findOf(roundId, municipalityCode),
    recordStatusLinkRequest: (application: Application, at: Date, minutes: number, events: readonly PendingEvent[]) =>
      applications.recordStatusLinkRequest(application, at, minutes, events),
    markConfirmationSent: (applicationId: string, at: string) => applications.markConfirmationSent(applicationId, at),
  };
}

let store: ReturnType<typeof shim> | undefined;

export function intakeStore(): ReturnType<typeof shim> {
  store ??= shim();
  return store;
}
