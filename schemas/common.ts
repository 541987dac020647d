// Building blocks shared by the API and event contracts.
import * as z from 'zod';

export const Language = z.enum(['fi', 'sv', 'en']);
export type Language = z.infer<typeof Language>;

/** ISO 8601 date-time with an explicit offset (`Z` or `+02:00`), as API.md requires. */
export const IsoDateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with offset, e.g. 2027-03-01T09:00:00+02:00',
});

export const Email = z.email({ message: 'must be a valid email address' }).max(254);

/** Official three-digit Finnish municipality code (e.g. 091 Helsinki). */
export const MunicipalityCode = z.string().regex(/^\d{3}$/, 'must be a three-digit municipality code, e.g. 091');

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, - or _');

// Text as people type it. Single-line fields (names, titles, themes) end up in email subjects, CSV
// cells and calendar parameters, so they refuse every control character (CR, LF, NUL, …); multi-line
// fields (notes, situation, messages) keep line breaks and tabs but nothing else of the kind. Both
// refuse lone surrogates, which no UTF-8 reader downstream could decode, and U+FFFD, which is what a
// body that was not UTF-8 turns into on its way in (nobody types it).
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const controlCharactersButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (value: string) => !loneSurrogate.test(value) && !value.includes('\uFFFD');

function checkedText(max: number, min: number, forbidden: RegExp, message: string, code: string) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine(wellFormed, { message: 'must be valid Unicode text', params: { code: 'not_unicode' } })
    .refine((value) => !forbidden.test(value), { message, params: { code } });
}

/** One line of text, trimmed: `min` to `max` characters, no control characters. */
export const singleLine = (max: number, min = 1) =>
  checkedText(max, min, controlCharacters, 'must be a single line without control characters', 'single_line');

/** Text that may span lines, trimmed: at most `max` characters; line breaks and tabs, no other control characters. */
export const multiLine = (max: number, min = 0) =>
  checkedText(
    max,
    min,
    controlCharactersButLineBreaks,
    'must not contain control characters other than line breaks and tabs',
    'control_characters',
  );

// Links people give us (meeting and webinar join links, recordings, feedback forms) end up as `href`
// in emails and as URL in calendar files. One type for all of them, so that what the API accepts the
// calendar takes: `https:` only (a `javascript:` or `data:` link never reaches an email), locally
// also `http://localhost`, at most 2,000 characters, stored as the URL parser writes it (host in
// lower case, IDN as punycode), and matching the calendar generator's own URL pattern.

/**
 * The `ics` package's URL pattern (ics/dist/schema urlRegex), copied so that contracts do not load
 * the calendar generator; test/security/links.test.ts checks that the two stay the same.
 */
export const calendarUrlPattern =
  /^(?:([a-z0-9+.-]+):\/\/)(?:\S+(?::\S*)?@)?(?:(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z\u00a1-\uffff0-9]-*)*[a-z\u00a1-\uffff0-9]+)(?:\.(?:[a-z\u00a1-\uffff0-9]-*)*[a-z\u00a1-\uffff0-9]+)*\.?)(?::\d{2,5})?(?:[/?#]\S*)?$/;

const linkMessage = 'must be an https:// link, e.g. https://meet.example.fi/abc';

function normalisedLink(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const local = url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  if (url.protocol !== 'https:' && !local) return undefined;
  const href = url.href;
  return href.length <= 2000 && calendarUrlPattern.test(href) ? href : undefined;
}

/** A link for emails and calendars; the stored value is the normalised one. */
export const Link = z
  .string()
  .max(2000, { message: 'must be at most 2000 characters' })
  .transform((value, ctx) => {
    const link = normalisedLink(value.trim());
    if (link === undefined) {
      ctx.addIssue({ code: 'custom', message: linkMessage, params: { code: 'invalid_link' } });
      return z.NEVER;
    }
    return link;
  })
  .meta({ format: 'uri', description: 'An https:// link (locally also http://localhost), at most 2000 characters' });
