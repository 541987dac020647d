// POST /privacy/erase: erase or anonymise one person's data everywhere; the erasure is recorded.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { privacyErasurePorts } from '../composition.js';
import { erasePerson } from '../use-cases.js';

export const handler = httpHandler('POST /privacy/erase', async ({ body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  return json(200, await erasePerson(privacyErasurePorts(), body.email, by, now()));
});
