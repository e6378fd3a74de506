import type { Api } from '../../../src-renderer/api';
import type { ReportCsv } from '../../../src-shared/contract/reports';
import { previousRange, reportRange } from '../../../src-shared/reports/london-time';
import { aggregateRecords, summariseReport } from '../../../src-shared/reports/metrics';
import { reportToCsv } from '../../../src-shared/reports/report-csv';
import type { ReportQuery, ReportSummary } from '../../../src-shared/reports/report-schema';
import { fail, ok, type Result } from '../../../src-shared/result';
import { calls, cases, providerNames, settings } from '../../shared/reports/report-fixture';
import { fakeApi } from '../fake-api';

/** The shared report fixture's figures for a query, as the central API would compute them (two handlers paid). */
export function fixtureSummary(query: ReportQuery): ReportSummary {
  const range = reportRange(query.from, query.to);
  const previous = previousRange(range);
  const teamIds = query.teamId === undefined ? null : [query.teamId];
  const inTeams = <T extends { teamId: string | null }>(rows: readonly T[]) => (teamIds === null ? rows : rows.filter((row) => row.teamId !== null && teamIds.includes(row.teamId)));
  const aggregates = aggregateRecords(inTeams(cases), inTeams(calls), range, previous, settings);
  return summariseReport(aggregates, { range: { ...range }, previous, teamIds, settings, handlerCount: 2, providerNames });
}

type Answer<T> = Result<T> | Promise<Result<T>>;

/**
 * The desk's contract for the reports screen: `reports.getSummary` answers from the fixture (or from `summary`, which a
 * test may swap to fail or to hold an answer back), `reports.exportCsv` with the fixture's CSV under the API's name.
 */
export function fakeReportsApi() {
  const base = fakeApi();
  const handlers = {
    summary: (query: ReportQuery): Answer<ReportSummary> => ok(fixtureSummary(query)),
    exportCsv: (query: ReportQuery): Answer<ReportCsv> => ok({ csv: reportToCsv(fixtureSummary(query)), fileName: `care-desk-report-${query.from}-to-${query.to}.csv` }),
  };
  const summaryQueries: ReportQuery[] = [];
  /** How the desk saves: browser mode hands the CSV back to download; Electron saves it through its dialog, or the handler cancels. */
  const saving = { mode: 'download' as 'download' | 'saved' | 'cancelled' };
  const api: Api = {
    ...base.api,
    async request(name, input) {
      if (name === 'reports.getSummary') {
        summaryQueries.push(input as ReportQuery);
        return (await handlers.summary(input as ReportQuery)) as never;
      }
      if (name === 'reports.exportCsv') return (await handlers.exportCsv(input as ReportQuery)) as never;
      if (name === 'reports.saveCsv') {
        const csv = await handlers.exportCsv(input as ReportQuery);
        if (!csv.ok) return csv as never;
        if (saving.mode === 'saved') return ok({ kind: 'saved', fileName: csv.value.fileName }) as never;
        if (saving.mode === 'cancelled') return ok({ kind: 'cancelled' }) as never;
        return ok({ kind: 'use-download', ...csv.value }) as never;
      }
      return base.api.request(name, input);
    },
  };
  return { api, handlers, summaryQueries, saving, refuse: (message: string) => fail('unavailable', message) };
}
