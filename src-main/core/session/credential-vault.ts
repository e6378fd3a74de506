/**
 * Where the desktop keeps what lets it stay signed in (the refresh token and who it belongs to). In Electron it is
 * encrypted with the operating system's keychain (safeStorage); elsewhere it is kept in memory only, so browser
 * mode asks for the password at each start. The renderer never sees it.
 */
export interface CredentialVault {
  load(): string | null;
  save(secret: string | null): void;
  /** True when what is saved survives a restart, encrypted. */
  readonly persistent: boolean;
}

export function memoryVault(): CredentialVault {
  let secret: string | null = null;
  return {
    persistent: false,
    load: () => secret,
    save(next) {
      secret = next;
    },
  };
}
