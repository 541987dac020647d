// On ContactUnreachable: tell the round's coordinators and the municipality's tutor, once each.
import { eventHandler } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { staffNoticePorts } from '../composition.js';
import { tellStaffOfUnreachableContact } from '../use-cases.js';

export const handler = eventHandler('ContactUnreachable', async (detail) => {
  const recipients = await tellStaffOfUnreachableContact(staffNoticePorts(), detail);
  logger.info('staff told of an unreachable contact', { applicationId: detail.applicationId, recipients });
});
