import { writeFile } from 'node:fs/promises';
import { app, dialog, type BrowserWindow } from 'electron';
import type { FileSaver } from '../core/files/file-saver';

/** The system's save dialog, opened over the app's window, starting in the Downloads folder. */
export function electronFileSaver(currentWindow: () => BrowserWindow | null): FileSaver {
  return {
    async saveText({ suggestedName, text, filters }) {
      const options = { defaultPath: `${app.getPath('downloads')}/${suggestedName}`, filters };
      const window = currentWindow();
      const chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (chosen.canceled || !chosen.filePath) return null;
      await writeFile(chosen.filePath, text, 'utf8');
      return chosen.filePath;
    },
  };
}
