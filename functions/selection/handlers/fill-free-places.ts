// On PlaceFreed: offer the free place to the first on the waiting list.
import { eventHandler } from '../../shared/events.js';
import { selectionPorts } from '../composition.js';
import { fillFreePlaces } from '../use-cases.js';

export const handler = eventHandler('PlaceFreed', async ({ roundId }) => {
  await fillFreePlaces(selectionPorts(), roundId);
});
