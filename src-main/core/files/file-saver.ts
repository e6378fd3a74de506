/**
 * Saving a file the handler asked for (a report's CSV) where they choose. The Electron shell provides it with the
 * system's save dialog; browser mode has none, and the page's own download serves there instead. In Electron the
 * page's download cannot be used: a clicked `<a download>` becomes a navigation (electron/electron#44375), which the
 * window's navigation guard refuses.
 */
export interface FileSaver {
  /** Asks where to save and writes the text there. Resolves with where it went, or null if the handler cancelled. */
  saveText(input: { suggestedName: string; text: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>;
}

export type SaveTextOutcome = { kind: 'saved'; fileName: string } | { kind: 'cancelled' } | { kind: 'use-download' };

/** A name a file system accepts: no folders, no characters Windows refuses, not empty. */
export function safeFileName(name: string): string {
  const printable = [...name].map((char) => (char.charCodeAt(0) < 32 ? '-' : char)).join('');
  const cleaned = printable.replace(/[\\/:*?"<>|]/g, '-').replace(/^\.+/, '').trim();
  return cleaned.slice(0, 120) || 'export.csv';
}

export async function saveTextWith(saver: FileSaver | undefined, input: { suggestedName: string; text: string; kind: 'csv' }): Promise<SaveTextOutcome> {
  if (!saver) return { kind: 'use-download' };
  const where = await saver.saveText({ suggestedName: safeFileName(input.suggestedName), text: input.text, filters: [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }] });
  if (where === null) return { kind: 'cancelled' };
  return { kind: 'saved', fileName: where.split(/[\\/]/).pop() ?? where };
}
