import type { Result } from '../../../src-shared/result';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'failed'; message: string };

export interface AutosaveCallbacks<T> {
  /** Sends one field to the main process. */
  save(field: string, value: unknown): Promise<Result<T>>;
  onSaved(field: string, value: unknown, result: T): void;
  /** The value was refused (bad input) or could not be sent; the message belongs next to the field. */
  onFieldError(field: string, message: string): void;
  onStateChange(state: SaveState): void;
}

/**
 * Saves each changed field within `delayMs` of its first unsaved change, even while the handler keeps typing
 * (a trailing throttle, not a debounce, so a long burst of typing is still saved every `delayMs`). One save per
 * field is in flight at a time; a newer value waits and is sent as soon as it returns. Values are never merged
 * across fields, so one refused field never holds back the others.
 */
export function createAutosaver<T>(callbacks: AutosaveCallbacks<T>, options: { delayMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const latest = new Map<string, unknown>();
  const inFlight = new Set<string>();
  const failed = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const idleWaiters: (() => void)[] = [];

  function report(): void {
    if (failed.size > 0) {
      callbacks.onStateChange({ kind: 'failed', message: [...failed.values()][0]! });
    } else if (inFlight.size > 0) {
      callbacks.onStateChange({ kind: 'saving' });
    } else if (latest.size > 0) {
      callbacks.onStateChange({ kind: 'pending' });
    }
  }

  function schedule(): void {
    if (timer !== null || disposed) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, options.delayMs);
  }

  async function send(field: string): Promise<void> {
    const value = latest.get(field);
    latest.delete(field);
    inFlight.add(field);
    report();
    let result: Result<T>;
    try {
      result = await callbacks.save(field, value);
    } catch {
      result = { ok: false, error: { code: 'unavailable', message: 'Could not reach the desktop service. Your change is kept and will be saved.' } };
    }
    inFlight.delete(field);
    if (result.ok) {
      failed.delete(field);
      callbacks.onSaved(field, value, result.value);
    } else if (result.error.code === 'unavailable') {
      // Not a refusal of the value: keep it (unless a newer one arrived) and try again after the delay.
      failed.set(field, result.error.message);
      if (!latest.has(field)) latest.set(field, value);
      report();
      schedule();
      return;
    } else {
      failed.set(field, result.error.issues?.[0]?.message ?? result.error.message);
      callbacks.onFieldError(field, result.error.issues?.[0]?.message ?? result.error.message);
    }
    if (latest.has(field) && !disposed) {
      void send(field);
      return;
    }
    if (latest.size === 0 && inFlight.size === 0) {
      if (failed.size === 0) callbacks.onStateChange({ kind: 'saved', at: now() });
      else report();
      idleWaiters.splice(0).forEach((resolve) => resolve());
    } else {
      report();
    }
  }

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    for (const field of [...latest.keys()]) {
      if (!inFlight.has(field)) void send(field);
    }
  }

  return {
    /** Records a new value for a field; it is sent within `delayMs`. */
    change(field: string, value: unknown): void {
      latest.set(field, value);
      failed.delete(field);
      report();
      schedule();
    },
    /** Sends everything now (before closing the case, on page hide). */
    flush,
    /** Resolves once nothing is waiting or in flight. */
    idle(): Promise<void> {
      if (latest.size === 0 && inFlight.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    hasUnsaved: (): boolean => latest.size > 0 || inFlight.size > 0,
    dispose(): void {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}

export type Autosaver = ReturnType<typeof createAutosaver>;
