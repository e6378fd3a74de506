import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { CredentialVault } from '../core/session/credential-vault';
import { memoryVault } from '../core/session/credential-vault';

/**
 * Whether safeStorage encrypts with a key the operating system keeps. On a Linux desktop without a keyring Electron
 * says encryption is available but uses its `basic_text` store, whose key is the same hard-coded one in every copy
 * of Chromium: a file written with it is as good as plain text.
 */
function osEncryptionAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/**
 * The sign-in kept across restarts, encrypted by the operating system (Keychain, DPAPI, libsecret, KWallet) through
 * safeStorage. Where the OS offers no such encryption (a Linux desktop without a keyring) nothing is written to
 * disk: the handler signs in at each start instead.
 */
export function safeStorageVault(dataDir: string): CredentialVault {
  if (!osEncryptionAvailable()) return memoryVault();
  const file = join(dataDir, 'session.bin');
  return {
    persistent: true,
    load() {
      try {
        return safeStorage.decryptString(readFileSync(file));
      } catch {
        return null;
      }
    },
    save(secret) {
      if (secret === null) rmSync(file, { force: true });
      else writeFileSync(file, safeStorage.encryptString(secret), { mode: 0o600 });
    },
  };
}
