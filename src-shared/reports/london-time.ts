/**
 * Reports count by day and hour of day as people on the line live them: in Europe/London time, so a summer evening
 * call at 19:30 BST lands in hour 19, not 18. Stored times are ISO 8601 UTC. London's offset is always a whole
 * number of hours (GMT or BST), so every UTC hour falls in exactly one London hour: the stores group by UTC hour
 * (dialect-neutral text) and these functions place each UTC hour in its London day and hour.
 */

export const REPORT_TIME_ZONE = 'Europe/London';

/** The longest range a report covers, in days. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** A London calendar day (`2025-03-30`) and hour (0-23) for an instant. */
export interface LondonHour {
  day: string;
  hour: number;
}

export function londonHourOf(ms: number): LondonHour {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(ms))) parts[part.type] = part.value;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The UTC hour bucket a stored time falls in, as the stores group it: its first 13 characters (`2025-03-30T01`). */
export function utcHourKey(iso: string): string {
  return iso.slice(0, 13);
}

/** The London day and hour of a UTC hour bucket (`2025-03-30T01`). */
export function londonHourOfKey(key: string): LondonHour {
  return londonHourOf(Date.parse(`${key}:00:00.000Z`));
}

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(day: string): boolean {
  const match = DAY_SHAPE.exec(day);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === day;
}

/** The day after (or `n` days after) a calendar day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar day: 1 Monday .. 7 Sunday. */
export function isoWeekday(day: string): number {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The instant a London day starts (00:00 London), in ms since the epoch. */
export function londonMidnight(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  // London is UTC or UTC+1; its midnight is either at UTC midnight or an hour before.
  for (const offset of [0, HOUR_MS]) {
    const candidate = utcMidnight - offset;
    const at = londonHourOf(candidate);
    if (at.day === day && at.hour === 0) return candidate;
  }
  throw new Error(`No London midnight found for ${day}`);
}

/** A report's period: London days `from` to `to` inclusive, as the half-open UTC range [fromIso, toIso). */
export interface ReportRange {
  from: string;
  to: string;
  fromIso: string;
  toIso: string;
  days: string[];
}

export function reportRange(from: string, to: string): ReportRange {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return { from, to, fromIso: new Date(londonMidnight(from)).toISOString(), toIso: new Date(londonMidnight(addDays(to, 1))).toISOString(), days };
}

/** The period of the same length just before this one, for the headline's trend. */
export function previousRange(range: ReportRange): ReportRange {
  const length = range.days.length;
  return reportRange(addDays(range.from, -length), addDays(range.from, -1));
}

/** Whether a stored time falls in [fromIso, toIso); stored times and bounds are both ISO 8601 UTC text. */
export function inRange(iso: string | null, range: { fromIso: string; toIso: string }): boolean {
  return iso !== null && iso >= range.fromIso && iso < range.toIso;
}
