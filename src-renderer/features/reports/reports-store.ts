import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ReportQuery, ReportSummary } from '../../../src-shared/reports/report-schema';
import type { Api } from '../../api';

/** What the last export came to, kept on screen until the next one. */
export interface ExportOutcome {
  tone: 'done' | 'refused';
  text: string;
}

export interface ReportsState {
  /** The range and team last asked for. */
  query: ReportQuery;
  status: 'loading' | 'ready' | 'error';
  /** The figures for `query`; while a new range loads, the last ones stay (marked busy); after a refusal, none. */
  summary: ReportSummary | null;
  /** Why the report could not be read, in the desk's or the API's words; kept until a report loads. */
  problem: string | null;
  exporting: boolean;
  exportOutcome: ExportOutcome | null;
  load(query: ReportQuery): Promise<void>;
  /** Reads the CSV of the current query and hands it to `save` (which offers it as a download). */
  exportCsv(save: (csv: string, fileName: string) => void): Promise<void>;
}

/**
 * The reports screen's state: one summary at a time from `reports.getSummary`. A slower answer for a range the
 * supervisor has already moved away from is dropped, so the screen always shows the range chosen last.
 */
export function createReportsStore(api: Api, initial: ReportQuery): StoreApi<ReportsState> {
  let latest = 0;
  return createStore<ReportsState>()((set, get) => ({
    query: initial,
    status: 'loading',
    summary: null,
    problem: null,
    exporting: false,
    exportOutcome: null,

    async load(query) {
      const ticket = ++latest;
      set({ query, status: 'loading' });
      const result = await api.request('reports.getSummary', query);
      if (ticket !== latest) return;
      if (result.ok) set({ status: 'ready', summary: result.value, problem: null });
      else set({ status: 'error', summary: null, problem: result.error.message });
    },

    async exportCsv(save) {
      const { query } = get();
      set({ exporting: true, exportOutcome: null });
      // The desk saves it where the handler chooses (Electron's save dialog); browser mode hands it back to download.
      const result = await api.request('reports.saveCsv', query);
      if (!result.ok) {
        set({ exporting: false, exportOutcome: { tone: 'refused', text: `Could not export the CSV: ${result.error.message}` } });
        return;
      }
      const outcome = result.value;
      if (outcome.kind === 'saved') {
        set({ exporting: false, exportOutcome: { tone: 'done', text: `Saved ${outcome.fileName}.` } });
        return;
      }
      if (outcome.kind === 'cancelled') {
        set({ exporting: false, exportOutcome: { tone: 'done', text: 'The CSV was not saved.' } });
        return;
      }
      try {
        save(outcome.csv, outcome.fileName);
        set({ exporting: false, exportOutcome: { tone: 'done', text: `Saved ${outcome.fileName} to your downloads.` } });
      } catch (error) {
        set({ exporting: false, exportOutcome: { tone: 'refused', text: `Could not save the CSV: ${error instanceof Error ? error.message : String(error)}` } });
      }
    },
  }));
}

export type ReportsStore = StoreApi<ReportsState>;

/**
 * Offers text as a file download from the page: a Blob, an object URL and a clicked `<a download>`. Works the same in
 * Electron and in a browser, needs no Content-Security-Policy source (a download is not a fetch, a frame or an
 * image), and the URL is let go shortly after, once the download has read it.
 */
export function saveTextFile(text: string, fileName: string, type = 'text/csv;charset=utf-8', doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
}
