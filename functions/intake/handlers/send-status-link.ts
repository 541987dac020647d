// On StatusLinkRequested: mail the status link to the application's contact, once per request.
import { eventHandler } from '../../shared/events.js';
import { intakeMailPorts } from '../composition.js';
import { sendStatusLink } from '../use-cases.js';

export const handler = eventHandler('StatusLinkRequested', (detail) => sendStatusLink(intakeMailPorts(), detail));
