// On each selection event about an application: tell its contact by email, once, in their language.
import { config } from '../../shared/config.js';
import { eventHandlers } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { sendOnce } from '../../shared/mailer.js';
import { statusUrl } from '../../intake/domain.js';
import { intakeStore } from '../../intake/store-instance.js';
import { selectionEmail, type SelectionMail, type SelectionMailKind } from '../emails.js';

interface Notice {
  applicationId: string;
  kind: SelectionMailKind;
  /** Unique per message: a second offer to the same application is a new message. */
  key: string;
  position?: number;
  expiresAt?: string;
  nextRoundId?: string;
}

async function notify(notice: Notice): Promise<void> {
  const store = intakeStore();
  const application = await store.getApplication(notice.applicationId);
  if (!application) {
    logger.warn('application not found; nobody to tell', { applicationId: notice.applicationId, kind: notice.kind });
    return;
  }
  const [round, nextRound] = await Promise.all([
    store.getRound(application.roundId),
    notice.nextRoundId ? store.getRound(notice.nextRoundId) : undefined,
  ]);
  const mail: SelectionMail = {
    kind: notice.kind,
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round?.name ?? application.roundId,
    statusUrl: statusUrl(config.pagesUrl(), application),
    ...(notice.position !== undefined ? { position: notice.position } : {}),
    ...(notice.expiresAt ? { expiresAt: notice.expiresAt } : {}),
    ...(nextRound ? { nextRoundName: nextRound.name } : {}),
  };
  const result = await sendOnce({ key: notice.key, kind: notice.kind, to: application.contact.email, ...selectionEmail(mail) });
  logger.info('applicant notified', { applicationId: application.applicationId, kind: notice.kind, result });
}

export const handler = eventHandlers({
  ApplicationAccepted: ({ applicationId, via }) =>
    notify({ applicationId, kind: via === 'offer' ? 'accepted-offer' : 'accepted', key: `accepted/${applicationId}` }),
  ApplicationWaitlisted: ({ applicationId, position }) =>
    notify({ applicationId, kind: 'waitlisted', position, key: `waitlisted/${applicationId}` }),
  PlaceOffered: ({ applicationId, offerId, expiresAt }) =>
    notify({ applicationId, kind: 'place-offered', expiresAt, key: `place-offered/${applicationId}/${offerId}` }),
  OfferDeclined: ({ applicationId, offerId, kind, reason }) => {
    const mailKind: SelectionMailKind =
      kind === 'place'
        ? reason === 'lapsed'
          ? 'offer-lapsed'
          : 'offer-declined'
        : reason === 'lapsed'
          ? 'carry-over-lapsed'
          : 'carry-over-declined';
    return notify({ applicationId, kind: mailKind, key: `${mailKind}/${applicationId}/${offerId}` });
  },
  ApplicationWithdrawn: ({ applicationId }) => notify({ applicationId, kind: 'withdrawn', key: `withdrawn/${applicationId}` }),
  CarryOverOffered: ({ applicationId, offerId, expiresAt, nextRoundId }) =>
    notify({
      applicationId,
      kind: 'carry-over-offered',
      expiresAt,
      nextRoundId,
      key: `carry-over-offered/${applicationId}/${offerId}`,
    }),
  ApplicationCarriedOver: ({ applicationId, nextRoundId }) =>
    notify({ applicationId, kind: 'carried-over', nextRoundId, key: `carried-over/${applicationId}` }),
});
