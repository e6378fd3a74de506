import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers';

const dialogAnswers: { canceled: boolean; filePath?: string }[] = [];
const shown: unknown[] = [];
vi.mock('electron', () => ({
  app: { getPath: (name: string) => `/home/sam/${name === 'downloads' ? 'Downloads' : name}` },
  dialog: {
    showSaveDialog: vi.fn(async (...args: unknown[]) => {
      shown.push(args.at(-1));
      return dialogAnswers.shift() ?? { canceled: true };
    }),
  },
}));

const { electronFileSaver } = await import('../../../src-main/electron/file-saver');

describe("the desktop shell's save dialog", () => {
  const dir = tempDir('file-saver-');
  afterAll(() => dir.remove());

  it('starts in Downloads with the suggested name, writes the text where the handler chose, and writes nothing when cancelled', async () => {
    const saver = electronFileSaver(() => null);
    const target = join(dir.path, 'july.csv');
    dialogAnswers.push({ canceled: false, filePath: target });
    const filters = [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }];
    expect(await saver.saveText({ suggestedName: 'report.csv', text: '\uFEFFa,b\r\n1,2\r\n', filters })).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('\uFEFFa,b\r\n1,2\r\n');
    expect(shown[0]).toEqual({ defaultPath: '/home/sam/Downloads/report.csv', filters });
    dialogAnswers.push({ canceled: true });
    expect(await saver.saveText({ suggestedName: 'report.csv', text: 'x', filters })).toBeNull();
  });
});
