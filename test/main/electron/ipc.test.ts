import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { createDispatcher } from '../../../src-main/contract/dispatcher';
import { createLogger } from '../../../src-main/core/logger';
import { registerContractIpc, sendContractEvent } from '../../../src-main/electron/ipc';
import { APP_ENTRY_URL } from '../../../src-main/electron/security-policy';
import type { AgentState } from '../../../src-shared/contract/agent-state';
import type { RequestHandlers } from '../../../src-shared/contract/bridge';
import type { AppInfo } from '../../../src-shared/contract/desktop-contract';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../../src-shared/contract/names';
import type { CentralHealth } from '../../../src-shared/health';
import type { Result } from '../../../src-shared/result';
import { handlerSpies } from '../handler-spies';

type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Records what the code under test registers on `ipcMain`; nothing more. */
const fakeIpc = vi.hoisted(() => {
  const handlers = new Map<string, InvokeListener>();
  return {
    handlers,
    handle: vi.fn((channel: string, listener: InvokeListener) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => {
      handlers.delete(channel);
    }),
  };
});

vi.mock('electron', () => ({ ipcMain: { handle: fakeIpc.handle, removeHandler: fakeIpc.removeHandler } }));

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const agentState: AgentState = { state: 'available', reason: null, since: '2025-03-04T09:00:00.000Z' };
const health: CentralHealth = {
  state: 'online',
  url: 'http://127.0.0.1:4310',
  checkedAt: '2025-03-04T09:00:00.000Z',
  latencyMs: 4,
  serverVersion: '0.1.0',
  problem: null,
};
const appInfo: AppInfo = {
  name: 'Care Connect Desk',
  version: '0.1.0',
  databasePath: '/tmp/care-desk.sqlite',
  schemaVersion: 1,
  shell: 'electron',
  platform: 'linux',
  centralApiUrl: health.url,
  centralApiEmbedded: true,
};

function spyHandlers() {
  return {
    ...handlerSpies(),
    'app.getInfo': vi.fn<RequestHandlers['app.getInfo']>(() => appInfo),
    'central.getHealth': vi.fn<RequestHandlers['central.getHealth']>(() => health),
    'central.checkHealth': vi.fn<RequestHandlers['central.checkHealth']>(async () => health),
    'agent.getState': vi.fn<RequestHandlers['agent.getState']>(() => agentState),
    'agent.setState': vi.fn<RequestHandlers['agent.setState']>(async (input) => ({
      state: input.state,
      reason: input.state === 'break' ? input.reason : null,
      since: '2025-03-04T09:05:00.000Z',
    })),
  };
}

function fakeWebContents(destroyed = false) {
  return {
    isDestroyed: vi.fn(() => destroyed),
    send: vi.fn<(channel: string, ...args: unknown[]) => void>(),
  };
}

