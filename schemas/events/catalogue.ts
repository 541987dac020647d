// Every event the system publishes: detail-type (PascalCase, past tense) → source and detail schema.
import type * as z from 'zod';
import { ApplicationReceived, RoundOpened } from './intake.js';

/** Events come from one source per capability. */
export const sources = {
  intake: 'sparraus.intake',
} as const;

export const eventCatalogue = {
  RoundOpened: { source: sources.intake, detail: RoundOpened },
  ApplicationReceived: { source: sources.intake, detail: ApplicationReceived },
} as const;

export type DetailType = keyof typeof eventCatalogue;
export type EventDetail<T extends DetailType> = z.infer<(typeof eventCatalogue)[T]['detail']>;

/** The EventBridge pattern that matches one detail-type of the catalogue. */
export function patternFor<T extends DetailType>(detailType: T) {
  return { source: [eventCatalogue[detailType].source], 'detail-type': [detailType] } as const;
}
