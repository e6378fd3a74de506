import type { CareDeskBridge } from '../../../src-shared/contract/bridge';
import { eventNames, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, requestNames } from '../../../src-shared/contract/names';

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** Thin stand-ins for the two Electron objects the preload uses. */
const fakes = vi.hoisted(() => {
  const listeners = new Map<string, RendererListener[]>();
  /** Kept outside the spy's own record, which vitest clears before each test. */
  const exposed: [name: string, api: unknown][] = [];
  return {
    listeners,
    exposed,
    exposeInMainWorld: vi.fn((name: string, api: unknown) => {
      exposed.push([name, api]);
    }),
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    on: vi.fn((channel: string, listener: RendererListener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    }),
    removeListener: vi.fn((channel: string, listener: RendererListener) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((registered) => registered !== listener),
      );
    }),
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: fakes.exposeInMainWorld },
  ipcRenderer: { invoke: fakes.invoke, on: fakes.on, removeListener: fakes.removeListener },
}));

/** What the main process would do: deliver a message on a channel, with Electron's event object first. */
function emitFromMain(channel: string, ...args: unknown[]): void {
  const electronEvent = { sender: { id: 1 }, senderId: 0, ports: [] };
  for (const listener of [...(fakes.listeners.get(channel) ?? [])]) listener(electronEvent, ...args);
}

let bridge: CareDeskBridge;

beforeAll(async () => {
  await import('../../../src-main/electron/preload');
  bridge = fakes.exposed.find(([name]) => name === 'careDesk')?.[1] as CareDeskBridge;
});

beforeEach(() => {
  fakes.invoke.mockReset();
  fakes.listeners.clear();
});

describe('the preload bridge', () => {
  it('exposes one object, under careDesk, when the preload loads', () => {
    expect(fakes.exposed.map(([name]) => name)).toEqual(['careDesk']);
    expect(bridge).toEqual({ requests: expect.any(Object), events: expect.any(Object) });
  });

  it('offers exactly the requests the contract declares', () => {
    expect(Object.keys(bridge.requests).sort()).toEqual([...requestNames].sort());
    for (const name of requestNames) expect(typeof bridge.requests[name]).toBe('function');
  });

  it('offers exactly the events the contract declares', () => {
    expect(Object.keys(bridge.events).sort()).toEqual([...eventNames].sort());
    for (const name of eventNames) expect(typeof bridge.events[name]).toBe('function');
  });

  it('gives the page no generic way to reach IPC', () => {
    expect(Object.keys(bridge).sort()).toEqual(['events', 'requests']);
    for (const member of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'postMessage']) {
      expect(bridge).not.toHaveProperty(member);
      expect(bridge.requests).not.toHaveProperty(member);
      expect(bridge.events).not.toHaveProperty(member);
    }
  });

  it('sends a named request on the request channel with its name and input, and returns the answer', async () => {
    const answer = { ok: true, value: { state: 'available', reason: null, since: '2025-03-04T09:00:00.000Z' } };
    fakes.invoke.mockResolvedValueOnce(answer);

    const result = await bridge.requests['agent.setState']({ state: 'available' });

    expect(fakes.invoke).toHaveBeenCalledExactlyOnceWith(IPC_REQUEST_CHANNEL, 'agent.setState', { state: 'available' });
    expect(result).toBe(answer);
  });

  it('hands an event listener only the payload, never the Electron event object', () => {
    const listener = vi.fn();
    bridge.events['agent.stateChanged'](listener);
    const payload = { state: 'break', reason: 'Lunch', since: '2025-03-04T09:00:00.000Z' };

    emitFromMain(IPC_EVENT_CHANNEL, 'agent.stateChanged', payload);

    expect(listener).toHaveBeenCalledExactlyOnceWith(payload);
  });

  it('calls an event listener only for its own event name', () => {
    const listener = vi.fn();
    bridge.events['agent.stateChanged'](listener);

    emitFromMain(IPC_EVENT_CHANNEL, 'central.healthChanged', { state: 'offline' });
    emitFromMain(IPC_EVENT_CHANNEL, 'agent.somethingElse', {});
    emitFromMain('another-channel', 'agent.stateChanged', {});

    expect(listener).not.toHaveBeenCalled();
  });

  it('stops calling an event listener after it unsubscribes', () => {
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bridge.events['central.healthChanged'](listener);
    bridge.events['central.healthChanged'](other);

    emitFromMain(IPC_EVENT_CHANNEL, 'central.healthChanged', { state: 'online' });
    unsubscribe();
    emitFromMain(IPC_EVENT_CHANNEL, 'central.healthChanged', { state: 'offline' });

    expect(listener).toHaveBeenCalledExactlyOnceWith({ state: 'online' });
    expect(other).toHaveBeenCalledTimes(2);
    expect(fakes.listeners.get(IPC_EVENT_CHANNEL)).toHaveLength(1);
  });
});
