import { z } from 'zod';

/** A report exported as CSV, as the desk hands it to the renderer: the central API's text unchanged, and a plain file name to save it as. */
export const reportCsvSchema = z.object({
  csv: z.string(),
  fileName: z.string().min(1).max(200).regex(/^[^\\/]+$/, { error: 'A file name, not a path.' }),
});
export type ReportCsv = z.infer<typeof reportCsvSchema>;

/** Saving a report's CSV: saved where the handler chose, cancelled, or (browser mode) handed back for the page to download. */
export const savedCsvSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('saved'), fileName: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
  z.object({ kind: z.literal('use-download') }).extend(reportCsvSchema.shape),
]);
export type SavedCsv = z.infer<typeof savedCsvSchema>;
