// The contract of every HTTP route: its path, query and body schemas and its answers. Handlers
// validate with these, and the OpenAPI document is generated from them (npm run openapi).
import type * as z from 'zod';
import type { RouteKey } from '../../infra/wiring.js';
import {
  ApplicationPath,
  ApplicationQuery,
  ApplicationView,
  ApplyBody,
  ApplyPath,
  ApplyResponse,
  OfferAnswerBody,
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

export interface RouteContract {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Successful answers by status code. Errors always have the ErrorBody shape. */
  responses: Partial<Record<200 | 201 | 202 | 204, z.ZodType>>;
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
} as const satisfies Record<RouteKey, RouteContract>;

export type RouteContracts = typeof routeContracts;
