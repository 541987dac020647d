// Every minute: announce each round whose application window has opened (RoundOpened, once).
import { publish, scheduledHandler } from '../../shared/events.js';
import { intakeStore } from '../store-instance.js';

export const handler = scheduledHandler(async (at) => {
  const store = intakeStore();
  const due = (await store.listRounds({ openedBefore: at.toISOString() })).filter(
    (round) => !round.openedAt && round.closesAt > at.toISOString(),
  );
  for (const round of due) {
    // Publish first, then mark: a crash in between repeats the event (consumers are idempotent)
    // rather than losing it.
    await publish('RoundOpened', { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt });
    await store.markRoundOpened(round.roundId, at.toISOString());
  }
});
