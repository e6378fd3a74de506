import { describe, expect, it } from 'vitest';
import { createSimulatorSoftphone } from '../../../src-renderer/features/softphone/simulator-softphone';
import { createSoftphoneStore, heldMs, wrapUpDeadline } from '../../../src-renderer/features/softphone/softphone-store';
import { at, fakePort, makeCall, makeHandler, makeOffer, ME, QUEUES_SNAPSHOT, T0 } from './fakes';

function setup() {
  const fake = fakePort();
  let now = T0;
  const softphone = createSimulatorSoftphone({ port: fake.port, handlerId: ME });
  const store = createSoftphoneStore({ port: fake.port, softphone, handlerId: ME, now: () => now });
  return { fake, store, state: () => store.getState(), advance: (ms: number) => (now += ms) };
}

describe('the softphone store, fed the routing engine’s live events', () => {
  it('follows a call from offer to connected, held, wrap-up and available again', () => {
    const { fake, state } = setup();
    fake.emit(QUEUES_SNAPSHOT);
    expect(state().agent).toMatchObject({ state: 'available' });
    expect(state().queues).toEqual({ question: 'Questions', concern: 'Concerns (urgent)' });
    expect(state().colleagues.map((c) => c.name)).toEqual(['Kit Jones', 'Sam Patel']);

    fake.emit({ type: 'offer', offer: makeOffer() });
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'ringing', since: at(0) }) });
    expect(state().offer?.call.id).toBe('call-1');
    expect(state().agent).toMatchObject({ state: 'ringing', since: at(0) });

    fake.emit({ type: 'call', call: makeCall({ state: 'connected', answeredAt: at(3_000) }) });
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'on-call', since: at(3_000), currentCallId: 'call-1' }) });
    expect(state().offer).toBeNull();
    expect(state().call).toMatchObject({ id: 'call-1', state: 'connected', answeredAt: at(3_000) });

    fake.emit({ type: 'call', call: makeCall({ state: 'held', answeredAt: at(3_000), holdStartedAt: at(60_000) }) });
    expect(state().call?.state).toBe('held');
    expect(heldMs(state().call!, T0 + 75_000)).toBe(15_000);

    fake.emit({ type: 'call', call: makeCall({ state: 'wrap-up', answeredAt: at(3_000), heldMs: 20_000, endedAt: at(200_000) }) });
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'wrap-up', since: at(200_000) }) });
    expect(state().call?.state).toBe('wrap-up');
    expect(wrapUpDeadline(state(), 60_000)).toBe(T0 + 260_000);

    fake.emit({ type: 'call', call: makeCall({ state: 'completed', answeredAt: at(3_000), endedAt: at(200_000), dispositionId: 'information-given' }) });
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'available', since: at(230_000) }) });
    expect(state().call).toBeNull();
    expect(state().agent).toMatchObject({ state: 'available', since: at(230_000) });
  });

  it('ignores offers and calls that belong to other handlers', () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: { ...makeOffer({ handlerId: 'handler-sam' }), handlerId: 'handler-sam' } });
    fake.emit({ type: 'call', call: makeCall({ id: 'call-9', state: 'connected', handlerId: 'handler-sam' }) });
    expect(state().offer).toBeNull();
    expect(state().call).toBeNull();
  });

  it('clears the ringing call and says why when the caller hangs up first', () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    fake.emit({ type: 'offer.withdrawn', callId: 'call-1', handlerId: ME, reason: 'abandoned' });
    expect(state().offer).toBeNull();
    expect(state().notice).toBe('The caller hung up before the call was answered.');
  });

  it('lets a snapshot replace everything, so a reconnect mends a screen that missed events', () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'ringing', since: at(0) }) });
    // Missed while disconnected: the call was answered elsewhere, and another one is now on hold with this handler.
    fake.emit({
      type: 'snapshot',
      handlers: [makeHandler({ state: 'on-call', since: at(40_000), currentCallId: 'call-2' })],
      calls: [makeCall({ id: 'call-2', state: 'held', answeredAt: at(40_000), holdStartedAt: at(50_000) }), makeCall({ id: 'call-1', state: 'connected', handlerId: 'handler-sam' })],
      queues: [],
      at: at(55_000),
    });
    expect(state().offer).toBeNull();
    expect(state().call).toMatchObject({ id: 'call-2', state: 'held' });
    expect(state().agent).toMatchObject({ state: 'on-call' });
    expect(state().queues).toEqual({});
  });

  it('rebuilds a ringing offer from a snapshot, with its deadline from when it was offered', () => {
    const { fake, state } = setup();
    fake.emit({ type: 'snapshot', handlers: [makeHandler({ state: 'ringing' })], calls: [makeCall()], queues: [], at: at(1_000) });
    expect(state().offer).toMatchObject({ call: { id: 'call-1' }, expiresAt: at(15_000) });
  });
});

