// On ApplicationReceived: email the applicant a confirmation with the status link, exactly once.
import { eventHandler } from '../../shared/events.js';
import { intakeMailPorts } from '../composition.js';
import { sendApplicationConfirmation } from '../use-cases.js';

export const handler = eventHandler('ApplicationReceived', (detail) => sendApplicationConfirmation(intakeMailPorts(), detail));
