// Every minute: announce meeting reminders due (24 h before) and session logs overdue (3 days after).
import { scheduledHandler } from '../../shared/events.js';
import { tutoringPorts } from '../composition.js';
import { triggerDueWork } from '../use-cases.js';

export const handler = scheduledHandler(() => triggerDueWork(tutoringPorts()));
