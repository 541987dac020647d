// Webinar events as EventBridge delivers them (fixtures of real envelopes) against the catalogue, and the wiring of their subscribers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventRules } from '../../../infra/wiring.js';
import { eventCatalogue, sources } from '../../../schemas/events/catalogue.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as {
    source: string;
    'detail-type': keyof typeof eventCatalogue;
    detail: unknown;
  };

describe('webinar events', () => {
  it.each(['eventbridge-registration-cancelled', 'eventbridge-invitations-requested'])('%s parses with its contract', (name) => {
    const event = fixture(name);
    const entry = eventCatalogue[event['detail-type']];
    expect(entry.source).toBe(event.source);
    expect(entry.detail.safeParse(event.detail).success).toBe(true);
  });
  it('carry ids, never an email address', () => {
    const event = fixture('eventbridge-registration-cancelled');
    expect(
      eventCatalogue.RegistrationCancelled.detail.safeParse({ ...(event.detail as object), email: 'x@example.fi' }).data,
    ).not.toHaveProperty('email');
  });
  it('each webinar event has a subscriber (the report projects WebinarCreated), except the announcement of a finished batch', () => {
    const subscribed = new Set(Object.values(eventRules).flatMap((r) => [...r.pattern['detail-type']]));
    const webinarEvents = Object.entries(eventCatalogue)
      .filter(([, e]) => e.source === sources.webinar)
      .map(([type]) => type);
    expect(webinarEvents.filter((t) => !subscribed.has(t as never)).sort()).toEqual(['InvitationsSent']);
  });
});
