// On RoundOpened / RoundCompleted: ask the still-waitlisted whether to carry over to the next round.
import { now } from '../../shared/clock.js';
import { eventHandlers } from '../../shared/events.js';
import { onRoundCompleted, onRoundOpened } from '../use-cases.js';

export const handler = eventHandlers({
  RoundOpened: async ({ roundId }) => onRoundOpened(roundId, now()),
  RoundCompleted: async ({ roundId }) => onRoundCompleted(roundId, now()),
});
