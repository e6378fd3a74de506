import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver, type SaveState } from '../../../src-renderer/features/cases/autosave';
import { fail, ok, type Result } from '../../../src-shared/result';

function harness(respond: (field: string, value: unknown) => Result<string> | Promise<Result<string>> = (_f, v) => ok(String(v))) {
  const sent: { field: string; value: unknown; at: number }[] = [];
  const states: SaveState['kind'][] = [];
  const errors: Record<string, string> = {};
  const saved: { field: string; value: unknown }[] = [];
  const saver = createAutosaver<string>(
    {
      save: async (field, value) => {
        sent.push({ field, value, at: Date.now() });
        return respond(field, value);
      },
      onSaved: (field, value) => saved.push({ field, value }),
      onFieldError: (field, message) => {
        errors[field] = message;
      },
      onStateChange: (state) => states.push(state.kind),
    },
    { delayMs: 200 },
  );
  return { saver, sent, states, errors, saved };
}

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves within 200 ms of the first change even while the handler keeps typing', async () => {
    const h = harness();
    const start = Date.now();
    let text = '';
    for (let i = 0; i < 10; i++) {
      text += 'word ';
      h.saver.change('description', text);
      await vi.advanceTimersByTimeAsync(50);
    }
    // A debounce would still be waiting after 500 ms of typing; this has saved at 200 ms and 400 ms.
    expect(h.sent.map((s) => s.at - start)).toEqual([200, 400]);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.sent.at(-1)?.value).toBe(text);
    expect(h.states.at(-1)).toBe('saved');
  });

  it('sends one save per field at a time and then the newest value, never an older one after a newer', async () => {
    let release: (() => void) | null = null;
    const h = harness(
      (_f, v) =>
        new Promise((resolve) => {
          release = () => resolve(ok(String(v)));
        }),
    );
    h.saver.change('department', 'A');
    await vi.advanceTimersByTimeAsync(200);
    h.saver.change('department', 'B');
    h.saver.change('department', 'C');
    await vi.advanceTimersByTimeAsync(500);
    expect(h.sent.map((s) => s.value)).toEqual(['A']);
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent.map((s) => s.value)).toEqual(['A', 'C']);
    release!();
    await h.saver.idle();
    expect(h.saved.map((s) => s.value)).toEqual(['A', 'C']);
  });

  it('reports a refused value against its field and keeps saving the others', async () => {
    const h = harness((field, value) =>
      field === 'contactPhone' ? fail('invalid-input', 'refused', [{ path: 'contactPhone', message: 'Enter a UK phone number, like 07400 123456' }]) : ok(String(value)),
    );
    h.saver.change('contactPhone', '07700 900123');
    h.saver.change('department', 'Wards');
    await vi.advanceTimersByTimeAsync(200);
    await h.saver.idle();
    expect(h.errors).toEqual({ contactPhone: 'Enter a UK phone number, like 07400 123456' });
    expect(h.saved.map((s) => s.field)).toEqual(['department']);
    expect(h.states.at(-1)).toBe('failed');
  });

  it('keeps a value that could not be sent and tries again, without hammering the main process', async () => {
    let attempts = 0;
    const h = harness((_f, v) => (++attempts < 3 ? fail('unavailable', 'Lost the connection') : ok(String(v))));
    h.saver.change('description', 'kept');
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.saved).toEqual([{ field: 'description', value: 'kept' }]);
  });

  it('sends everything at once on flush', async () => {
    const h = harness();
    h.saver.change('a', 1);
    h.saver.change('b', 2);
    h.saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent.map((s) => s.field).sort()).toEqual(['a', 'b']);
  });
});
