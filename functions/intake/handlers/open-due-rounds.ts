// Every minute: announce each round whose application window has opened (RoundOpened, once).
import { publish, scheduledHandler } from '../../shared/events.js';
import { intakeStore } from '../store-instance.js';

export const handler = scheduledHandler(async (at) => {
  const store = intakeStore();
  const due = (await store.listRounds({ openedBefore: at.toISOString() })).filter(
    (round) => !round.openedAt && round.closesAt > at.toISOString(),
  );
  for (const round of due) {
    // Claim, publish, mark: concurrent runs publish once; a run that dies after its claim is taken
    // over when the claim's lease ends, so the event may repeat (consumers are idempotent) but is never lost.
    if (!(await store.claimRoundOpening(round.roundId, at))) continue;
    await publish('RoundOpened', { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt });
    await store.markRoundOpened(round.roundId, at.toISOString());
  }
});
