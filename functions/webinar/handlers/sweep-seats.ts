// Every minute: set seat counters right after a writer died half-way, and fill any free seat from the waiting list.
import { scheduledHandler } from '../../shared/events.js';
import { webinarPorts } from '../composition.js';
import { sweepSeats } from '../use-cases.js';

export const handler = scheduledHandler(() => sweepSeats(webinarPorts()));
