// Every event the system publishes: detail-type (PascalCase, past tense) → source and detail schema.
import type * as z from 'zod';
import { ContactUnreachable } from './deliverability.js';
import { ApplicationReceived, RoundOpened, StatusLinkRequested } from './intake.js';
import {
  ApplicationAccepted,
  ApplicationCarriedOver,
  ApplicationWaitlisted,
  ApplicationWithdrawn,
  CarryOverOffered,
  OfferDeclined,
  PlaceFreed,
  PlaceOffered,
  RoundCompleted,
  SelectionCompleted,
} from './selection.js';
import {
  AttendanceMarked,
  InvitationBatchProgressed,
  InvitationsRequested,
  InvitationsSent,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationPromoted,
  RegistrationWaitlisted,
  WebinarCreated,
  WebinarUpdated,
} from './webinar.js';
import {
  EngagementCompleted,
  EngagementLeftUnassigned,
  EngagementWithdrawn,
  ExtraMeetingsRequested,
  MeetingCancelled,
  MeetingReminderTriggered,
  MeetingRescheduled,
  MeetingScheduled,
  SessionLogged,
  SessionLogReminderTriggered,
  TutorAssigned,
} from './tutoring.js';

/** Events come from one source per capability. */
export const sources = {
  deliverability: 'sparraus.deliverability',
  intake: 'sparraus.intake',
  selection: 'sparraus.selection',
  webinar: 'sparraus.webinar',
  tutoring: 'sparraus.tutoring',
} as const;

export const eventCatalogue = {
  ContactUnreachable: { source: sources.deliverability, detail: ContactUnreachable },
  RoundOpened: { source: sources.intake, detail: RoundOpened },
  ApplicationReceived: { source: sources.intake, detail: ApplicationReceived },
  StatusLinkRequested: { source: sources.intake, detail: StatusLinkRequested },
  SelectionCompleted: { source: sources.selection, detail: SelectionCompleted },
  ApplicationAccepted: { source: sources.selection, detail: ApplicationAccepted },
  ApplicationWaitlisted: { source: sources.selection, detail: ApplicationWaitlisted },
  ApplicationWithdrawn: { source: sources.selection, detail: ApplicationWithdrawn },
  PlaceFreed: { source: sources.selection, detail: PlaceFreed },
  PlaceOffered: { source: sources.selection, detail: PlaceOffered },
  OfferDeclined: { source: sources.selection, detail: OfferDeclined },
  RoundCompleted: { source: sources.selection, detail: RoundCompleted },
  CarryOverOffered: { source: sources.selection, detail: CarryOverOffered },
  ApplicationCarriedOver: { source: sources.selection, detail: ApplicationCarriedOver },
  WebinarCreated: { source: sources.webinar, detail: WebinarCreated },
  WebinarUpdated: { source: sources.webinar, detail: WebinarUpdated },
  InvitationsRequested: { source: sources.webinar, detail: InvitationsRequested },
  InvitationBatchProgressed: { source: sources.webinar, detail: InvitationBatchProgressed },
  InvitationsSent: { source: sources.webinar, detail: InvitationsSent },
  RegistrationConfirmed: { source: sources.webinar, detail: RegistrationConfirmed },
  RegistrationWaitlisted: { source: sources.webinar, detail: RegistrationWaitlisted },
  RegistrationPromoted: { source: sources.webinar, detail: RegistrationPromoted },
  RegistrationCancelled: { source: sources.webinar, detail: RegistrationCancelled },
  AttendanceMarked: { source: sources.webinar, detail: AttendanceMarked },
  TutorAssigned: { source: sources.tutoring, detail: TutorAssigned },
  EngagementLeftUnassigned: { source: sources.tutoring, detail: EngagementLeftUnassigned },
  MeetingScheduled: { source: sources.tutoring, detail: MeetingScheduled },
  MeetingRescheduled: { source: sources.tutoring, detail: MeetingRescheduled },
  MeetingCancelled: { source: sources.tutoring, detail: MeetingCancelled },
  MeetingReminderTriggered: { source: sources.tutoring, detail: MeetingReminderTriggered },
  SessionLogged: { source: sources.tutoring, detail: SessionLogged },
  SessionLogReminderTriggered: { source: sources.tutoring, detail: SessionLogReminderTriggered },
  ExtraMeetingsRequested: { source: sources.tutoring, detail: ExtraMeetingsRequested },
  EngagementCompleted: { source: sources.tutoring, detail: EngagementCompleted },
  EngagementWithdrawn: { source: sources.tutoring, detail: EngagementWithdrawn },
} as const;

export type DetailType = keyof typeof eventCatalogue;
export type EventDetail<T extends DetailType> = z.infer<(typeof eventCatalogue)[T]['detail']>;

/** The EventBridge pattern that matches the given detail-types of the catalogue (and nothing else). */
export function patternFor(...detailTypes: [DetailType, ...DetailType[]]) {
  const source = [...new Set(detailTypes.map((t) => eventCatalogue[t].source))];
  return { source, 'detail-type': [...detailTypes] } as const;
}
