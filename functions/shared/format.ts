// Formatting for people: times in Europe/Helsinki with the zone named, in the reader's language.
import type { Language } from '../../schemas/common.js';

export const timeZone = 'Europe/Helsinki';

const locales: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const zoneNames: Record<Language, string> = { fi: 'Suomen aikaa', sv: 'finsk tid', en: 'Finnish time' };

/** e.g. "ti 3.3.2027 klo 9.00 (Suomen aikaa)": the zone is always stated, never assumed. */
export function formatDateTime(iso: string, language: Language): string {
  const text = new Intl.DateTimeFormat(locales[language], {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return `${text} (${zoneNames[language]}, ${timeZone})`;
}

/** Escapes text for the HTML part of an email. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
