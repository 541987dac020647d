// The contract of every HTTP route: its path, query and body schemas and its answers. Handlers
// validate with these, and the OpenAPI document is generated from them (npm run openapi).
import type * as z from 'zod';
import type { RouteKey } from '../../infra/wiring.js';
import {
  ApplicationHistoryPath,
  EngagementHistoryPath,
  HistoryPage,
  HistoryQuery,
  RoundHistoryPath,
  WebinarHistoryPath,
} from './history.js';
import {
  MunicipalitiesQuery,
  MunicipalityList,
  MunicipalityRegisterBody,
  RegionList,
  RegisterImportResult,
} from './organisation.js';
import { ErasureResult, PersonBody, PersonExport } from './privacy.js';
import { ReportPath, RoundReport } from './report.js';
import {
  AttendanceBody,
  AttendanceResult,
  BatchPath,
  BatchProgress,
  CancelQuery,
  CancelResponse,
  CreateWebinarBody,
  InvitationsAccepted,
  InvitationsBody,
  RegisterBody,
  RegisterResponse,
  RegistrationList,
  RegistrationPath,
  UpdateWebinarBody,
  WebinarPath,
  WebinarList,
  WebinarView,
} from './webinars.js';
import {
  ApplicationPath,
  ApplicationQuery,
  ApplicationView,
  ApplyBody,
  ApplyPath,
  ApplyResponse,
  OfferAnswerBody,
  StatusLinkBody,
  StatusLinkResponse,
  RoundApplicationList,
  TokenQuery,
} from './applications.js';
import {
  CreateRoundBody,
  ListRoundsQuery,
  RoundList,
  RoundPath,
  RoundView,
  SelectionBody,
  SelectionResult,
  UpdateRoundBody,
} from './rounds.js';
import {
  AssignTutorBody,
  ChangeMeetingBody,
  EngagementList,
  EngagementPath,
  EngagementView,
  ExtraMeetingsBody,
  ExtraMeetingsResponse,
  LogSessionBody,
  MeetingPath,
  MeetingView,
  RoundEngagementsPath,
  ScheduleMeetingBody,
} from './engagements.js';
import { CreateTutorBody, TutorList, TutorPath, TutorView, UpdateTutorBody } from './tutors.js';

export interface RouteContract {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Successful answers by status code. Errors always have the ErrorBody shape. */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType>>;
  /** Also answers `text/csv` when asked with `Accept: text/csv`. */
  csv?: true;
  /** A body limit above the default 64 KiB (the register is one document of ~300 rows). */
  maxBodyKiB?: number;
}