describe('the softphone store running the handler’s commands', () => {
  it('answers, holds, resumes with the held time counted, hangs up and wraps up with a disposition', async () => {
    const { fake, state, advance } = setup();
    fake.emit(QUEUES_SNAPSHOT);
    fake.emit({ type: 'offer', offer: makeOffer() });
    expect(await state().answer()).toBe(true);
    expect(state().call).toMatchObject({ state: 'connected', answeredAt: at(0) });
    advance(10_000);
    await state().setHold(true);
    advance(25_000);
    await state().setHold(false);
    expect(state().call).toMatchObject({ state: 'connected', heldMs: 25_000, holdStartedAt: null });
    expect(fake.named('hold')).toEqual([
      ['call-1', true],
      ['call-1', false],
    ]);
    await state().hangUp();
    expect(state().agent?.state).toBe('wrap-up');
    expect(await state().finishWrapUp()).toBe(false);
    expect(state().error).toBe('Choose how the call ended before you finish.');
    state().chooseDisposition('information-given');
    expect(await state().finishWrapUp()).toBe(true);
    expect(fake.named('wrapUp')).toEqual([['call-1', 'information-given', undefined]]);
    expect(state().call).toBeNull();
    expect(state().agent?.state).toBe('available');
  });

  it('keeps the state as it was when routing refuses, and says why', async () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    fake.refuse('answer', 'That call has already been answered by a colleague.');
    expect(await state().answer()).toBe(false);
    expect(state().offer?.call.id).toBe('call-1');
    expect(state().call).toBeNull();
    expect(state().error).toBe('That call has already been answered by a colleague.');
    expect(state().failedCommand).toBe('answer');
  });

  it('treats a port that throws as unreachable, and changes nothing', async () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    fake.port.answer = async () => {
      throw new Error('socket closed');
    };
    expect(await state().answer()).toBe(false);
    expect(state().offer).not.toBeNull();
    expect(state().error).toMatch(/did not answer, so nothing changed/);
  });

  it('holds the caller during a warm consult, then hands them over and wraps up', async () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    await state().answer();
    await state().transfer({ kind: 'handler', handlerId: 'handler-sam' }, 'warm');
    expect(state().consult).toEqual({ target: { kind: 'handler', handlerId: 'handler-sam' } });
    expect(state().call?.state).toBe('held');
    await state().completeTransfer();
    expect(state().consult).toBeNull();
    expect(state().call).toMatchObject({ state: 'wrap-up', outcome: 'transferred' });
    // Routing then gives the call to Sam: this handler still wraps up their part of it.
    fake.emit({ type: 'handler', handler: makeHandler({ state: 'wrap-up', since: at(0) }) });
    fake.emit({ type: 'call', call: makeCall({ state: 'connected', handlerId: 'handler-sam', answeredAt: at(0) }) });
    expect(state().call?.state).toBe('wrap-up');
  });

  it('brings the caller back when a warm consult is cancelled', async () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    await state().answer();
    await state().transfer({ kind: 'queue', queueId: 'concern' }, 'warm');
    await state().cancelTransfer();
    expect(state().consult).toBeNull();
    expect(state().call?.state).toBe('connected');
    expect(fake.named('cancelTransfer')).toEqual([['call-1']]);
  });

  it('mutes the simulated call locally and sends keypad digits to the simulator', async () => {
    const { fake, state } = setup();
    fake.emit({ type: 'offer', offer: makeOffer() });
    await state().answer();
    await state().toggleMute();
    expect(state().muted).toBe(true);
    await state().sendDigits('4');
    await state().sendDigits('#');
    expect(fake.named('sendDigits')).toEqual([
      ['call-1', '4'],
      ['call-1', '#'],
    ]);
    expect(state().digitsSent).toBe('4#');
  });

  it('stops listening when disposed', () => {
    const { fake, store } = setup();
    expect(fake.listenerCount()).toBe(1);
    store.dispose();
    expect(fake.listenerCount()).toBe(0);
  });
});
