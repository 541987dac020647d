// POST /rounds/{roundId}/webinars: a coordinator creates the round's closing webinar. An optional
// `Idempotency-Key` header makes a retry of the same request answer the webinar it created.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { checkedIdempotencyKey, toWebinarView } from '../domain.js';
import { createWebinar } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/webinars', async ({ path, body, caller, event }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  const idempotencyKey = checkedIdempotencyKey(event.headers?.['idempotency-key']);
  const ports = webinarPorts();
  const { webinar } = await createWebinar(ports, path.roundId, body, by, idempotencyKey ? { idempotencyKey } : {});
  return json(201, toWebinarView(webinar, ports.clock.now(), 'coordinator'));
});