export const routeContracts = {
  'POST /rounds': {
    summary: 'Open a coaching round for applications',
    body: CreateRoundBody,
    responses: { 201: RoundView },
  },
  'GET /rounds': {
    summary: 'Rounds open for applications (?status= scheduled, open, closed or all)',
    query: ListRoundsQuery,
    responses: { 200: RoundList },
  },
  'GET /rounds/{roundId}': {
    summary: 'One round, with its places and how many are left',
    path: RoundPath,
    responses: { 200: RoundView },
  },
  'POST /rounds/{roundId}/applications': {
    summary: 'Apply to a round; the same municipality again returns its existing application (200)',
    path: ApplyPath,
    body: ApplyBody,
    responses: { 201: ApplyResponse, 200: ApplyResponse },
  },
  'POST /rounds/{roundId}/status-link': {
    summary:
      'Mail the status link again to the contact on file (at most once in 10 minutes); 202 whatever the address, so it tells nobody which address applied',
    path: ApplyPath,
    body: StatusLinkBody,
    responses: { 202: StatusLinkResponse },
  },
  'GET /applications/{applicationId}': {
    summary: "An application's status, read with the token from the status link",
    path: ApplicationPath,
    query: ApplicationQuery,
    responses: { 200: ApplicationView },
  },
  'PATCH /rounds/{roundId}': {
    summary: 'Change a round that has not closed yet',
    path: RoundPath,
    body: UpdateRoundBody,
    responses: { 200: RoundView },
  },
  'POST /rounds/{roundId}/selection': {
    summary: 'Select now (first-come or manual); before closesAt only with force: true, which closes the window',
    path: RoundPath,
    body: SelectionBody,
    responses: { 200: SelectionResult },
  },
  'GET /rounds/{roundId}/applications': {
    summary: 'All applications of a round with status, waiting-list position, contact and timestamps',
    path: RoundPath,
    responses: { 200: RoundApplicationList },
  },
  'POST /rounds/{roundId}/complete': {
    summary: 'Mark the round completed (the still-waitlisted may then be asked to carry over)',
    path: RoundPath,
    responses: { 200: RoundView },
  },
  'POST /applications/{applicationId}/withdraw': {
    summary: "Withdraw, with the status link's token or a coordinator's bearer token; a freed place goes to the waiting list",
    path: ApplicationPath,
    query: TokenQuery,
    responses: { 200: ApplicationView },
  },
  'POST /applications/{applicationId}/offer': {
    summary: 'Answer an offered place or a carry-over into the next round; after the offer expired: 409',
    path: ApplicationPath,
    query: ApplicationQuery,
    body: OfferAnswerBody,
    responses: { 200: ApplicationView },
  },
  'POST /tutors': {
    summary: 'Add a tutor to the roster; the same tutor posted again answers 200 with the one on record',
    body: CreateTutorBody,
    responses: { 201: TutorView, 200: TutorView },
  },
  'GET /tutors': {
    summary: 'The tutor roster, with each tutor’s current number of active engagements',
    responses: { 200: TutorList },
  },
  'PATCH /tutors/{tutorId}': {
    summary: 'Change a tutor (name, email, languages, regions, maxActive, active)',
    path: TutorPath,
    body: UpdateTutorBody,
    responses: { 200: TutorView },
  },
  'POST /engagements/{engagementId}/tutor': {
    summary: 'Assign or reassign the engagement’s tutor (never above the tutor’s maxActive)',
    path: EngagementPath,
    body: AssignTutorBody,
    responses: { 200: EngagementView },
  },
  'GET /rounds/{roundId}/engagements': {
    summary: 'The engagements of a round: tutor, status, meetings and logs',
    path: RoundEngagementsPath,
    responses: { 200: EngagementList },
  },
  'GET /me/engagements': {
    summary: 'The municipalities assigned to me, with meetings and logs',
    responses: { 200: EngagementList },
  },
  'GET /engagements/{engagementId}': {
    summary: 'One engagement, for its tutor or a coordinator',
    path: EngagementPath,
    responses: { 200: EngagementView },
  },
  'POST /engagements/{engagementId}/meetings': {
    summary: 'Schedule a meeting; both sides get an email with an .ics invitation. The same request again answers 200',
    path: EngagementPath,
    body: ScheduleMeetingBody,
    responses: { 201: MeetingView, 200: MeetingView },
  },
  'PATCH /meetings/{meetingId}': {
    summary:
      'Reschedule (startsAt, durationMinutes, joinUrl) or cancel ({status: "cancelled"}); calendars get an update or a cancellation',
    path: MeetingPath,
    body: ChangeMeetingBody,
    responses: { 200: MeetingView },
  },
  'POST /meetings/{meetingId}/log': {
    summary: 'Log a held session; a different log later is a correction (a new version), the same one again changes nothing',
    path: MeetingPath,
    body: LogSessionBody,
    responses: { 201: MeetingView, 200: MeetingView },
  },
  'POST /engagements/{engagementId}/complete': {
    summary: 'The programme is done: the municipality gets a summary (no meeting may still be ahead)',
    path: EngagementPath,
    responses: { 200: EngagementView },
  },
  'POST /applications/{applicationId}/extra-meetings': {
    summary: "Ask for extra meetings, with the status link's token; the tutor is emailed",
    path: ApplicationPath,
    query: ApplicationQuery,
    body: ExtraMeetingsBody,
    responses: { 201: ExtraMeetingsResponse, 200: ExtraMeetingsResponse },
  },
  'POST /rounds/{roundId}/webinars': {
    summary: "Create the round's closing webinar (title, times, seats, registration deadline, join link, languages)",
    path: RoundPath,
    body: CreateWebinarBody,
    responses: { 201: WebinarView },
  },
  'GET /rounds/{roundId}/webinars': {
    summary: 'The webinars of a round, in start order',
    path: RoundPath,
    responses: { 200: WebinarList },
  },
  'GET /webinars/{webinarId}': {
    summary: 'One webinar, with its seats left and whether registration is open',
    path: WebinarPath,
    responses: { 200: WebinarView },
  },
  'PATCH /webinars/{webinarId}': {
    summary: 'Change the details, or add recordingUrl; seats never below those taken (409)',
    path: WebinarPath,
    body: UpdateWebinarBody,
    responses: { 200: WebinarView },
  },
  'POST /webinars/{webinarId}/invitations': {
    summary:
      "Invite every participating municipality's contact plus extraInvitees, in the background; sending again never mails anyone twice",
    path: WebinarPath,
    body: InvitationsBody,
    responses: { 202: InvitationsAccepted },
  },
  'GET /webinars/{webinarId}/invitations/{batchId}': {
    summary: "An invitation batch's progress: sent, failed, left",
    path: BatchPath,
    responses: { 200: BatchProgress },
  },
  'POST /webinars/{webinarId}/attendance': {
    summary: 'Mark confirmed registrations as attended or not; the absent get a "sorry we missed you" with the recording link',
    path: WebinarPath,
    body: AttendanceBody,
    responses: { 200: AttendanceResult },
  },
  'GET /webinars/{webinarId}/registrations': {
    summary: 'Every registration with status, waiting-list position, municipality and attendance; CSV with Accept: text/csv',
    path: WebinarPath,
    responses: { 200: RegistrationList },
    csv: true,
  },
  'POST /webinars/{webinarId}/registrations': {
    summary:
      'Register: confirmed while seats are left, else waitlisted with a position; the same email again answers 200 with the existing registration',
    path: WebinarPath,
    body: RegisterBody,
    responses: { 201: RegisterResponse, 200: RegisterResponse },
  },
  'DELETE /registrations/{registrationId}': {
    summary: 'Cancel with the emailed link; the freed seat goes to the first waitlisted. Cancelling again changes nothing',
    path: RegistrationPath,
    query: CancelQuery,
    responses: { 200: CancelResponse },
  },
  'POST /privacy/export': {
    summary: 'Everything held about one person (applications, registrations, emails sent, logs naming them)',
    body: PersonBody,
    responses: { 200: PersonExport },
  },
  'POST /privacy/erase': {
    summary: 'Erase or anonymise one person everywhere; counts stay; the erasure is recorded (who, when)',
    body: PersonBody,
    responses: { 200: ErasureResult },
  },
  'GET /rounds/{roundId}/report': {
    summary:
      "The round's situational picture, projected from its events: each municipality's stage, tutor, meetings, hours, themes, actions and webinar attendance, with totals; CSV (one row per municipality) with Accept: text/csv",
    path: ReportPath,
    responses: { 200: RoundReport },
    csv: true,
  },
  'PUT /municipalities': {
    summary:
      'Import the municipality register (admin): it replaces the register and answers what was added, changed and removed; a bad row gets 400 naming its index and field, and nothing is imported',
    body: MunicipalityRegisterBody,
    responses: { 200: RegisterImportResult },
    maxBodyKiB: 1024,
  },
  'GET /municipalities': {
    summary: 'The municipality register, for pickers (?region= a region code)',
    query: MunicipalitiesQuery,
    responses: { 200: MunicipalityList },
  },
  'GET /regions': {
    summary: 'The regions of the register, with their names in Finnish and Swedish',
    responses: { 200: RegionList },
  },

  // --- History (the audit trail) ---------------------------------------------------------------
  'GET /rounds/{roundId}/history': {
    summary:
      "The round's audit trail: every state change of the round and of its applications, engagements and webinars, oldest first; ?after=<next>&limit= pages",
    path: RoundHistoryPath,
    query: HistoryQuery,
    responses: { 200: HistoryPage },
  },
  'GET /applications/{applicationId}/history': {
    summary: "The application's audit trail, oldest first; ?after=<next>&limit= pages",
    path: ApplicationHistoryPath,
    query: HistoryQuery,
    responses: { 200: HistoryPage },
  },
  'GET /webinars/{webinarId}/history': {
    summary: "The webinar's audit trail (registrations, attendance, invitations), oldest first; ?after=<next>&limit= pages",
    path: WebinarHistoryPath,
    query: HistoryQuery,
    responses: { 200: HistoryPage },
  },
  'GET /engagements/{engagementId}/history': {
    summary: "The engagement's audit trail, for its tutor and the coordinators, oldest first; ?after=<next>&limit= pages",
    path: EngagementHistoryPath,
    query: HistoryQuery,
    responses: { 200: HistoryPage },
  },
} as const satisfies Record<RouteKey, RouteContract>;

export type RouteContracts = typeof routeContracts;
