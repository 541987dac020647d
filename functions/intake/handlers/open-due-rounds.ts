// Every minute: announce each round whose application window has opened (RoundOpened, once).
import { scheduledHandler } from '../../shared/events.js';
import { event } from '../../shared/outbox.js';
import { intakeStore } from '../store-instance.js';

export const handler = scheduledHandler(async (at) => {
  const store = intakeStore();
  const due = (await store.listRounds({ openedBefore: at.toISOString() })).filter(
    (round) => !round.openedAt && round.closesAt > at.toISOString(),
  );
  for (const round of due) {
    // openedAt and RoundOpened are written in one transaction, on the condition that openedAt is not
    // yet set: of concurrent runs one writes both, the others nothing; a run that dies writes nothing.
    await store.markRoundOpened(round.roundId, at.toISOString(), [
      event('RoundOpened', { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt }),
    ]);
  }
});
