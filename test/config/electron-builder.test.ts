import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const configText = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const config = parse(configText) as Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  devDependencies: Record<string, string>;
};

/** Reads a nested section of the parsed config, failing with its path when it is missing. */
function section(...path: string[]): Record<string, unknown> {
  let value: unknown = config;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !(key in value)) throw new Error(`electron-builder.yml has no ${path.join('.')}`);
    value = (value as Record<string, unknown>)[key];
  }
  return value as Record<string, unknown>;
}

function targetsOf(platform: string): unknown[] {
  const target = section(platform).target;
  const list = Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { target: unknown }).target : entry));
}

describe('electron-builder.yml', () => {
  it('names the app and its identifier', () => {
    expect(config.appId).toBe('org.careconnect.desk');
    expect(config.productName).toBe('Care Connect Desk');
  });

  it('writes installers to release/', () => {
    expect(section('directories').output).toBe('release');
  });

  it('packs only the built output and package.json, without source maps', () => {
    expect(config.files).toEqual(['dist/main/**/*', 'dist/renderer/**/*', 'package.json', '!**/*.map']);
  });

  it.each(['src-main', 'src-renderer', 'src-server', 'src-shared', 'test', 'bench', 'node_modules', 'scripts', 'docs'])(
    'does not pack %s sources',
    (folder) => {
      const included = (config.files as string[]).filter((pattern) => !pattern.startsWith('!'));
      for (const pattern of included) expect(pattern.split('/')[0]).not.toBe(folder);
      expect(included.some((pattern) => pattern.includes('src-') || pattern.startsWith('**'))).toBe(false);
    },
  );

  it('packs the app in an asar archive with better-sqlite3 native addons unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**/*.node']));
  });

  it('builds an AppImage and a deb for Linux, filed under Office, with a maintainer', () => {
    expect(targetsOf('linux')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(section('linux').category).toBe('Office');
    // The project has no contact address yet; a deb needs a named maintainer all the same.
    expect(section('linux').maintainer).toMatch(/\S/);
  });

  it('builds an assisted, per-user NSIS installer for Windows', () => {
    expect(targetsOf('win')).toEqual(['nsis']);
    expect(section('nsis').oneClick).toBe(false);
    expect(section('nsis').perMachine).toBe(false);
  });

  it('builds a dmg for macOS in the business category with the hardened runtime', () => {
    expect(targetsOf('mac')).toEqual(['dmg']);
    expect(section('mac').category).toBe('public.app-category.business');
    expect(section('mac').hardenedRuntime).toBe(true);
  });

  it.each([
    ['runAsNode', false],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['onlyLoadAppFromAsar', true],
    ['enableEmbeddedAsarIntegrityValidation', true],
    ['enableCookieEncryption', true],
    ['grantFileProtocolExtraPrivileges', false],
  ])('sets the %s fuse to %s', (fuse, expected) => {
    expect(section('electronFuses')[fuse]).toBe(expected);
  });

  it('sets no fuse beyond the listed ones', () => {
    expect(Object.keys(section('electronFuses')).sort()).toEqual(
      [
        'enableCookieEncryption',
        'enableEmbeddedAsarIntegrityValidation',
        'enableNodeCliInspectArguments',
        'enableNodeOptionsEnvironmentVariable',
        'grantFileProtocolExtraPrivileges',
        'onlyLoadAppFromAsar',
        'runAsNode',
      ].sort(),
    );
  });

  it('opens with a comment that explains why the fuses are set', () => {
    const firstLine = configText.split('\n')[0] ?? '';
    expect(firstLine).toMatch(/^#/);
    expect(firstLine.toLowerCase()).toContain('fuse');
  });
});

describe('package.json for packaging', () => {
  it('starts the app from the built output in dist/', () => {
    expect(packageJson.main).toMatch(/^(\.\/)?dist\//);
  });

  it('pins Electron to an exact version of major 45 or later', () => {
    const version = packageJson.devDependencies.electron;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(version?.split('.')[0])).toBeGreaterThanOrEqual(45);
  });
});
