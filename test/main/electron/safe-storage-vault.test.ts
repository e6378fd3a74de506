import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers';

/** A thin fake of Electron's safeStorage: reversible, and visibly not plain text. */
const fakeSafeStorage = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString: (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('base64')}`),
  decryptString: (data: Buffer) => Buffer.from(data.toString().replace(/^enc:/, ''), 'base64').toString(),
}));
vi.mock('electron', () => ({ safeStorage: fakeSafeStorage }));

const { safeStorageVault } = await import('../../../src-main/electron/safe-storage-vault');

describe('the sign-in vault in Electron', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    fakeSafeStorage.available = true;
    fakeSafeStorage.backend = 'gnome_libsecret';
  });
  afterEach(() => dir.remove());

  it('keeps the session encrypted by the operating system, readable only by this user, across restarts', () => {
    const secret = JSON.stringify({ refreshToken: 'r-123', user: { id: 'u1' } });
    safeStorageVault(dir.path).save(secret);
    const file = join(dir.path, 'session.bin');
    expect(readFileSync(file).toString()).not.toContain('r-123');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = safeStorageVault(dir.path);
    expect(again.persistent).toBe(true);
    expect(again.load()).toBe(secret);
  });

  it('forgets the session on sign-out', () => {
    const vault = safeStorageVault(dir.path);
    vault.save('x');
    vault.save(null);
    expect(existsSync(join(dir.path, 'session.bin'))).toBe(false);
    expect(vault.load()).toBeNull();
  });

  it('writes nothing to disk where the operating system cannot encrypt', () => {
    fakeSafeStorage.available = false;
    const vault = safeStorageVault(dir.path);
    vault.save('secret');
    expect(vault.persistent).toBe(false);
    expect(existsSync(join(dir.path, 'session.bin'))).toBe(false);
  });

  it.runIf(process.platform === 'linux')('writes nothing to disk where Linux has no keyring and Electron would use its built-in key', () => {
    fakeSafeStorage.backend = 'basic_text';
    const vault = safeStorageVault(dir.path);
    vault.save('secret');
    expect(vault.persistent).toBe(false);
    expect(existsSync(join(dir.path, 'session.bin'))).toBe(false);
  });
});
