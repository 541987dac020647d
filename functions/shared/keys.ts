// The table's key registry: every item kind's keys, in one place, so that no two aggregates can
// collide and a reader finds what a writer wrote. Only key builders live here (no AWS, no domain
// code), so that the lightest reader can import them.
import type { HistorySubject } from '../../schemas/events/stored.js';

/**
 * Event items (the outbox and the audit trail). One item per event, filed under its subject:
 *   pk HISTORY#<SUBJECT>#<id>   sk EVENT#<at>#<nn>#<eventId>   (nn: the event's place in its transaction)
 *   gsi1pk HISTORY#ROUND#<roundId>  gsi1sk <at>#<nn>#<eventId>  (every event of a round, its own included)
 * Sorting by time first gives each history in the order things happened.
 */
export const historyKeys = {
  partition: (subject: HistorySubject, id: string) => `HISTORY#${subject.toUpperCase()}#${id}`,
  roundPartition: (roundId: string) => `HISTORY#ROUND#${roundId}`,
  sortPrefix: 'EVENT#',
  order: (at: string, index: number, eventId: string) => `${at}#${String(index).padStart(2, '0')}#${eventId}`,
};

/** The `type` attribute that marks an event item; the relay's filter takes exactly these. */
export const eventItemType = 'event';

// ── Rounds and applications ──
//   round        pk ROUND#<roundId>   sk ROUND                  gsi1 ROUNDS / <opensAt>#<roundId>
//   municipality pk ROUND#<roundId>   sk MUNICIPALITY#<code>    → applicationId (the uniqueness guard)
//   application  pk APPLICATION#<id>  sk APPLICATION            gsi1 ROUND#<roundId>#APPLICATIONS / <receivedAt>#<id>
//   offer timer  pk DUE#<kind>        sk <dueAt>#<applicationId>#<offerId>   (one per open offer)
//   status link  pk APPLICATION#<id>  sk STATUS-LINK            (the last request to mail the link again; TTL)
export const roundKey = (roundId: string) => ({ pk: `ROUND#${roundId}`, sk: 'ROUND' });
/** Every round's place in the listing by opening time (gsi1). */
export const roundsPartition = 'ROUNDS';
export const roundListingSort = (round: { opensAt: string; roundId: string }) => `${round.opensAt}#${round.roundId}`;
export const guardKey = (roundId: string, code: string) => ({ pk: `ROUND#${roundId}`, sk: `MUNICIPALITY#${code}` });
export const applicationKey = (applicationId: string) => ({ pk: `APPLICATION#${applicationId}`, sk: 'APPLICATION' });
export const roundApplicationsPartition = (roundId: string) => `ROUND#${roundId}#APPLICATIONS`;
export const statusLinkRequestKey = (applicationId: string) => ({ pk: applicationKey(applicationId).pk, sk: 'STATUS-LINK' });
export const offerTimerPartition = (kind: string) => `DUE#${kind}`;
export const offerTimerKey = (t: { kind: string; dueAt: string; applicationId: string; offerId: string }) => ({
  pk: offerTimerPartition(t.kind),
  sk: `${t.dueAt}#${t.applicationId}#${t.offerId}`,
});
// ── end of rounds and applications ──

