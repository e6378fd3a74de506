import { safeFileName, type FileSaver } from '../../../../src-main/core/files/file-saver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorisedRequest } from '../../../../src-main/core/api/authorised-request';
import { createDesktopCore, type DesktopCore } from '../../../../src-main/core/desktop-core';
import { createRequestHandlers } from '../../../../src-main/core/handlers';
import { createReportsService } from '../../../../src-main/core/reports/reports-service';
import { reportCsvSchema } from '../../../../src-shared/contract/reports';
import { reportSummarySchema } from '../../../../src-shared/reports/report-schema';
import { capturingLogger, tempDir } from '../../../helpers';
import { PASSWORD, startApi, type ApiHarness } from '../../../server/api-harness';
import { seedReportFixture } from '../../../server/reports/report-seed';
import { FROM, TO } from '../../../shared/reports/report-fixture';
import { testCoreDeps } from '../test-core';

/**
 * The desk's report requests over real HTTP on loopback, against the real central API holding the shared report
 * fixture (1-2 July 2025): what the desk hands the renderer must be exactly what the API serves, refusals included.
 */
describe('the desk’s reports service', () => {
  let api: ApiHarness;
  let supervisorToken = '';
  let adminToken = '';

  beforeAll(async () => {
    api = await startApi();
    supervisorToken = await api.tokenFor(api.users.supervisor.email);
    adminToken = await api.tokenFor(api.users.admin.email);
    await seedReportFixture(api, adminToken);
  });
  afterAll(() => api.close());

  const serviceFor = (token: string) => createReportsService(createAuthorisedRequest({ baseUrl: api.base, fetch, getAccessToken: async () => token }));

  /** A desk signed in as the supervisor for the enclosing describe (its own data folder); `extra` adds to its deps. */
  function supervisorDesk(extra: () => Partial<Parameters<typeof testCoreDeps>[0]> = () => ({})): () => DesktopCore {
    let core: DesktopCore;
    const dir = tempDir();
    beforeAll(async () => {
      core = createDesktopCore(
        testCoreDeps({ dataDir: dir.path, centralApiUrl: api.base, clock: api.clock, logger: capturingLogger('core').logger, autoSync: false, liveEvents: false, ...extra() }),
      );
      await core.signIn(api.users.supervisor.email, PASSWORD);
    });
    afterAll(() => {
      core.close();
      dir.remove();
    });
    return () => core;
  }

  it('reads the summary the API serves, for the supervisor’s own team', async () => {
    const summary = await serviceFor(supervisorToken).summary({ from: FROM, to: TO });
    const direct = reportSummarySchema.parse(await (await api.call('GET', `/reports/summary?from=${FROM}&to=${TO}`, { token: supervisorToken })).json());
    expect(summary).toEqual(direct);
    expect(summary.range.teamIds).toEqual([api.teams.a]);
    expect(summary.contacts.total).toBe(6);
    expect(summary.resolved.total).toBe(3);
  });

  it('passes a team on, and gives an administrator the team asked for', async () => {
    const teamB = await serviceFor(adminToken).summary({ from: FROM, to: TO, teamId: api.teams.b });
    expect(teamB.range.teamIds).toEqual([api.teams.b]);
    const whole = await serviceFor(adminToken).summary({ from: FROM, to: TO });
    expect(whole.range.teamIds).toBeNull();
    expect(whole.contacts.total).toBe(7);
  });

  it('exports the CSV exactly as the API sends it, byte-order mark and all, with its file name', async () => {
    const file = await serviceFor(supervisorToken).exportCsv({ from: FROM, to: TO });
    const direct = await (await api.call('GET', `/reports/export.csv?from=${FROM}&to=${TO}`, { token: supervisorToken })).arrayBuffer();
    expect(file.csv).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(direct));
    expect(file.csv.startsWith('\uFEFFsection,item,value\r\n')).toBe(true);
    expect(file.csv).toContain('\r\ncontacts,total,6\r\n');
    expect(file.fileName).toBe('care-desk-report-2025-07-01-to-2025-07-02.csv');
    expect(reportCsvSchema.safeParse(file).success).toBe(true);
  });

  it('refuses another team’s report in the API’s words, for the summary and the CSV alike', async () => {
    const service = serviceFor(supervisorToken);
    const expected = { code: 'forbidden', message: 'Not your team. A supervisor can see reports for their own teams only.' };
    await expect(service.summary({ from: FROM, to: TO, teamId: api.teams.b })).rejects.toMatchObject(expected);
    await expect(service.exportCsv({ from: FROM, to: TO, teamId: api.teams.b })).rejects.toMatchObject(expected);
  });

  it('refuses a handler, who sees no reports', async () => {
    const handler = serviceFor(await api.tokenFor(api.users.handler.email));
    await expect(handler.summary({ from: FROM, to: TO })).rejects.toMatchObject({ code: 'forbidden' });
  });

  describe('through the desk’s contract handlers, signed in as the supervisor', () => {
    const desk = supervisorDesk();

    it('answers reports.getSummary and reports.exportCsv with the API’s figures', async () => {
      const handlers = createRequestHandlers(desk());
      const summary = await handlers['reports.getSummary']({ from: FROM, to: TO });
      expect(summary.contacts.total).toBe(6);
      const file = await handlers['reports.exportCsv']({ from: FROM, to: TO });
      expect(file.csv).toContain(`\r\nresolved,total,${summary.resolved.total}\r\n`);
    });

    it('answers reports.saveCsv with the CSV for the page to download when the desk has no save dialog (browser mode)', async () => {
      const saved = await createRequestHandlers(desk())['reports.saveCsv']({ from: FROM, to: TO });
      expect(saved.kind).toBe('use-download');
      if (saved.kind === 'use-download') expect(saved.csv).toBe((await desk().reports.exportCsv({ from: FROM, to: TO })).csv);
    });
  });

  describe('saving the CSV through the desktop shell’s save dialog', () => {
    const asked: { suggestedName: string; text: string; filters: { name: string; extensions: string[] }[] }[] = [];
    let answer: string | null = '/home/sam/Downloads/july.csv';
    const fileSaver: FileSaver = {
      async saveText(input) {
        asked.push(input);
        return answer;
      },
    };
    const desk = supervisorDesk(() => ({ fileSaver }));

    it('hands the API’s CSV to the dialog under its suggested name and says where it went, or that it was cancelled', async () => {
      const handlers = createRequestHandlers(desk());
      expect(await handlers['reports.saveCsv']({ from: FROM, to: TO })).toEqual({ kind: 'saved', fileName: 'july.csv' });
      const expected = await desk().reports.exportCsv({ from: FROM, to: TO });
      expect(asked).toEqual([{ suggestedName: expected.fileName, text: expected.csv, filters: [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }] }]);
      answer = null;
      expect(await handlers['reports.saveCsv']({ from: FROM, to: TO })).toEqual({ kind: 'cancelled' });
    });

    it('never suggests a name a file system would take as a path', () => {
      expect(safeFileName('../../etc/passwd')).toBe('-..-etc-passwd');
      expect(safeFileName('report: July?.csv')).toBe('report- July-.csv');
      expect(safeFileName('   ')).toBe('export.csv');
    });
  });
});
