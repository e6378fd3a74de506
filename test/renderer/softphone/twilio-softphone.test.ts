import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SoftphoneEvent } from '../../../src-renderer/features/softphone/softphone';
import { createSoftphoneStore } from '../../../src-renderer/features/softphone/softphone-store';
import { createTwilioSoftphone, UK_EDGES } from '../../../src-renderer/features/softphone/twilio-softphone';
import { fakePort, FakeTwilioCall, FakeTwilioDevice, makeOffer, ME } from './fakes';

let visibility: DocumentVisibilityState = 'visible';

function setVisibility(next: DocumentVisibilityState) {
  visibility = next;
  document.dispatchEvent(new Event('visibilitychange'));
}

function setup() {
  const fake = fakePort();
  let issued = 0;
  const fetchToken = vi.fn(async () => ({ ok: true as const, value: `token-${++issued}` }));
  const phone = createTwilioSoftphone({ Device: FakeTwilioDevice, fetchToken, port: fake.port });
  const events: SoftphoneEvent[] = [];
  phone.subscribe((event) => events.push(event));
  const device = () => {
    const last = FakeTwilioDevice.instances.at(-1);
    if (!last) throw new Error('no Device was created');
    return last;
  };
  return { fake, phone, events, device, fetchToken };
}

beforeEach(() => {
  FakeTwilioDevice.instances = [];
  FakeTwilioDevice.failRegisterWith = null;
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});

afterEach(() => {
  Reflect.deleteProperty(document, 'visibilityState');
});