// ── Tutors and engagements ──
//   tutor          pk TUTOR#<tutorId>       sk TUTOR                      gsi1 TUTORS / <createdAt>#<tutorId>
//   tutor email    pk TUTOR-EMAIL#<email>   sk TUTOR-EMAIL                → tutorId (one roster entry per email)
//   tutor's link   pk TUTOR#<tutorId>       sk ENGAGEMENT#<engagementId>  while the tutor has (or completed) it
//   engagement     pk ENGAGEMENT#<id>       sk ENGAGEMENT                 gsi1 ROUND#<roundId>#ENGAGEMENTS / <createdAt>#<id>
//   meeting        pk ENGAGEMENT#<id>       sk MEETING#<meetingId>
//   session log    pk ENGAGEMENT#<id>       sk LOG#<meetingId>#<version as 4 digits>   (versions are never overwritten)
//   time slot      pk ENGAGEMENT#<id>       sk SLOT#<startsAt>            → meetingId (one live meeting per start time)
//   extra request  pk ENGAGEMENT#<id>       sk EXTRA#<requestId>
//   meeting ref    pk MEETING#<meetingId>   sk MEETING                    → engagementId (PATCH /meetings/{id} finds its engagement)
//   timer          pk DUE#<kind>            sk <dueAt>#<meetingId>#<sequence>
// Everything of one engagement shares its partition, so one consistent query reads it whole.
export const tutorPk = (tutorId: string) => `TUTOR#${tutorId}`;
export const tutorKey = (tutorId: string) => ({ pk: tutorPk(tutorId), sk: 'TUTOR' });
export const tutorEmailKey = (email: string) => ({ pk: `TUTOR-EMAIL#${email}`, sk: 'TUTOR-EMAIL' });
export const tutorsPartition = 'TUTORS';
export const tutorListOrder = (t: { createdAt: string; tutorId: string }) => `${t.createdAt}#${t.tutorId}`;
export const tutorLinkPrefix = 'ENGAGEMENT#';
export const tutorLinkKey = (tutorId: string, engagementId: string) => ({
  pk: tutorPk(tutorId),
  sk: `${tutorLinkPrefix}${engagementId}`,
});
export const engagementPk = (engagementId: string) => `ENGAGEMENT#${engagementId}`;
export const roundEngagementsPartition = (roundId: string) => `ROUND#${roundId}#ENGAGEMENTS`;
export const engagementKey = (engagementId: string) => ({ pk: engagementPk(engagementId), sk: 'ENGAGEMENT' });
export const engagementListOrder = (e: { createdAt: string; engagementId: string }) => `${e.createdAt}#${e.engagementId}`;
/** What an engagement's partition holds, by sort-key prefix (the engagement itself is sk ENGAGEMENT). */
export const engagementItemPrefixes = { meeting: 'MEETING#', log: 'LOG#', slot: 'SLOT#', extra: 'EXTRA#' } as const;
export const meetingKey = (m: { engagementId: string; meetingId: string }) => ({
  pk: engagementPk(m.engagementId),
  sk: `${engagementItemPrefixes.meeting}${m.meetingId}`,
});
export const logKey = (engagementId: string, meetingId: string, version: number) => ({
  pk: engagementPk(engagementId),
  sk: `${engagementItemPrefixes.log}${meetingId}#${String(version).padStart(4, '0')}`,
});
export const slotKey = (m: { engagementId: string; startsAt: string }) => ({
  pk: engagementPk(m.engagementId),
  sk: `${engagementItemPrefixes.slot}${m.startsAt}`,
});
export const extraKey = (engagementId: string, requestId: string) => ({
  pk: engagementPk(engagementId),
  sk: `${engagementItemPrefixes.extra}${requestId}`,
});
export const meetingRefKey = (meetingId: string) => ({ pk: `MEETING#${meetingId}`, sk: 'MEETING' });
export const meetingTimersPartition = (kind: string) => `DUE#${kind}`;
export const meetingTimerKey = (t: { kind: string; dueAt: string; meetingId: string; sequence: number }) => ({
  pk: meetingTimersPartition(t.kind),
  sk: `${t.dueAt}#${t.meetingId}#${t.sequence}`,
});
// ── end of tutors and engagements ──

