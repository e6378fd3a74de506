import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { CredentialVault } from '../core/session/credential-vault';
import { memoryVault } from '../core/session/credential-vault';

/**
 * The sign-in kept across restarts, encrypted by the operating system (Keychain, DPAPI, libsecret) through
 * safeStorage. Where the OS offers no encryption (a Linux desktop without a keyring) nothing is written to disk:
 * the handler signs in at each start instead.
 */
export function safeStorageVault(dataDir: string): CredentialVault {
  if (!safeStorage.isEncryptionAvailable()) return memoryVault();
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
