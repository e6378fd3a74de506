/**
 * Unsaved field values, written to local storage on every keystroke. If the window is reloaded or the app is killed
 * before the autosave reaches the local cache, the next open of the case puts them back and saves them.
 */
export interface DraftStorage {
  read(caseId: string): Record<string, unknown>;
  write(caseId: string, field: string, value: unknown): void;
  /** Removes a draft only if it still holds `value`, so a newer keystroke is never dropped by an older save. */
  clear(caseId: string, field: string, value: unknown): void;
}

const PREFIX = 'care-desk.draft.';

export function createDraftStorage(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): DraftStorage {
  const key = (caseId: string) => `${PREFIX}${caseId}`;
  const read = (caseId: string): Record<string, unknown> => {
    try {
      const text = storage.getItem(key(caseId));
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const save = (caseId: string, drafts: Record<string, unknown>) => {
    if (Object.keys(drafts).length === 0) storage.removeItem(key(caseId));
    else storage.setItem(key(caseId), JSON.stringify(drafts));
  };
  return {
    read,
    write(caseId, field, value) {
      save(caseId, { ...read(caseId), [field]: value });
    },
    clear(caseId, field, value) {
      const drafts = read(caseId);
      if (field in drafts && JSON.stringify(drafts[field]) === JSON.stringify(value)) {
        delete drafts[field];
        save(caseId, drafts);
      }
    },
  };
}

/** For tests and for a window without storage: drafts kept in memory only. */
export function memoryDraftStorage(): DraftStorage {
  const map = new Map<string, string>();
  return createDraftStorage({
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  });
}
