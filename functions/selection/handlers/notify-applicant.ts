// On each selection event about an application: tell its contact by email, once, in their language.
import { eventHandlers } from '../../shared/events.js';
import type { SelectionMailKind } from '../emails.js';
import { selectionMailPorts } from '../composition.js';
import { notifyApplicant, type Notice } from '../use-cases.js';

const notify = (notice: Notice) => notifyApplicant(selectionMailPorts(), notice);

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
