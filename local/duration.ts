// ISO 8601 durations for POST /dev/clock (`PT48H`, `P14D`, `P1W`, `PT90M`, `P1DT2H30M`).

/**
 * Milliseconds in a duration, or undefined if it is not one we accept. Days are 24 h and weeks
 * 7 days; years and months are refused because their length depends on the date they start from.
 */
export function parseDuration(text: string): number | undefined {
  const match =
    /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(
      text.trim().toUpperCase(),
    );
  if (!match || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  if ([weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return undefined;
  const number = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  const ms =
    number(weeks) * 7 * 86_400_000 +
    number(days) * 86_400_000 +
    number(hours) * 3_600_000 +
    number(minutes) * 60_000 +
    number(seconds) * 1000;
  return Math.round(ms);
}
