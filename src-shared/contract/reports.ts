import { z } from 'zod';

/** A report exported as CSV, as the desk hands it to the renderer: the central API's text unchanged, and a plain file name to save it as. */
export const reportCsvSchema = z.object({
  csv: z.string(),
  fileName: z.string().min(1).max(200).regex(/^[^\\/]+$/, { error: 'A file name, not a path.' }),
});
export type ReportCsv = z.infer<typeof reportCsvSchema>;
