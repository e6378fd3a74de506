import { caseTypeLabels, channelLabels, channels } from '../domain/case-types';
import { categoryLabels, categories } from '../domain/categories';
import type { ReportSummary } from './report-schema';

/**
 * A report as CSV a spreadsheet opens: one `section,item,value` table, UTF-8 with a byte-order mark (so Excel reads
 * the pound sign and names right), CRLF line ends (RFC 4180). Figures are the summary's own, so totals match the
 * screen. A cell that a spreadsheet would run as a formula (starting = + - @, tab or carriage return) gets a leading
 * quote, so a provider named `=HYPERLINK(...)` is shown as text, never run.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, quoted when it holds a comma, quote or line break, and defused when it would start a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  // Numbers we write ourselves are figures, not formulas; a negative change stays a number a spreadsheet can sum.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const pounds = (pence: number | null) => (pence === null ? null : Math.round(pence) / 100);
const percent = (share: number | null) => (share === null ? null : Math.round(share * 10_000) / 100);
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

export function reportToCsv(summary: ReportSummary): string {
  const rows: (string | number | boolean | null)[][] = [['section', 'item', 'value']];
  const add = (section: string, item: string, value: string | number | boolean | null) => rows.push([section, item, value]);
  add('range', 'from', summary.range.from);
  add('range', 'to', summary.range.to);
  add('range', 'time zone', summary.range.timeZone);
  add('range', 'teams', summary.range.teamIds === null ? 'all' : summary.range.teamIds.join(' '));
  add('contacts', 'total', summary.contacts.total);
  for (const channel of channels) add('contacts by channel', channelLabels[channel], summary.contacts.byChannel[channel]);
  for (const [type, count] of Object.entries(summary.contacts.byType)) add('contacts by case type', type === 'unknown' ? 'Not known' : caseTypeLabels[type as keyof typeof caseTypeLabels], count);
  for (const category of categories) add('contacts by category', categoryLabels[category], summary.contacts.byCategory[category]);
  add('contacts by category', 'No category', summary.contacts.byCategory.none);
  for (const row of summary.contacts.byProvider) add('contacts by provider', row.providerId === null ? 'No provider' : (row.name ?? row.providerId), row.count);
  summary.contacts.byHour.forEach((count, hour) => add('contacts by hour', `${String(hour).padStart(2, '0')}:00`, count));
  const calls = summary.calls;
  add('calls', 'queued', calls.queued);
  add('calls', 'answered', calls.answered);
  add('calls', 'average speed of answer (s)', seconds(calls.averageSpeedOfAnswerMs));
  add('calls', `service level (% within ${calls.serviceLevel.targetSeconds} s)`, percent(calls.serviceLevel.share));
  add('calls', 'service level target (%)', percent(calls.serviceLevel.targetShare));
  add('calls', 'abandoned', calls.abandoned);
  add('calls', 'abandonment (%)', percent(calls.abandonmentRate));
  add('calls', `abandoned after ${summary.settings.abandonedAfterSeconds} s`, calls.abandonedAfterThreshold);
  add('calls', `abandonment after ${summary.settings.abandonedAfterSeconds} s (%)`, percent(calls.abandonmentRateAfterThreshold));
  add('calls', 'handled', calls.handled);
  add('calls', 'average handle time (s)', seconds(calls.averageHandleMs));
  add('calls', 'average talk (s)', seconds(calls.averageTalkMs));
  add('calls', 'average hold (s)', seconds(calls.averageHoldMs));
  add('calls', 'average wrap-up (s)', seconds(calls.averageWrapUpMs));
  add('calls', 'first-contact resolution (%)', percent(calls.firstContactResolution.rate));
  add('resolved', 'total', summary.resolved.total);
  for (const channel of channels) add('resolved by channel', channelLabels[channel], summary.resolved.byChannel[channel]);
  const cost = summary.cost;
  add('cost', 'paid handler hours', cost.paidHours);
  add('cost', 'handler cost (£)', pounds(cost.handlerCostPence));
  add('cost', 'platform cost (£)', pounds(cost.platformCostPence));
  add('cost', 'total cost (£)', pounds(cost.totalCostPence));
  add('cost', 'cost per resolved query (£)', pounds(cost.costPerResolvedPence));
  add('cost', 'previous period cost per resolved query (£)', pounds(cost.previous.costPerResolvedPence));
  add('cost', 'change against previous period (%)', percent(cost.change));
  for (const channel of channels) add('cost per resolved query by channel (£)', channelLabels[channel], pounds(cost.byChannel[channel].costPerResolvedPence));
  for (const day of cost.trend) add('cost per resolved query by day (£)', day.day, pounds(day.costPerResolvedPence));
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
