// Names as calendar files can carry them. An ATTENDEE's or ORGANIZER's CN is an RFC 5545 parameter
// value: quoted, it may hold ";", ":" and ",", but a DQUOTE can never be escaped there (3.1, 3.2),
// and control characters are not allowed at all. Common parsers also split parameters on ";" and
// ":" even inside quotes, so those are replaced too, and the name stays readable.

/** A person's name, safe as a CN parameter value: `"` becomes `'`, `;` and `:` become `,`, control characters spaces. */
export function calendarName(name: string): string {
  return (
    name
      .replace(/"/g, "'")
      .replace(/[;:]/g, ',')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || '-'
  );
}
