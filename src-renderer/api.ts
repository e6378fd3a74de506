import type { CareDeskBridge } from '../src-shared/contract/bridge';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../src-shared/contract/desktop-contract';
import { WS_PATH, WS_SECRET_PARAM, type WsServerMessage } from '../src-shared/contract/ws-protocol';
import { fail, type Result } from '../src-shared/result';

/**
 * The renderer's only way to the main process. In Electron it uses the preload's `window.careDesk`; in browser mode
 * the same contract over a WebSocket. Callers cannot tell which, and never see IPC.
 */
export interface Api {
  request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Which transport carries the contract; shown on the home screen for support. */
  transport: 'ipc' | 'websocket' | 'none';
}

declare global {
  interface Window {
    careDesk?: CareDeskBridge;
  }
}

export function createIpcApi(bridge: CareDeskBridge): Api {
  return {
    transport: 'ipc',
    request: (name, input) => bridge.requests[name](input),
    on: (name, listener) => bridge.events[name](listener),
  };
}

type Pending = (result: Result<unknown>) => void;

/**
 * The browser-mode transport. Requests sent while the socket is (re)connecting wait for it; if it drops, pending
 * requests resolve with an `unavailable` error and the socket reconnects with backoff.
 */
export function createWebSocketApi(url: string, WebSocketImpl: typeof WebSocket = WebSocket): Api {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let attempt = 0;

  function connect(): Promise<WebSocket> {
    opened ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocketImpl(url);
      ws.onopen = () => {
        attempt = 0;
        socket = ws;
        resolve(ws);
      };
      ws.onmessage = (event: MessageEvent) => receive(String(event.data));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle(fail('unavailable', 'Lost the connection to the desktop service. Trying again…'));
        }
        attempt += 1;
        const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
        setTimeout(() => {
          void connect().then(resolve);
        }, delay);
      };
    });
    return opened;
  }

  function receive(text: string): void {
    let message: WsServerMessage;
    try {
      message = JSON.parse(text) as WsServerMessage;
    } catch {
      return;
    }
    if (message.type === 'response') {
      if (message.id === null) return;
      const settle = pending.get(message.id);
      pending.delete(message.id);
      settle?.(message.result);
    } else {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
    }
  }

  void connect();

  return {
    transport: 'websocket',
    async request(name, input) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending);
        ws.send(JSON.stringify({ type: 'request', id, name, input }));
      });
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}

/** When neither transport exists (the page opened without the browser-mode key), every request says why. */
export function createUnavailableApi(message: string): Api {
  return {
    transport: 'none',
    request: async () => fail('unavailable', message),
    on: () => () => undefined,
  };
}

const SECRET_STORAGE_KEY = 'care-desk.browser-mode-secret';

/**
 * Picks the transport for this page. In browser mode the per-run secret arrives in the URL fragment; it is kept in
 * session storage (so a reload still works) and removed from the address bar.
 */
export function createApi(win: Window = window): Api {
  if (win.careDesk) return createIpcApi(win.careDesk);
  const fromHash = new URLSearchParams(win.location.hash.slice(1)).get(WS_SECRET_PARAM);
  if (fromHash) {
    win.sessionStorage.setItem(SECRET_STORAGE_KEY, fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const secret = fromHash ?? win.sessionStorage.getItem(SECRET_STORAGE_KEY);
  if (!secret) {
    return createUnavailableApi('This page needs the address printed by "npm run start:browser", which includes a one-time key.');
  }
  const wsUrl = `ws://${win.location.host}${WS_PATH}?${WS_SECRET_PARAM}=${encodeURIComponent(secret)}`;
  return createWebSocketApi(wsUrl);
}