// ── Webinars, registrations and invitation batches ──
//   webinar      pk WEBINAR#<id>          sk WEBINAR               gsi1 WEBINARS / <startsAt>#<id>
//   email guard  pk WEBINAR#<id>          sk EMAIL#<email>         → registrationId (one registration per email)
//   registration pk REGISTRATION#<id>     sk REGISTRATION          gsi1 WEBINAR#<id>#REGISTRATIONS / <registeredAt>#<id>
//   invitation   pk WEBINAR#<id>          sk INVITATION#<email>    gsi1 BATCH#<batchId>#<QUEUED|FAILED> / <email>, while queued or failed
//   batch        pk WEBINAR#<id>          sk BATCH#<batchId>       gsi1 INVITATION-BATCHES#OPEN / <createdAt>#<batchId>, until done
export const webinarKey = (webinarId: string) => ({ pk: `WEBINAR#${webinarId}`, sk: 'WEBINAR' });
export const emailGuardKey = (webinarId: string, email: string) => ({ pk: `WEBINAR#${webinarId}`, sk: `EMAIL#${email}` });
export const registrationKey = (registrationId: string) => ({ pk: `REGISTRATION#${registrationId}`, sk: 'REGISTRATION' });
export const invitationKey = (webinarId: string, email: string) => ({ pk: `WEBINAR#${webinarId}`, sk: `INVITATION#${email}` });
export const batchKey = (webinarId: string, batchId: string) => ({ pk: `WEBINAR#${webinarId}`, sk: `BATCH#${batchId}` });
export const webinarsPartition = 'WEBINARS';
export const webinarListingSort = (startsAt: string, webinarId: string) => `${startsAt}#${webinarId}`;
export const webinarRegistrationsPartition = (webinarId: string) => `WEBINAR#${webinarId}#REGISTRATIONS`;
export const invitationQueuePartition = (batchId: string, state: 'QUEUED' | 'FAILED') => `BATCH#${batchId}#${state}`;
export const openBatchesPartition = 'INVITATION-BATCHES#OPEN';
// ── end of webinars ──

// ── Email, suppression, reports, erasures ──
//   email record  pk EMAIL#<key>                sk EMAIL
//   email outbox  pk DUE#email                  sk <dueAt>#<key>      (a pointer while the email is unsent)
//   suppression   pk SUPPRESSION#<address>      sk SUPPRESSION        (lower-cased address)
//   report rows   pk REPORT#<roundId>           sk MUNICIPALITY#… | MEETING#… | WEBINAR#… | REGISTRATION#…
//   erasure       pk ERASURE#<erasureId>        sk ERASURE
export const emailRecordKey = (key: string) => ({ pk: `EMAIL#${key}`, sk: 'EMAIL' });
export const emailOutboxKey = (dueAt: string, key: string) => ({ pk: 'DUE#email', sk: `${dueAt}#${key}` });
export const suppressionKey = (address: string) => ({ pk: `SUPPRESSION#${address.toLowerCase()}`, sk: 'SUPPRESSION' });
export const reportPk = (roundId: string) => `REPORT#${roundId}`;
export const reportKeys = {
  municipality: (roundId: string, applicationId: string) => ({ pk: reportPk(roundId), sk: `MUNICIPALITY#${applicationId}` }),
  meeting: (roundId: string, applicationId: string, meetingId: string) => ({
    pk: reportPk(roundId),
    sk: `MEETING#${applicationId}#${meetingId}`,
  }),
  webinar: (roundId: string, webinarId: string) => ({ pk: reportPk(roundId), sk: `WEBINAR#${webinarId}` }),
  registration: (roundId: string, webinarId: string, registrationId: string) => ({
    pk: reportPk(roundId),
    sk: `REGISTRATION#${webinarId}#${registrationId}`,
  }),
};
export const erasureKey = (erasureId: string) => ({ pk: `ERASURE#${erasureId}`, sk: 'ERASURE' });
// ── end of email, suppression, reports, erasures ──

// ── Organisation ──
//   municipality  pk REGISTER   sk MUNICIPALITY#<code>   (the whole register is one partition: one query reads it)
export const registerPartition = 'REGISTER';
export const municipalityKey = (code: string) => ({ pk: registerPartition, sk: `MUNICIPALITY#${code}` });
// ── end of organisation ──
