import { vi } from 'vitest';
import type { SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import { blankCall, type Call, type HandlerStatus, type LiveEvent, type Offer } from '../../../src-shared/telephony/model';
import type { PortResult, SoftphonePort } from '../../../src-renderer/features/softphone/softphone-port';
import type { TwilioCallLike, TwilioDeviceLike, TwilioDeviceOptions } from '../../../src-renderer/features/softphone/twilio-softphone';

export const ME = 'handler-me';
export const T0 = Date.parse('2026-11-23T09:00:00.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export function makeCall(overrides: Partial<Call> = {}): Call {
  return blankCall({
    id: 'call-1',
    providerCallId: 'SIM-1',
    provider: 'simulator',
    direction: 'inbound',
    queueId: 'question',
    caseType: 'question',
    from: '+447400123456',
    state: 'offered',
    handlerId: ME,
    enteredQueueAt: at(-20_000),
    offeredAt: at(0),
    ...overrides,
  });
}

export function makeOffer(call: Partial<Call> = {}): Offer {
  return { call: makeCall(call), handlerId: ME, expiresAt: at(15_000) };
}

export function makeHandler(overrides: Partial<HandlerStatus> = {}): HandlerStatus {
  return {
    handlerId: ME,
    name: 'Alex Morgan',
    teamIds: ['team-1'],
    skills: ['question', 'feedback'],
    state: 'available',
    breakReason: null,
    since: at(-60_000),
    currentCallId: null,
    callsHandledToday: 0,
    missedOffersToday: 0,
    ...overrides,
  };
}

export const QUEUES_SNAPSHOT: LiveEvent = {
  type: 'snapshot',
  handlers: [makeHandler(), makeHandler({ handlerId: 'handler-sam', name: 'Sam Patel' }), makeHandler({ handlerId: 'handler-kit', name: 'Kit Jones', state: 'on-call' })],
  calls: [],
  queues: [
    { queueId: 'question', name: 'Questions', waiting: 0, longestWaitingSince: null, answeredToday: 0, abandonedToday: 0, answeredWithinTargetToday: 0, totalAnswerWaitMsToday: 0, handlersByState: {} as never },
    { queueId: 'concern', name: 'Concerns (urgent)', waiting: 0, longestWaitingSince: null, answeredToday: 0, abandonedToday: 0, answeredWithinTargetToday: 0, totalAnswerWaitMsToday: 0, handlersByState: {} as never },
  ],
  at: at(0),
};

type Command = Exclude<keyof SoftphonePort, 'subscribe' | 'watchLink'>;

/**
 * The routing engine as the softphone sees it: records every command, answers ok unless told to refuse one, and
 * lets the test play live events.
 */
export function fakePort() {
  const listeners = new Set<(event: LiveEvent) => void>();
  const linkListeners = new Set<(link: LiveConnectionState) => void>();
  const refusals = new Map<Command, string>();
  const calls: { name: Command; args: unknown[] }[] = [];
  let nextCallId = 100;
  function command<A extends unknown[], T = undefined>(name: Command, value?: () => T) {
    return async (...args: A): Promise<PortResult<T>> => {
      calls.push({ name, args });
      const refusal = refusals.get(name);
      if (refusal) return { ok: false, message: refusal };
      return { ok: true, value: (value ? value() : undefined) as T };
    };
  }
  const port: SoftphonePort = {
    setState: command<[SetAgentStateInput]>('setState'),
    answer: command('answer'),
    decline: command('decline'),
    hold: command('hold'),
    hangUp: command('hangUp'),
    sendDigits: command('sendDigits'),
    transfer: command('transfer'),
    completeTransfer: command('completeTransfer'),
    cancelTransfer: command('cancelTransfer'),
    wrapUp: command('wrapUp'),
    dial: command('dial', () => ({ callId: `call-${nextCallId++}` })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watchLink(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
  };
  return {
    port,
    calls,
    named: (name: Command) => calls.filter((c) => c.name === name).map((c) => c.args),
    refuse: (name: Command, message: string) => refusals.set(name, message),
    allow: (name: Command) => refusals.delete(name),
    emit: (event: LiveEvent) => [...listeners].forEach((listener) => listener(event)),
    /** The live link changes state, as the main process would report it. */
    link: (link: LiveConnectionState) => [...linkListeners].forEach((listener) => listener(link)),
    listenerCount: () => listeners.size,
  };
}

/** An EventEmitter-like base for the SDK fakes: `on` and `emit`, nothing more. */
class Emitter {
  private readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, listener: (...args: never[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener as (...args: unknown[]) => void]);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.handlers.get(event) ?? []) listener(...args);
  }
  listeners(event: string) {
    return this.handlers.get(event)?.length ?? 0;
  }
}

/** A thin fake of the Voice SDK's Call: the methods the adapter calls, and the events it listens to. */
export class FakeTwilioCall extends Emitter implements TwilioCallLike {
  readonly customParameters: Map<string, string>;
  muted = false;
  accept = vi.fn(() => this.emit('accept', this));
  reject = vi.fn(() => this.emit('reject'));
  disconnect = vi.fn(() => this.emit('disconnect', this));
  sendDigits = vi.fn();
  constructor(params: Record<string, string>) {
    super();
    this.customParameters = new Map(Object.entries(params));
  }
  mute(shouldMute = true) {
    this.muted = shouldMute;
    this.emit('mute', shouldMute, this);
  }
  isMuted() {
    return this.muted;
  }
}

function mediaDevice(deviceId: string, label: string, kind: MediaDeviceKind): MediaDeviceInfo {
  return { deviceId, label, kind, groupId: 'g', toJSON: () => ({}) } as MediaDeviceInfo;
}

class FakeOutputDevices {
  private current: Set<MediaDeviceInfo>;
  constructor(
    private readonly available: Map<string, MediaDeviceInfo>,
    initial: string,
  ) {
    this.current = new Set([available.get(initial)!]);
  }
  get() {
    return this.current;
  }
  set = vi.fn(async (ids: string | string[]) => {
    const list = Array.isArray(ids) ? ids : [ids];
    if (list.some((id) => !this.available.has(id))) throw new Error('Devices not found');
    this.current = new Set(list.map((id) => this.available.get(id)!));
  });
}

class FakeAudioHelper extends Emitter {
  availableInputDevices = new Map([
    ['default', mediaDevice('default', 'Default microphone', 'audioinput')],
    ['headset-mic', mediaDevice('headset-mic', 'Headset microphone', 'audioinput')],
  ]);
  availableOutputDevices = new Map([
    ['default', mediaDevice('default', 'Default speaker', 'audiooutput')],
    ['headset', mediaDevice('headset', 'Headset', 'audiooutput')],
    ['desk-speaker', mediaDevice('desk-speaker', 'Desk speaker', 'audiooutput')],
  ]);
  isOutputSelectionSupported = true;
  inputDevice: MediaDeviceInfo | null = null;
  speakerDevices = new FakeOutputDevices(this.availableOutputDevices, 'default');
  ringtoneDevices = new FakeOutputDevices(this.availableOutputDevices, 'default');
  setInputDevice = vi.fn(async (id: string) => {
    const device = this.availableInputDevices.get(id);
    if (!device) throw new Error('Device not found');
    this.inputDevice = device;
  });
}

/** A thin fake of the Voice SDK's Device, remembering every instance the adapter creates. */
export class FakeTwilioDevice extends Emitter implements TwilioDeviceLike {
  static instances: FakeTwilioDevice[] = [];
  /** The error the next Device's register() rejects with, as the SDK does (a TwilioError has a code). */
  static failRegisterWith: { code: number } | null = null;
  state = 'unregistered';
  audio = new FakeAudioHelper();
  tokens: string[];
  registerFails: { code: number } | null = null;
  register = vi.fn(async () => {
    this.state = 'registering';
    this.emit('registering');
    if (this.registerFails) {
      this.state = 'unregistered';
      throw this.registerFails;
    }
    this.state = 'registered';
    this.emit('registered');
  });
  updateToken = vi.fn((token: string) => this.tokens.push(token));
  destroy = vi.fn(() => {
    this.state = 'destroyed';
    this.emit('destroyed');
  });
  constructor(
    token: string,
    readonly options: TwilioDeviceOptions,
  ) {
    super();
    this.tokens = [token];
    this.registerFails = FakeTwilioDevice.failRegisterWith;
    FakeTwilioDevice.instances.push(this);
  }
  /** Plays Twilio's part: drops the registration (as when a background window's socket is closed). */
  dropRegistration() {
    this.state = 'unregistered';
    this.emit('unregistered');
  }
}
