import { describeQualityWarning, describeTwilioError } from './quality-warnings';
import { createEmitter, type AudioDeviceControl, type AudioDevices, type Softphone, type SoftphoneEvent } from './softphone';
import { portOk, portRefusal, type PortResult, type SoftphonePort } from './softphone-port';

/*
 * The slice of `@twilio/voice-sdk` this adapter uses, written as structural types: the SDK's own Device and Call
 * satisfy them (see twilio-device-loader.ts, which the typecheck holds to that), and a test's thin fake can too.
 */

// The SDK's emitters take listeners of any arguments; each call site below names the ones it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export interface TwilioCallLike {
  /** Parameters the TwiML `<Client><Parameter>` sent with the call; the routing engine puts our call id here. */
  readonly customParameters: Map<string, string>;
  accept(): void;
  reject(): void;
  disconnect(): void;
  mute(shouldMute?: boolean): void;
  isMuted(): boolean;
  sendDigits(digits: string): void;
  on(event: string, listener: Listener): unknown;
}

export interface TwilioOutputDevicesLike {
  get(): Set<MediaDeviceInfo>;
  set(deviceIdOrIds: string | string[]): Promise<void>;
}

export interface TwilioAudioLike {
  readonly availableInputDevices: Map<string, MediaDeviceInfo>;
  readonly availableOutputDevices: Map<string, MediaDeviceInfo>;
  readonly isOutputSelectionSupported: boolean;
  readonly inputDevice: MediaDeviceInfo | null;
  readonly speakerDevices: TwilioOutputDevicesLike;
  readonly ringtoneDevices: TwilioOutputDevicesLike;
  setInputDevice(deviceId: string): Promise<void>;
  on(event: string, listener: Listener): unknown;
}

export interface TwilioDeviceLike {
  readonly state: string;
  readonly audio: TwilioAudioLike | null;
  register(): Promise<void>;
  updateToken(token: string): void;
  destroy(): void;
  on(event: string, listener: Listener): unknown;
}

/** The Device options this adapter sets; a subset of the SDK's `Device.Options`. */
export interface TwilioDeviceOptions {
  /** Edges in order of preference: the SDK falls back to the next when one cannot be reached. */
  edge: string[];
  appName: string;
  /** A second caller must not ring over a live call; routing will not offer one anyway. */
  allowIncomingWhileBusy: boolean;
  /**
   * Off: in Electron a `beforeunload` prompt silently blocks the window from closing, and the main process already
   * asks before quitting mid-call.
   */
  closeProtection: boolean;
}

export type TwilioDeviceConstructor = new (token: string, options: TwilioDeviceOptions) => TwilioDeviceLike;

/** Edges for a UK service: Dublin first, then Frankfurt, then Ashburn as the last resort. */
export const UK_EDGES: readonly string[] = ['dublin', 'frankfurt', 'ashburn'];

/** The one custom parameter that ties a Twilio call leg to the routing engine's call. */
export const CALL_ID_PARAMETER = 'callId';