describe('the Twilio softphone adapter', () => {
  it('creates the Device with a fetched token and UK edges in fallback order, and registers it', async () => {
    const { phone, device, events } = setup();
    expect(await phone.start()).toEqual({ ok: true, value: undefined });
    expect(device().tokens).toEqual(['token-1']);
    expect(device().options.edge).toEqual(['dublin', 'frankfurt', 'ashburn']);
    expect(UK_EDGES[0]).toBe('dublin');
    expect(device().register).toHaveBeenCalledTimes(1);
    expect(events).toContainEqual({ type: 'registration', state: 'registered' });
  });

  it('says in words why it could not register, without throwing', async () => {
    FakeTwilioDevice.failRegisterWith = { code: 31401 };
    const { phone, events } = setup();
    const result = await phone.start();
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/may not use your microphone/) });
    expect(events.some((e) => e.type === 'error' && /microphone/.test(e.message))).toBe(true);
  });

  it('correlates an incoming call to the routing offer by its callId parameter, and accepts it on answer', async () => {
    const { phone, fake, device, events } = setup();
    await phone.start();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    expect(events).toContainEqual({ type: 'incoming', callId: 'call-1' });
    expect(await phone.answer('call-1')).toMatchObject({ ok: true });
    expect(fake.named('answer')).toEqual([['call-1']]);
    expect(leg.accept).toHaveBeenCalledTimes(1);
  });

  it('accepts the audio the moment it arrives when the handler answered first', async () => {
    const { phone, device } = setup();
    await phone.start();
    await phone.answer('call-1');
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    expect(leg.accept).toHaveBeenCalledTimes(1);
  });

  it('does not touch the audio when routing refuses the answer', async () => {
    const { phone, fake, device } = setup();
    await phone.start();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    fake.refuse('answer', 'That call has already been answered by a colleague.');
    expect(await phone.answer('call-1')).toEqual({ ok: false, message: 'That call has already been answered by a colleague.' });
    expect(leg.accept).not.toHaveBeenCalled();
  });

  it('connects the handler’s own outbound call when routing rings this desk with it', async () => {
    const { phone, fake, device } = setup();
    await phone.start();
    const dialled = await phone.dial('+447400123456', 'case-42');
    expect(dialled).toEqual({ ok: true, value: { callId: 'call-100' } });
    expect(fake.named('dial')).toEqual([['+447400123456', 'case-42']]);
    const leg = new FakeTwilioCall({ callId: 'call-100' });
    device().emit('incoming', leg);
    expect(leg.accept).toHaveBeenCalledTimes(1);
    const someoneElse = new FakeTwilioCall({ callId: 'call-5' });
    device().emit('incoming', someoneElse);
    expect(someoneElse.accept).not.toHaveBeenCalled();
  });

  it('turns away a call that carries no routing id, and says so', async () => {
    const { phone, device, events } = setup();
    await phone.start();
    const stray = new FakeTwilioCall({});
    device().emit('incoming', stray);
    expect(stray.reject).toHaveBeenCalled();
    expect(events.some((e) => e.type === 'error' && /routing details/.test(e.message))).toBe(true);
  });

  it('declines: tells routing, then rejects the audio', async () => {
    const { phone, fake, device } = setup();
    await phone.start();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    await phone.decline('call-1');
    expect(fake.named('decline')).toEqual([['call-1']]);
    expect(leg.reject).toHaveBeenCalledTimes(1);
  });

  it('mutes, sends digits and disconnects on the live call', async () => {
    const { phone, fake, device, events } = setup();
    await phone.start();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    await phone.answer('call-1');
    await phone.setMuted('call-1', true);
    expect(leg.isMuted()).toBe(true);
    expect(events).toContainEqual({ type: 'muted', callId: 'call-1', muted: true });
    await phone.sendDigits('call-1', '1#');
    expect(leg.sendDigits).toHaveBeenCalledWith('1#');
    expect(await phone.sendDigits('call-1', '12a')).toMatchObject({ ok: false });
    expect(leg.sendDigits).toHaveBeenCalledTimes(1);
    await phone.hangUp('call-1');
    expect(fake.named('hangUp')).toEqual([['call-1']]);
    expect(leg.disconnect).toHaveBeenCalledTimes(1);
    expect(await phone.setMuted('call-1', false)).toMatchObject({ ok: false, message: expect.stringMatching(/not connected/) });
  });

  it('reports that the caller hung up when the audio leg ends', async () => {
    const { phone, device, events } = setup();
    await phone.start();
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    device().emit('incoming', leg);
    leg.emit('cancel');
    expect(events).toContainEqual({ type: 'audio-ended', callId: 'call-1' });
  });

  it('renews the token when Twilio says it will expire', async () => {
    const { phone, device, fetchToken } = setup();
    await phone.start();
    device().emit('tokenWillExpire', device());
    await vi.waitFor(() => expect(device().updateToken).toHaveBeenCalledWith('token-2'));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('re-registers with a fresh token when the window comes back and the registration lapsed', async () => {
    const { phone, device } = setup();
    await phone.start();
    setVisibility('hidden');
    device().dropRegistration();
    expect(device().register).toHaveBeenCalledTimes(1);
    setVisibility('visible');
    await vi.waitFor(() => expect(device().register).toHaveBeenCalledTimes(2));
    expect(device().updateToken).toHaveBeenCalledWith('token-2');
    expect(device().state).toBe('registered');
  });

  it('leaves a live registration alone when the window comes back', async () => {
    const { phone, device, fetchToken } = setup();
    await phone.start();
    setVisibility('hidden');
    setVisibility('visible');
    expect(device().register).toHaveBeenCalledTimes(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('lists the audio devices and routes microphone, call sound and ringtone to the chosen ones', async () => {
    const { phone, device } = setup();
    await phone.start();
    const audio = phone.audio!;
    expect(audio.current().inputs.map((d) => d.label)).toEqual(['Default microphone', 'Headset microphone']);
    expect(audio.current().outputs.map((d) => d.id)).toEqual(['default', 'headset', 'desk-speaker']);
    await audio.setInput('headset-mic');
    await audio.setSpeaker('headset');
    await audio.setRingtone('desk-speaker');
    expect(device().audio.setInputDevice).toHaveBeenCalledWith('headset-mic');
    expect(device().audio.speakerDevices.set).toHaveBeenCalledWith('headset');
    expect(device().audio.ringtoneDevices.set).toHaveBeenCalledWith('desk-speaker');
    expect(audio.current()).toMatchObject({ input: 'headset-mic', speaker: 'headset', ringtone: 'desk-speaker' });
    expect(await audio.setSpeaker('unplugged')).toMatchObject({ ok: false, message: expect.stringMatching(/could not be sent/) });
  });
});

describe('call quality warnings from the Twilio call', () => {
  it('are shown to the handler in plain words and go when cleared', async () => {
    const fake = fakePort();
    const phone = createTwilioSoftphone({ Device: FakeTwilioDevice, fetchToken: async () => ({ ok: true, value: 't' }), port: fake.port });
    const store = createSoftphoneStore({ port: fake.port, softphone: phone, handlerId: ME });
    await store.getState().connect();
    fake.emit({ type: 'offer', offer: makeOffer() });
    const leg = new FakeTwilioCall({ callId: 'call-1' });
    FakeTwilioDevice.instances.at(-1)!.emit('incoming', leg);
    await store.getState().answer();
    leg.emit('warning', 'high-packet-loss', { name: 'packetsLostFraction' });
    leg.emit('warning', 'high-rtt', {});
    expect(store.getState().warnings.map((w) => w.message)).toEqual([
      'The line is losing sound: parts of the call may cut out.',
      'The line is slow: there may be a delay before the caller hears you.',
    ]);
    leg.emit('warning-cleared', 'high-packet-loss');
    expect(store.getState().warnings.map((w) => w.name)).toEqual(['high-rtt']);
    store.dispose();
    expect(FakeTwilioDevice.instances.at(-1)!.destroy).toHaveBeenCalled();
  });
});
