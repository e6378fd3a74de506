import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src-renderer/api';
import type { CareDeskBridge } from '../../src-shared/contract/bridge';

function fakeWindow(hash: string, storage = new Map<string, string>()) {
  const replaceState = vi.fn();
  return {
    win: {
      location: { hash, host: '127.0.0.1:5555', pathname: '/', search: '' },
      sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      history: { replaceState },
    } as unknown as Window,
    replaceState,
    storage,
  };
}

describe('createApi', () => {
  it('uses the preload bridge in Electron', async () => {
    const getInfo = vi.fn(async () => ({ ok: true as const, value: 'info' }));
    const bridge = { requests: { 'app.getInfo': getInfo }, events: {} } as unknown as CareDeskBridge;
    const api = createApi({ careDesk: bridge } as unknown as Window);
    expect(api.transport).toBe('ipc');
    expect(await api.request('app.getInfo', {})).toEqual({ ok: true, value: 'info' });
  });

  it('in browser mode takes the key from the address, keeps it for reloads and removes it from the address bar', () => {
    const WebSocketSpy = vi.fn(function (this: { url: string }, url: string) {
      this.url = url;
    });
    vi.stubGlobal('WebSocket', WebSocketSpy);
    const { win, replaceState, storage } = fakeWindow('#secret=abc123');
    const api = createApi(win);
    expect(api.transport).toBe('websocket');
    expect(WebSocketSpy).toHaveBeenCalledWith('ws://127.0.0.1:5555/contract?secret=abc123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(storage.get('care-desk.browser-mode-secret')).toBe('abc123');
    vi.unstubAllGlobals();
  });

  it('without a bridge or a key, answers every request with what to do', async () => {
    const api = createApi(fakeWindow('').win);
    expect(api.transport).toBe('none');
    const result = await api.request('app.getInfo', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    if (!result.ok) expect(result.error.message).toContain('npm run start:browser');
  });
});
