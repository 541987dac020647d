// On RoundOpened / RoundCompleted: ask the still-waitlisted whether to carry over to the next round.
import { eventHandlers } from '../../shared/events.js';
import { selectionPorts } from '../composition.js';
import { onRoundCompleted, onRoundOpened } from '../use-cases.js';

export const handler = eventHandlers({
  RoundOpened: async ({ roundId }) => onRoundOpened(selectionPorts(), roundId),
  RoundCompleted: async ({ roundId }) => onRoundCompleted(selectionPorts(), roundId),
});
