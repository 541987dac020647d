// The stable codes of API issues and their messages in the languages of the API (API.md, "Errors"):
// zod's issues get a code here, centrally, from the zod issue code and its details, and every
// message follows Accept-Language (fi, sv, en; English by default). Pages translate the codes
// themselves; the messages are for other clients and for people reading the API's answers.
import type * as z from 'zod';
import type { ErrorIssue } from '../../schemas/api/errors.js';

export type MessageLanguage = 'fi' | 'sv' | 'en';
type Params = Record<string, unknown>;

/** The first of fi, sv and en that an Accept-Language header asks for (by q), else English. */
export function languageOf(acceptLanguage: string | undefined): MessageLanguage {
  if (!acceptLanguage) return 'en';
  const asked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of asked) {
    const primary = tag.split('-')[0];
    if (primary === 'fi' || primary === 'sv' || primary === 'en') return primary;
  }
  return 'en';
}

const noInput = Symbol('no input');

/** The value at an issue's path in what was parsed (zod 4 leaves `input` out of its issues). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * A zod issue's stable code and params: what a page needs to say it in its own words. Given the
 * parsed input, a field that is absent is told apart from one of the wrong type (`required`).
 */
export function codeOf(issue: z.core.$ZodIssue, input: unknown = noInput): { code: string; params?: Params } {
  const missing = input === noInput ? 'input' in issue && issue.input === undefined : valueAt(input, issue.path) === undefined;
  switch (issue.code) {
    case 'invalid_type':
      return missing ? { code: 'required' } : { code: 'invalid_type', params: { expected: issue.expected } };
    case 'too_small':
      // A trimmed text that is empty is a field left empty.
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return { code: 'required' };
      return { code: 'too_small', params: { minimum: Number(issue.minimum), origin: issue.origin } };
    case 'too_big':
      return issue.origin === 'string'
        ? { code: 'too_long', params: { maximum: Number(issue.maximum) } }
        : { code: 'too_big', params: { maximum: Number(issue.maximum), origin: issue.origin } };
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'invalid_email' };
      if (issue.format === 'datetime') return { code: 'invalid_datetime' };
      return { code: 'invalid_format', params: { format: issue.format } };
    case 'invalid_value':
      if (missing) return { code: 'required' };
      if (issue.values.length === 1 && issue.values[0] === true) return { code: 'must_be_true' };
      return { code: 'invalid_value', params: { values: issue.values.map(String) } };
    case 'unrecognized_keys':
      return { code: 'unknown_field', params: { keys: issue.keys } };
    case 'custom': {
      // Refinements name their code in params (`params: { code: 'not_after', other: 'opensAt' }`).
      const { code, ...params } = (issue.params ?? {}) as Params;
      return typeof code === 'string' ? { code, ...(Object.keys(params).length ? { params } : {}) } : { code: 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
}

const issueMessages: Record<MessageLanguage, Record<string, (p: Params) => string>> = {
  en: {
    required: () => 'is required',
    invalid_type: (p) => (p.expected === 'int' || p.expected === 'number' ? 'must be a number' : 'has the wrong type'),
    too_small: (p) =>
      p.origin === 'array' || p.origin === 'set' ? `choose at least ${p.minimum}` : `must be at least ${p.minimum}`,
    too_big: (p) => (p.origin === 'array' || p.origin === 'set' ? `choose at most ${p.maximum}` : `must be at most ${p.maximum}`),
    too_long: (p) => `must be at most ${p.maximum} characters`,
    invalid_email: () => 'must be a valid email address',
    invalid_datetime: () => 'must be a date and time',
    invalid_format: () => 'is not in the right format',
    invalid_value: () => 'is not one of the allowed values',
    must_be_true: () => 'must be accepted',
    unknown_field: (p) => `unknown field: ${[p.keys].flat().join(', ')}`,
    not_after: (p) => `must be after ${p.other}`,
    too_late: (p) => `must be at or before ${p.other}`,
    single_line: () => 'must be a single line without control characters',
    control_characters: () => 'must not contain control characters other than line breaks and tabs',
    not_unicode: () => 'must be valid Unicode text',
    invalid_link: () => 'must be an https:// link, e.g. https://meet.example.fi/abc',
    nothing_to_change: () => 'name at least one field to change',
    cancel_alone: () => 'cancel on its own, without other changes',
    invalid_cursor: () => 'is not a cursor this API returned as `next`',
    invalid_json: () => 'must be a JSON object',
    not_in_future: () => 'must be in the future',
    same_round: () => 'cannot be the round itself',
    language_not_offered: (p) => `is not offered; choose one of ${p.languages}`,
    unknown_tutor: () => 'is not a tutor on the roster',
    unknown_application: () => 'is not an application of this round',
    unknown_registration: () => 'is not a registration for this webinar',
    wrong_status: (p) => `cannot be chosen: its status is ${p.status}`,
    duplicate: () => 'lists the same one twice',
    too_many: (p) => `lists more than ${p.maximum}`,
    invalid: () => 'is not valid',
  },
  fi: {
    required: () => 'on pakollinen',
    invalid_type: (p) => (p.expected === 'int' || p.expected === 'number' ? 'pitää olla luku' : 'on väärää tyyppiä'),
    too_small: (p) =>
      p.origin === 'array' || p.origin === 'set' ? `valitse vähintään ${p.minimum}` : `pitää olla vähintään ${p.minimum}`,
    too_big: (p) =>
      p.origin === 'array' || p.origin === 'set' ? `valitse enintään ${p.maximum}` : `saa olla enintään ${p.maximum}`,
    too_long: (p) => `saa olla enintään ${p.maximum} merkkiä`,
    invalid_email: () => 'pitää olla kelvollinen sähköpostiosoite',
    invalid_datetime: () => 'pitää olla päivämäärä ja kellonaika',
    invalid_format: () => 'ei ole oikeassa muodossa',
    invalid_value: () => 'ei ole sallittu arvo',
    must_be_true: () => 'pitää hyväksyä',
    unknown_field: (p) => `tuntematon kenttä: ${[p.keys].flat().join(', ')}`,
    not_after: (p) => `pitää olla myöhemmin kuin ${p.other}`,
    too_late: (p) => `saa olla viimeistään ${p.other}`,
    single_line: () => 'pitää olla yksi rivi ilman ohjausmerkkejä',
    control_characters: () => 'ei saa sisältää muita ohjausmerkkejä kuin rivinvaihtoja ja sarkaimia',
    not_unicode: () => 'pitää olla kelvollista Unicode-tekstiä',
    invalid_link: () => 'pitää olla https://-linkki, esim. https://meet.example.fi/abc',
    nothing_to_change: () => 'anna ainakin yksi muutettava kenttä',
    cancel_alone: () => 'peru ilman muita muutoksia',
    invalid_cursor: () => 'ei ole tämän rajapinnan antama jatkokohta (`next`)',
    invalid_json: () => 'pitää olla JSON-objekti',
    not_in_future: () => 'pitää olla tulevaisuudessa',
    same_round: () => 'ei voi olla kierros itse',
    language_not_offered: (p) => `ei ole tarjolla; valitse jokin näistä: ${p.languages}`,
    unknown_tutor: () => 'ei ole tutorilistalla',
    unknown_application: () => 'ei ole tämän kierroksen hakemus',
    unknown_registration: () => 'ei ole tämän webinaarin ilmoittautuminen',
    wrong_status: (p) => `ei voi valita: sen tila on ${p.status}`,
    duplicate: () => 'sisältää saman kahdesti',
    too_many: (p) => `sisältää enemmän kuin ${p.maximum}`,
    invalid: () => 'ei kelpaa',
  },
  sv: {
    required: () => 'är obligatoriskt',
    invalid_type: (p) => (p.expected === 'int' || p.expected === 'number' ? 'måste vara ett tal' : 'har fel typ'),
    too_small: (p) => (p.origin === 'array' || p.origin === 'set' ? `välj minst ${p.minimum}` : `måste vara minst ${p.minimum}`),
    too_big: (p) => (p.origin === 'array' || p.origin === 'set' ? `välj högst ${p.maximum}` : `får vara högst ${p.maximum}`),
    too_long: (p) => `får vara högst ${p.maximum} tecken`,
    invalid_email: () => 'måste vara en giltig e-postadress',
    invalid_datetime: () => 'måste vara ett datum och en tid',
    invalid_format: () => 'har fel format',
    invalid_value: () => 'är inte ett tillåtet värde',
    must_be_true: () => 'måste godkännas',
    unknown_field: (p) => `okänt fält: ${[p.keys].flat().join(', ')}`,
    not_after: (p) => `måste vara senare än ${p.other}`,
    too_late: (p) => `får vara senast ${p.other}`,
    single_line: () => 'måste vara en rad utan styrtecken',
    control_characters: () => 'får inte innehålla andra styrtecken än radbrytningar och tabbar',
    not_unicode: () => 'måste vara giltig Unicode-text',
    invalid_link: () => 'måste vara en https://-länk, t.ex. https://meet.example.fi/abc',
    nothing_to_change: () => 'ange minst ett fält att ändra',
    cancel_alone: () => 'avboka utan andra ändringar',
    invalid_cursor: () => 'är inte en fortsättningspunkt (`next`) som detta API har gett',
    invalid_json: () => 'måste vara ett JSON-objekt',
    not_in_future: () => 'måste vara i framtiden',
    same_round: () => 'kan inte vara omgången själv',
    language_not_offered: (p) => `erbjuds inte; välj ett av ${p.languages}`,
    unknown_tutor: () => 'är inte en tutor på listan',
    unknown_application: () => 'är inte en ansökan i den här omgången',
    unknown_registration: () => 'är inte en anmälan till det här webbinariet',
    wrong_status: (p) => `kan inte väljas: dess status är ${p.status}`,
    duplicate: () => 'tar upp samma två gånger',
    too_many: (p) => `tar upp fler än ${p.maximum}`,
    invalid: () => 'är inte giltigt',
  },
};

/** An issue's message in `language`; an issue code without a text of its own reads "is not valid". */
export function issueMessage(code: string, params: Params | undefined, language: MessageLanguage): string {
  const texts = issueMessages[language];
  return (texts[code] ?? texts.invalid!)(params ?? {});
}

// The answers' own messages, by error code. A code without one here (a use case's own conflict)
// keeps the use case's English message in English and gets its status's sentence in fi and sv.
const errorMessages: Record<Exclude<MessageLanguage, 'en'>, Record<string, string>> = {
  fi: {
    invalid_request: 'Pyyntö ei kelpaa',
    invalid_json: 'Pyynnön runko ei ole kelvollista JSONia',
    unauthorized: 'Kirjaudu sisään',
    forbidden: 'Sinulla ei ole oikeutta tähän',
    email_not_verified: 'Sähköpostiosoitettasi ei ole vahvistettu; vahvista se ja kirjaudu uudelleen',
    not_found: 'Ei löytynyt',
    conflict: 'Tätä ei voi tehdä nyt',
    payload_too_large: 'Pyyntö on liian suuri',
    unsupported_media_type: 'Lähetä pyyntö JSON-muodossa (Content-Type: application/json)',
    service_unavailable: 'Palvelu ei juuri nyt vastaa; yritä hetken kuluttua uudelleen',
  },
  sv: {
    invalid_request: 'Begäran är inte giltig',
    invalid_json: 'Begärans innehåll är inte giltig JSON',
    unauthorized: 'Logga in',
    forbidden: 'Du har inte behörighet till detta',
    email_not_verified: 'Din e-postadress är inte bekräftad; bekräfta den och logga in igen',
    not_found: 'Hittades inte',
    conflict: 'Detta kan inte göras nu',
    payload_too_large: 'Begäran är för stor',
    unsupported_media_type: 'Skicka begäran som JSON (Content-Type: application/json)',
    service_unavailable: 'Tjänsten svarar inte just nu; försök igen om en stund',
  },
};

const statusFallback: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
};

/** An error answer's message in `language`: English as the error says it, fi/sv by code (or status). */
export function errorMessage(code: string, status: number, english: string, language: MessageLanguage): string {
  if (language === 'en') return english;
  const texts = errorMessages[language];
  return texts[code] ?? texts[statusFallback[status] ?? ''] ?? english;
}

/** Issues as given (code optional, English message) made into API.md's issues in `language`. */
export function localiseIssues(
  issues: readonly { path: string; message: string; code?: string; params?: Params }[],
  language: MessageLanguage,
): ErrorIssue[] {
  return issues.map(({ path, message, code = 'invalid', params }) => ({
    path,
    code,
    ...(params ? { params } : {}),
    message: language === 'en' ? message : issueMessage(code, params, language),
  }));
}
