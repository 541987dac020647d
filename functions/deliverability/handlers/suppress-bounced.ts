// On an SES bounce or complaint: never mail that address again, mark the contacts that use it, and
// have coordinators (and tutors) told. Transient bounces are let be.
import type { EventBridgeEvent } from 'aws-lambda';
import { SesEmailEvent } from '../../../schemas/events/ses.js';
import { logger } from '../../shared/logger.js';
import { bouncePorts } from '../composition.js';
import { recordUndeliverable } from '../use-cases.js';

export async function handler(sesEvent: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = SesEmailEvent.parse(sesEvent.detail);
  const count = await recordUndeliverable(bouncePorts(), detail);
  if (count) logger.info('addresses suppressed', { messageId: detail.mail.messageId, eventType: detail.eventType, count });
}
