// The email to one registrant about one webinar, with the links that kind of email carries.
import { config } from '../shared/config.js';
import { cancelUrl, type Registration, type Webinar } from './domain.js';
import { webinarEmail, type WebinarMailKind } from './emails.js';

export function registrantMail(
  kind: WebinarMailKind,
  webinar: Webinar,
  registration: Registration,
  extra: { position?: number } = {},
) {
  const withSeat = kind === 'confirmed' || kind === 'promoted' || kind === 'reminder';
  return webinarEmail({
    kind,
    language: registration.language,
    name: registration.name,
    title: webinar.title,
    startsAt: webinar.startsAt,
    endsAt: webinar.endsAt,
    ...(withSeat ? { joinUrl: webinar.joinUrl } : {}),
    ...(kind !== 'cancelled' && kind !== 'thanks' && kind !== 'missed'
      ? { cancelUrl: cancelUrl(config.pagesUrl(), registration) }
      : {}),
    ...(extra.position !== undefined ? { position: extra.position } : {}),
    ...(webinar.feedbackUrl ? { feedbackUrl: webinar.feedbackUrl } : {}),
    ...(webinar.recordingUrl ? { recordingUrl: webinar.recordingUrl } : {}),
  });
}
