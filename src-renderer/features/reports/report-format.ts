import { addDays, londonHourOf, MAX_REPORT_DAYS } from '../../../src-shared/reports/london-time';

/**
 * How the reports screen writes the API's figures: money from pence as pounds and pence, durations as m:ss, shares as
 * per cent. A missing figure (nothing to divide by) is a dash, with the reason said next to it where it matters.
 */

export const NO_FIGURE = '–';

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-GB');

/** 160050.4 pence → "£1,600.50"; rounded to the penny only here, as the CSV does. */
export function formatPence(pence: number | null): string {
  return pence === null ? NO_FIGURE : pounds.format(Math.round(pence) / 100);
}

/** 83_400 ms → "1:23"; past an hour "1:02:03". Rounded to the nearest second. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return NO_FIGURE;
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** 0.8765 → "87.7%"; whole numbers without a decimal ("95%"). */
export function formatShare(share: number | null): string {
  if (share === null) return NO_FIGURE;
  const tenths = Math.round(share * 1000) / 10;
  return `${tenths.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
}

export function formatCount(count: number): string {
  return whole.format(count);
}

/** A change against the previous period in words: "down 12.5%", "up 3%", "no change". */
export function formatChange(change: number | null): string | null {
  if (change === null) return null;
  const magnitude = formatShare(Math.abs(change));
  if (magnitude === '0%') return 'no change';
  return change < 0 ? `down ${magnitude}` : `up ${magnitude}`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "2025-07-01" → "1 Jul 2025" (a calendar day: no time zone shifts it). */
export function formatDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00.000Z`));
}

/** "2025-07-01" → "Tue 1 Jul", for chart labels. */
export function formatShortDay(day: string): string {
  return shortDayFormat.format(new Date(`${day}T00:00:00.000Z`));
}

export function formatRange(from: string, to: string): string {
  return from === to ? formatDay(from) : `${formatDay(from)} to ${formatDay(to)}`;
}

/** Today's London day for an instant. */
export function londonToday(now: number): string {
  return londonHourOf(now).day;
}

/** The default range: the last 7 London days, today included. */
export function lastDays(now: number, days = 7): { from: string; to: string } {
  const to = londonToday(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** Why a chosen range cannot be asked for, in words, or null when it can (the API checks the same). */
export function rangeProblem(from: string, to: string): string | null {
  if (from === '' || to === '') return 'Choose both the first and the last day.';
  if (from > to) return 'The first day must be on or before the last day.';
  if (Date.parse(to) - Date.parse(from) >= MAX_REPORT_DAYS * 86_400_000) return `A report covers at most ${MAX_REPORT_DAYS} days.`;
  return null;
}

export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}
