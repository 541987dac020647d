// Every minute: send the webinar reminders (the day before) and thank-yous (after) that have fallen due.
import { scheduledHandler } from '../../shared/events.js';
import { mailingWebinarPorts } from '../composition.js';
import { sendDueNotices } from '../due-notices.js';

export const handler = scheduledHandler(() => sendDueNotices(mailingWebinarPorts()));
