// Every event the system publishes: detail-type (PascalCase, past tense) → source and detail schema.
import type * as z from 'zod';
import { ApplicationReceived, RoundOpened } from './intake.js';
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

/** Events come from one source per capability. */
export const sources = {
  intake: 'sparraus.intake',
  selection: 'sparraus.selection',
} as const;

export const eventCatalogue = {
  RoundOpened: { source: sources.intake, detail: RoundOpened },
  ApplicationReceived: { source: sources.intake, detail: ApplicationReceived },
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
} as const;

export type DetailType = keyof typeof eventCatalogue;
export type EventDetail<T extends DetailType> = z.infer<(typeof eventCatalogue)[T]['detail']>;

/** The EventBridge pattern that matches the given detail-types of the catalogue (and nothing else). */
export function patternFor(...detailTypes: [DetailType, ...DetailType[]]) {
  const source = [...new Set(detailTypes.map((t) => eventCatalogue[t].source))];
  return { source, 'detail-type': [...detailTypes] } as const;
}
