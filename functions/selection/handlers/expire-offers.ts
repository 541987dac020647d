// Every minute: let unanswered offers lapse, and offer any place still free.
import { scheduledHandler } from '../../shared/events.js';
import { selectionPorts } from '../composition.js';
import { expireOffers } from '../use-cases.js';

export const handler = scheduledHandler(() => expireOffers(selectionPorts()));