/** Registers the real IPC handler over the real dispatcher, with spy handlers behind it. */
function setUp() {
  const lines: LogLine[] = [];
  const logger = createLogger('test', { level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  const handlers = spyHandlers();
  const appWindow = fakeWebContents();
  const unregister = registerContractIpc({
    dispatch: createDispatcher(handlers as unknown as RequestHandlers, logger),
    isKnownWebContents: (contents) => contents === (appWindow as unknown as WebContents),
    logger,
  });
  const listener = fakeIpc.handlers.get(IPC_REQUEST_CHANNEL);
  if (!listener) throw new Error(`nothing was registered on ${IPC_REQUEST_CHANNEL}`);

  function invoke(
    name: unknown,
    input: unknown,
    from: { sender?: unknown; senderFrame?: { url: string; parent: unknown } | null } = {},
  ): Promise<Result<unknown>> {
    const event = {
      sender: from.sender ?? appWindow,
      senderFrame: from.senderFrame === undefined ? { url: APP_ENTRY_URL, parent: null } : from.senderFrame,
    } as unknown as IpcMainInvokeEvent;
    return listener!(event, name, input) as Promise<Result<unknown>>;
  }

  return { handlers, lines, appWindow, unregister, invoke };
}

function allSpies(handlers: ReturnType<typeof spyHandlers>) {
  return Object.values(handlers);
}

// vitest clears the spies' calls before each test (clearMocks); the registered handlers are ours to clear.
beforeEach(() => {
  fakeIpc.handlers.clear();
});

describe('registerContractIpc', () => {
  it('registers one handler on the request channel and removes it when unregistered', () => {
    const { unregister } = setUp();
    expect(fakeIpc.handle).toHaveBeenCalledOnce();
    expect(fakeIpc.handle.mock.calls[0]?.[0]).toBe(IPC_REQUEST_CHANNEL);

    unregister();

    expect(fakeIpc.removeHandler).toHaveBeenCalledExactlyOnceWith(IPC_REQUEST_CHANNEL);
    expect(fakeIpc.handlers.has(IPC_REQUEST_CHANNEL)).toBe(false);
  });

  it('hands a request from the app main frame of a known window to its handler and returns the value', async () => {
    const { handlers, invoke } = setUp();

    const result = await invoke('agent.setState', { state: 'break', reason: 'Lunch' });

    expect(result).toEqual({ ok: true, value: { state: 'break', reason: 'Lunch', since: '2025-03-04T09:05:00.000Z' } });
    expect(handlers['agent.setState']).toHaveBeenCalledExactlyOnceWith({ state: 'break', reason: 'Lunch' });
  });

  it('treats a request sent with no input as an empty input', async () => {
    const { handlers, invoke } = setUp();

    const result = await invoke('agent.getState', undefined);

    expect(result).toEqual({ ok: true, value: agentState });
    expect(handlers['agent.getState']).toHaveBeenCalledOnce();
  });

  describe('refuses an untrusted sender and never reaches a handler', () => {
    it.each([
      ['a main frame showing a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }, 'the sender is not the app origin'],
      ['a sub-frame of the app', { senderFrame: { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } } }, 'the sender is a sub-frame'],
      ['a web contents that is not an app window', { sender: fakeWebContents() }, 'the sender is not a window of this app'],
      ['a frame that has gone', { senderFrame: null }, 'the sending frame no longer exists'],
    ])('refuses %s with a forbidden result that says why', async (_label, from, reason) => {
      const { handlers, lines, invoke } = setUp();

      const result = await invoke('agent.setState', { state: 'available' }, from);

      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: `This request was refused because ${reason}.` } });
      for (const spy of allSpies(handlers)) expect(spy).not.toHaveBeenCalled();
      expect(lines).toContainEqual(expect.objectContaining({ component: 'ipc', reason, msg: 'request from an untrusted sender refused' }));
    });
  });

  it.each([
    ['a break with no reason', { state: 'break' }, 'reason'],
    ['a state that does not exist', { state: 'dancing' }, 'state'],
    ['an extra field', { state: 'available', note: 'x' }, '(input)'],
  ])('refuses %s as invalid input, says which field, and never reaches the handler', async (_label, input, path) => {
    const { handlers, invoke } = setUp();

    const result = await invoke('agent.setState', input);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(handlers['agent.setState']).not.toHaveBeenCalled();
  });

  it.each([
    ['a name outside the contract', 'agent.deleteEverything'],
    ['an inherited property name', 'constructor'],
    ['a name that is not a string', 42],
  ])('answers %s with unknown-request', async (_label, name) => {
    const { handlers, invoke } = setUp();

    const result = await invoke(name, {});

    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    for (const spy of allSpies(handlers)) expect(spy).not.toHaveBeenCalled();
  });

  it('answers a handler that throws with an internal error that does not reveal the error text', async () => {
    const { handlers, invoke } = setUp();
    handlers['central.checkHealth'].mockRejectedValueOnce(new Error('SQLITE_CORRUPT: /home/agent/secret/path.sqlite'));

    const result = await invoke('central.checkHealth', {});

    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('SQLITE_CORRUPT');
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});

describe('sendContractEvent', () => {
  it('sends the event name and payload on the event channel', () => {
    const contents = fakeWebContents();

    sendContractEvent(contents as unknown as WebContents, 'agent.stateChanged', agentState);

    expect(contents.send).toHaveBeenCalledExactlyOnceWith(IPC_EVENT_CHANNEL, 'agent.stateChanged', agentState);
  });

  it('skips a window whose web contents has been destroyed', () => {
    const contents = fakeWebContents(true);

    expect(() => sendContractEvent(contents as unknown as WebContents, 'central.healthChanged', health)).not.toThrow();

    expect(contents.send).not.toHaveBeenCalled();
  });
});