const DIGITS = /^[0-9*#]+$/;

export interface TwilioSoftphoneDeps {
  Device: TwilioDeviceConstructor;
  /** A fresh Voice access token for the signed-in handler, minted by the central API through the main process. */
  fetchToken: () => Promise<PortResult<string>>;
  port: SoftphonePort;
  edges?: readonly string[];
  /** Where visibility changes are heard; the window's document by default. */
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
}

/**
 * The softphone over Twilio's Voice SDK. The routing engine decides who rings; Twilio carries the audio. An offer
 * comes as a live event, and its audio leg as the Device's `incoming` with our call id as a custom parameter, in
 * either order: answering before the leg has arrived accepts it the moment it does.
 */
export function createTwilioSoftphone(deps: TwilioSoftphoneDeps): Softphone {
  const events = createEmitter<SoftphoneEvent>();
  const doc = deps.document ?? globalThis.document;
  const legs = new Map<string, TwilioCallLike>();
  /** Calls this handler answered (or dialled) whose audio leg has not arrived yet. */
  const acceptOnArrival = new Set<string>();
  let device: TwilioDeviceLike | null = null;
  let starting: Promise<PortResult> | null = null;

  function emitError(error: unknown) {
    events.emit({ type: 'error', message: describeTwilioError(error as { code?: number }) });
  }

  async function renewToken(): Promise<boolean> {
    const token = await deps.fetchToken();
    if (!token.ok) {
      events.emit({ type: 'error', message: `Could not renew the phone line sign-in: ${token.message}` });
      return false;
    }
    device?.updateToken(token.value);
    return true;
  }

  function onVisibilityChange() {
    if (doc.visibilityState !== 'visible' || !device) return;
    // Timers are throttled in a background window: the registration (and its token) may have lapsed unnoticed.
    if (device.state === 'registered' || device.state === 'registering' || device.state === 'destroyed') return;
    void renewToken().then((renewed) => (renewed ? register() : undefined));
  }

  async function register(): Promise<PortResult> {
    try {
      await device?.register();
      return portOk();
    } catch (error) {
      emitError(error);
      return portRefusal(describeTwilioError(error as { code?: number }));
    }
  }

  function track(call: TwilioCallLike) {
    const callId = call.customParameters.get(CALL_ID_PARAMETER);
    if (!callId) {
      call.reject();
      events.emit({ type: 'error', message: 'A call reached this desk without its routing details and was sent back. Tell your supervisor.' });
      return;
    }
    legs.set(callId, call);
    const ended = () => {
      if (legs.get(callId) !== call) return;
      legs.delete(callId);
      acceptOnArrival.delete(callId);
      events.emit({ type: 'audio-ended', callId });
    };
    call.on('disconnect', ended);
    call.on('cancel', ended);
    call.on('reject', ended);
    call.on('mute', (muted: boolean) => events.emit({ type: 'muted', callId, muted }));
    call.on('warning', (name: string) => events.emit({ type: 'warning', callId, warning: describeQualityWarning(name) }));
    call.on('warning-cleared', (name: string) => events.emit({ type: 'warning-cleared', callId, name }));
    call.on('error', (error: unknown) => emitError(error));
    events.emit({ type: 'incoming', callId });
    if (acceptOnArrival.delete(callId)) call.accept();
  }

  function legFor(callId: string): TwilioCallLike | PortResult<never> {
    return legs.get(callId) ?? portRefusal('The call’s audio is not connected to this desk.');
  }

  const audio: AudioDeviceControl = {
    current(): AudioDevices {
      const helper = device?.audio;
      if (!helper) return { inputs: [], outputs: [], outputSelectable: false, input: null, speaker: null, ringtone: null };
      const options = (devices: Map<string, MediaDeviceInfo>, fallback: string) =>
        [...devices.values()].map((d, index) => ({ id: d.deviceId, label: d.label || `${fallback} ${index + 1}` }));
      const first = (set: Set<MediaDeviceInfo>) => [...set][0]?.deviceId ?? null;
      return {
        inputs: options(helper.availableInputDevices, 'Microphone'),
        outputs: options(helper.availableOutputDevices, 'Speaker'),
        outputSelectable: helper.isOutputSelectionSupported,
        input: helper.inputDevice?.deviceId ?? null,
        speaker: first(helper.speakerDevices.get()),
        ringtone: first(helper.ringtoneDevices.get()),
      };
    },
    setInput: (id) => changeDevice((helper) => helper.setInputDevice(id), 'That microphone could not be used. Check it is plugged in, or choose another.'),
    setSpeaker: (id) => changeDevice((helper) => helper.speakerDevices.set(id), 'Call sound could not be sent to that device. Choose another.'),
    setRingtone: (id) => changeDevice((helper) => helper.ringtoneDevices.set(id), 'The ringtone could not be sent to that device. Choose another.'),
  };

  async function changeDevice(change: (helper: TwilioAudioLike) => Promise<void>, refusal: string): Promise<PortResult> {
    const helper = device?.audio;
    if (!helper) return portRefusal('The phone line is not connected yet, so audio devices cannot be chosen.');
    try {
      await change(helper);
    } catch {
      return portRefusal(refusal);
    }
    events.emit({ type: 'devices', devices: audio.current() });
    return portOk();
  }

  async function start(): Promise<PortResult> {
    if (device) return portOk();
    const token = await deps.fetchToken();
    if (!token.ok) return portRefusal(`The phone line could not connect: ${token.message}`);
    const created = new deps.Device(token.value, {
      edge: [...(deps.edges ?? UK_EDGES)],
      appName: 'care-connect-desk',
      allowIncomingWhileBusy: false,
      closeProtection: false,
    });
    device = created;
    for (const state of ['registering', 'registered', 'unregistered', 'destroyed'] as const) {
      created.on(state, () => events.emit({ type: 'registration', state }));
    }
    created.on('error', (error: { code?: number }) => {
      emitError(error);
      if (error?.code === 20104 || error?.code === 31205) void renewToken();
    });
    created.on('tokenWillExpire', () => void renewToken());
    created.on('incoming', (call: TwilioCallLike) => track(call));
    created.audio?.on('deviceChange', () => events.emit({ type: 'devices', devices: audio.current() }));
    doc.addEventListener('visibilitychange', onVisibilityChange);
    const registered = await register();
    events.emit({ type: 'devices', devices: audio.current() });
    return registered;
  }

  return {
    kind: 'twilio',
    ringsItself: true,
    audio,
    start() {
      starting ??= start().finally(() => (starting = null));
      return starting;
    },
    stop() {
      doc.removeEventListener('visibilitychange', onVisibilityChange);
      device?.destroy();
      device = null;
      legs.clear();
      acceptOnArrival.clear();
    },
    async answer(callId) {
      const result = await deps.port.answer(callId);
      if (!result.ok) return result;
      const leg = legs.get(callId);
      if (leg) leg.accept();
      else acceptOnArrival.add(callId);
      return result;
    },
    async decline(callId) {
      const result = await deps.port.decline(callId);
      if (!result.ok) return result;
      const leg = legs.get(callId);
      legs.delete(callId);
      leg?.reject();
      return result;
    },
    async setMuted(callId, muted) {
      const leg = legFor(callId);
      if ('ok' in leg) return leg;
      leg.mute(muted);
      return portOk();
    },
    async sendDigits(callId, digits) {
      if (!DIGITS.test(digits)) return portRefusal('Only the keys 0 to 9, * and # can be sent.');
      const leg = legFor(callId);
      if ('ok' in leg) return leg;
      leg.sendDigits(digits);
      return portOk();
    },
    async hangUp(callId) {
      const result = await deps.port.hangUp(callId);
      if (!result.ok) return result;
      const leg = legs.get(callId);
      legs.delete(callId);
      leg?.disconnect();
      return result;
    },
    async dial(number, caseId) {
      const result = await deps.port.dial(number, caseId);
      // The routing engine rings this desk with the new call's id; the leg is the handler's own, so it connects.
      if (result.ok) acceptOnArrival.add(result.value.callId);
      return result;
    },
    subscribe: events.subscribe,
  };
}
