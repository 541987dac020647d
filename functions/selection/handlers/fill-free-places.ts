// On PlaceFreed: offer the free place to the first on the waiting list.
import { now } from '../../shared/clock.js';
import { eventHandler } from '../../shared/events.js';
import { fillFreePlaces } from '../use-cases.js';

export const handler = eventHandler('PlaceFreed', async ({ roundId }) => {
  await fillFreePlaces(roundId, now());
});
