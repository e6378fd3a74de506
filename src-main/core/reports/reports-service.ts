import type { ReportCsv } from '../../../src-shared/contract/reports';
import { reportSummarySchema, type ReportQuery, type ReportSummary } from '../../../src-shared/reports/report-schema';
import type { AuthorisedRequest } from '../api/authorised-request';
import { RefusedError } from '../errors';

/**
 * The supervisor's reports, read from the central API on the signed-in person's behalf (the API decides which teams
 * they may see, and refuses another team in its own words). Figures are the API's: the desk computes none, so the
 * screen and the exported CSV cannot disagree.
 */
export function createReportsService(request: AuthorisedRequest) {
  const queryString = (query: ReportQuery) => {
    const params = new URLSearchParams({ from: query.from, to: query.to });
    if (query.teamId !== undefined) params.set('teamId', query.teamId);
    return params.toString();
  };
  return {
    summary: (query: ReportQuery): Promise<ReportSummary> => request('GET', `/reports/summary?${queryString(query)}`, undefined, reportSummarySchema),
    async exportCsv(query: ReportQuery): Promise<ReportCsv> {
      const file = await request.text(`/reports/export.csv?${queryString(query)}`);
      if (!file.contentType?.startsWith('text/csv')) throw new RefusedError('unavailable', 'The central service sent something other than a CSV file. Try again.');
      return { csv: file.text, fileName: file.fileName ?? `care-desk-report-${query.from}-to-${query.to}.csv` };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
