// What a coordinator sees of each application in a round.
import type { Application } from '../../schemas/stored/application.js';

export function toRoundApplicationView(a: Application, position: number | undefined) {
  return {
    applicationId: a.applicationId,
    municipality: a.municipality,
    contact: a.contact,
    language: a.language,
    themes: a.themes,
    status: a.status,
    ...(position !== undefined ? { position } : {}),
    ...(a.priority !== undefined ? { priority: a.priority } : {}),
    ...(a.offer ? { offer: { kind: a.offer.kind, expiresAt: a.offer.expiresAt } } : {}),
    receivedAt: a.receivedAt,
    ...pick(a, ['acceptedAt', 'waitlistedAt', 'offeredAt', 'declinedAt', 'withdrawnAt', 'carriedOverAt', 'carriedOverFrom']),
  };
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
}
