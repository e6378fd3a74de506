import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('the lint rules that carry the design', () => {
  it('keeps Electron, Node built-ins and the DOM out of src-shared', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'src-shared/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src-shared/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { join } from 'path';\nexport const j = join;\n", 'src-shared/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds('export const w = window.innerWidth;\n', 'src-shared/x.ts')).toContain('no-restricted-globals');
    expect(await ruleIds('export const d = document.title;\n', 'src-shared/x.ts')).toContain('no-restricted-globals');
    expect(await ruleIds("export const ok = 'fine';\n", 'src-shared/x.ts')).toEqual([]);
  });

  it('allows ipcMain and ipcRenderer only in the two files that wrap them', async () => {
    const useIpcMain = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect(await ruleIds(useIpcMain, 'src-main/electron/main.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(useIpcMain, 'src-main/core/anything.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(useIpcMain, 'src-main/electron/ipc.ts')).toEqual([]);
    const useIpcRenderer = "import { ipcRenderer } from 'electron';\nvoid ipcRenderer.invoke('x');\n";
    expect(await ruleIds(useIpcRenderer, 'src-main/electron/preload.ts')).toEqual([]);
    expect(await ruleIds(useIpcRenderer, 'src-renderer/features/x.ts')).toContain('no-restricted-imports');
    const viaNamespace = "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);\n";
    expect(await ruleIds(viaNamespace, 'src-main/electron/main.ts')).toContain('no-restricted-syntax');
  });
});
