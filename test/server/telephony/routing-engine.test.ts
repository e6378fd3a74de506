import { describe, expect, it } from 'vitest';
import { engineWorld, ok } from './telephony-helpers';

describe('the routing engine', () => {
  it('offers a call to the handler who has been available longest', () => {
    const w = engineWorld();
    w.available('h1');
    w.advance(10_000);
    w.available('h2');
    w.advance(10_000);
    w.available('h3');

    const first = w.ring();
    expect(w.ringingAt(first.id)).toBe('h1');
    const second = w.ring();
    expect(w.ringingAt(second.id)).toBe('h2');
    ok(w.engine.answer('h2', second.id));

    // h1 takes the call and comes back: now they have been idle the shortest time.
    ok(w.engine.answer('h1', first.id));
    w.advance(30_000);
    ok(w.engine.hangUp('h1', first.id));
    ok(w.engine.wrapUp('h1', first.id, { dispositionId: 'information-given' }));
    const third = w.ring();
    expect(w.ringingAt(third.id)).toBe('h3');
    const fourth = w.ring();
    expect(w.ringingAt(fourth.id)).toBe('h1');
  });

  it('offers a call only to handlers with the queue among their skills', () => {
    const w = engineWorld();
    w.engine.setSkills(w.profile('h1'), ['question']);
    w.available('h1');
    w.advance(5_000);
    w.available('h2');

    const feedback = w.ring('feedback');
    expect(w.ringingAt(feedback.id)).toBe('h2');
    const question = w.ring('question');
    expect(w.ringingAt(question.id)).toBe('h1');
    const another = w.ring('feedback');
    expect(w.engine.call(another.id)?.state).toBe('waiting');
    expect(w.engine.queueFigures().find((q) => q.queueId === 'feedback')?.waiting).toBe(2);
  });

  it('after the offer timeout sets the first handler to not responding and rings the next', () => {
    const w = engineWorld();
    w.available('h1');
    w.advance(1_000);
    w.available('h2');
    const call = w.ring();
    expect(w.ringingAt(call.id)).toBe('h1');

    w.advance(14_999);
    expect(w.ringingAt(call.id)).toBe('h1');
    w.advance(1);
    expect(w.ringingAt(call.id)).toBe('h2');
    expect(w.stateOf('h1')).toBe('not-responding');
    expect(w.engine.handler('h1')?.missedOffersToday).toBe(1);
    const withdrawn = w.bus.messages.find((m) => m.event.type === 'offer.withdrawn');
    expect(withdrawn?.event).toMatchObject({ callId: call.id, handlerId: 'h1', reason: 'timeout' });
    expect(withdrawn?.audience).toEqual({ userId: 'h1', teamIds: null, minRole: 'handler' });

    // h1 answering late is refused in words a handler can read.
    const late = w.engine.answer('h1', call.id);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.refusal).toMatchObject({ status: 409, title: 'That call is not ringing for you' });
    expect(late.ok === false && late.refusal.detail).toMatch(/no longer ringing for you/);
  });

  it('uses the offer timeout from settings', () => {
    const w = engineWorld({ settings: { offerTimeoutMs: 5_000 } });
    w.available('h1');
    w.available('h2');
    const call = w.ring();
    w.advance(5_000);
    expect(w.ringingAt(call.id)).toBe('h2');
  });

  it('counts a caller who hangs up while waiting as abandoned and never offers them', () => {
    const w = engineWorld();
    const call = w.ring('concern');
    w.advance(40_000);
    w.engine.events.callerHungUp(call.providerCallId);
    w.available('h1');
    expect(w.offersTo('h1')).toEqual([]);
    const figures = w.engine.queueFigures().find((q) => q.queueId === 'concern')!;
    expect(figures).toMatchObject({ waiting: 0, abandonedToday: 1, answeredToday: 0, longestWaitingSince: null });
    expect(w.engine.call(call.id)).toBeNull();
  });

  it('counts a caller who hangs up while ringing as abandoned and frees the handler', () => {
    const w = engineWorld();
    w.available('h1');
    const call = w.ring();
    w.advance(3_000);
    w.engine.events.callerHungUp(call.providerCallId);
    expect(w.stateOf('h1')).toBe('available');
    expect(w.bus.messages.some((m) => m.event.type === 'offer.withdrawn' && m.event.reason === 'abandoned')).toBe(true);
    expect(w.engine.queueFigures().find((q) => q.queueId === 'feedback')?.abandonedToday).toBe(1);
    expect(w.engine.answer('h1', call.id).ok).toBe(false);
  });

  it('sends a declined call to the next handler and waits for someone new when everyone free declined', () => {
    const w = engineWorld();
    w.available('h1');
    w.advance(1_000);
    w.available('h2');
    const call = w.ring();
    ok(w.engine.decline('h1', call.id));
    expect(w.ringingAt(call.id)).toBe('h2');
    expect(w.stateOf('h1')).toBe('available');
    ok(w.engine.decline('h2', call.id));
    expect(w.engine.call(call.id)?.state).toBe('waiting');
    // A caller behind them is still offered to the free handlers.
    const next = w.ring();
    expect(w.ringingAt(next.id)).toBe('h1');
    w.available('h3');
    expect(w.ringingAt(call.id)).toBe('h3');
  });

  it('adds up time on hold across holds', () => {
    const w = engineWorld();
    w.available('h1');
    const call = w.ring();
    ok(w.engine.answer('h1', call.id));
    w.advance(20_000);
    expect(ok(w.engine.hold('h1', call.id, true)).state).toBe('held');
    w.advance(30_000);
    ok(w.engine.hold('h1', call.id, false));
    w.advance(5_000);
    ok(w.engine.hold('h1', call.id, true));
    w.advance(10_000);
    const resumed = ok(w.engine.hold('h1', call.id, false));
    expect(resumed).toMatchObject({ state: 'connected', heldMs: 40_000, holdStartedAt: null });
    ok(w.engine.hold('h1', call.id, true));
    w.advance(2_000);
    // Hanging up while on hold counts the last hold too.
    expect(ok(w.engine.hangUp('h1', call.id)).heldMs).toBe(42_000);
    expect(w.provider.log).toEqual([`connect ${call.providerCallId} h1`, `hold ${call.providerCallId} true`, `hold ${call.providerCallId} false`, `hold ${call.providerCallId} true`, `hold ${call.providerCallId} false`, `hold ${call.providerCallId} true`, `hangUp ${call.providerCallId}`]);
  });

  it('keeps a handler in wrap-up, with its timer, until they choose a disposition', () => {
    const w = engineWorld({ settings: { dispositionIds: () => ['resolved-first-contact', 'callback-needed'] } });
    w.available('h1');
    const call = w.ring();
    ok(w.engine.answer('h1', call.id));
    w.advance(90_000);
    const ended = ok(w.engine.hangUp('h1', call.id));
    expect(ended.state).toBe('wrap-up');
    const handler = w.engine.handler('h1')!;
    expect(handler).toMatchObject({ state: 'wrap-up', currentCallId: call.id, wrapUpOverdue: false });
    expect(Date.parse(handler.wrapUpEndsAt!) - Date.parse(handler.since)).toBe(60_000);

    const early = w.engine.setHandlerState(w.profile('h1'), { state: 'available' }, 'self');
    expect(early.ok === false && early.refusal.detail).toMatch(/Choose a disposition/);
    const waiting = w.ring();
    w.advance(60_000);
    expect(w.engine.handler('h1')).toMatchObject({ state: 'wrap-up', wrapUpOverdue: true });
    expect(w.engine.call(waiting.id)?.state).toBe('waiting');

    const unknown = w.engine.wrapUp('h1', call.id, { dispositionId: 'made-up' });
    expect(unknown.ok === false && unknown.refusal.status).toBe(422);
    const completed = ok(w.engine.wrapUp('h1', call.id, { dispositionId: 'callback-needed', caseId: 'case-1' }));
    expect(completed).toMatchObject({ state: 'completed', dispositionId: 'callback-needed', caseId: 'case-1' });
    expect(w.engine.handler('h1')?.callsHandledToday).toBe(1);
    // Available again, so the caller who waited meanwhile rings at once.
    expect(w.ringingAt(waiting.id)).toBe('h1');
  });

  it('transfers cold to a queue: the first handler wraps up and the caller waits for the queue', () => {
    const w = engineWorld();
    w.engine.setSkills(w.profile('h2'), ['question']);
    w.available('h1');
    const call = w.ring('feedback');
    ok(w.engine.answer('h1', call.id));
    ok(w.engine.linkCase('h1', call.id, 'case-7'));
    const next = ok(w.engine.transfer('h1', call.id, { kind: 'queue', queueId: 'question' }, 'cold'));
    expect(next).toMatchObject({ queueId: 'question', caseType: 'question', transferredFromCallId: call.id, caseId: 'case-7', state: 'waiting' });
    expect(w.stateOf('h1')).toBe('wrap-up');
    expect(w.engine.call(call.id)?.outcome).toBe('transferred');
    w.available('h2');
    expect(w.ringingAt(next.id)).toBe('h2');
    expect(w.provider.log).toContain(`transfer ${call.providerCallId} queue:question cold`);
    // The caller hanging up now ends h2's call, not h1's finished one.
    ok(w.engine.answer('h2', next.id));
    w.engine.events.callerHungUp(call.providerCallId);
    expect(w.engine.call(next.id)?.state).toBe('wrap-up');
  });

  it('transfers cold to a named colleague only when they are free', () => {
    const w = engineWorld();
    w.available('h1');
    const call = w.ring();
    ok(w.engine.answer('h1', call.id));
    const busy = w.engine.transfer('h1', call.id, { kind: 'handler', handlerId: 'h2' }, 'cold');
    expect(busy.ok === false && busy.refusal.status).toBe(409);
    w.available('h2');
    const next = ok(w.engine.transfer('h1', call.id, { kind: 'handler', handlerId: 'h2' }, 'cold'));
    expect(w.ringingAt(next.id)).toBe('h2');
  });

  it('transfers warm: the caller holds while the handler consults, then goes over or stays', () => {
    const w = engineWorld();
    w.available('h1');
    w.available('h2');
    const call = w.ring();
    ok(w.engine.answer('h1', call.id));
    const consulting = ok(w.engine.transfer('h1', call.id, { kind: 'handler', handlerId: 'h2' }, 'warm'));
    expect(consulting).toMatchObject({ state: 'held', consultHandlerId: 'h2' });
    expect(w.stateOf('h2')).toBe('on-call');
    // Cancel: h2 is free again, the caller still holds for h1.
    expect(ok(w.engine.cancelConsult('h1', call.id))).toMatchObject({ state: 'held', consultHandlerId: null });
    expect(w.stateOf('h2')).toBe('available');

    ok(w.engine.transfer('h1', call.id, { kind: 'queue', queueId: 'feedback' }, 'warm'));
    w.advance(20_000);
    const moved = ok(w.engine.completeConsult('h1', call.id));
    expect(moved).toMatchObject({ state: 'connected', handlerId: 'h2', transferredFromCallId: call.id });
    expect(w.stateOf('h1')).toBe('wrap-up');
    expect(w.engine.handler('h2')).toMatchObject({ state: 'on-call', currentCallId: moved.id });
    expect(w.engine.call(call.id)).toMatchObject({ outcome: 'transferred', heldMs: 20_000 });
  });

  it('makes an outbound call for a handler through the provider', async () => {
    const w = engineWorld();
    const refused = w.engine.dialOut(w.profile('h1'), '+442079460123', null);
    expect(refused.ok === false && refused.refusal.detail).toMatch(/available/);
    w.available('h1');
    const { call, dialled } = ok(w.engine.dialOut(w.profile('h1'), '+442079460123', 'case-9'));
    expect(call).toMatchObject({ direction: 'outbound', state: 'connected', handlerId: 'h1', from: '+442079460123', caseId: 'case-9', queueId: null });
    expect(w.stateOf('h1')).toBe('on-call');
    await dialled;
    expect(w.provider.log).toEqual(['dialOut h1 +442079460123']);
    expect(w.engine.call(call.id)?.providerCallId).toBe('out-1');
    // No inbound call rings at a handler on an outbound call.
    const inbound = w.ring();
    expect(w.engine.call(inbound.id)?.state).toBe('waiting');
    w.engine.events.callerHungUp('out-1');
    expect(w.stateOf('h1')).toBe('wrap-up');
  });

  it('lets a supervisor take a ringing handler off the line, and the call rings the next', () => {
    const w = engineWorld();
    w.available('h1');
    w.advance(1_000);
    w.available('h2');
    const call = w.ring();
    const selfRefused = w.engine.setHandlerState(w.profile('h1'), { state: 'break', reason: 'Lunch' }, 'self');
    expect(selfRefused.ok).toBe(false);
    const forced = ok(w.engine.setHandlerState(w.profile('h1'), { state: 'break', reason: 'Lunch' }, 'supervisor'));
    expect(forced).toMatchObject({ state: 'break', breakReason: 'Lunch' });
    expect(w.ringingAt(call.id)).toBe('h2');
  });

  it('tells only the handler about an offer, and the team’s supervisors about handler changes', () => {
    const w = engineWorld();
    w.available('h1');
    w.ring();
    const offers = w.bus.messages.filter((m) => m.event.type === 'offer');
    expect(offers.map((m) => m.audience)).toEqual([{ userId: 'h1', teamIds: null, minRole: 'handler' }]);
    const ringing = w.bus.messages.filter((m) => m.event.type === 'handler' && m.event.handler.state === 'ringing');
    expect(ringing.map((m) => m.audience)).toEqual([
      { userId: 'h1', teamIds: null, minRole: 'handler' },
      { userId: null, teamIds: ['t1'], minRole: 'supervisor' },
    ]);
    expect(w.bus.messages.some((m) => m.event.type === 'queue' && m.audience.minRole === 'handler')).toBe(true);
  });

  it('counts answers within the service-level target and the total wait', () => {
    const w = engineWorld();
    const quick = w.ring();
    w.advance(10_000);
    w.available('h1');
    ok(w.engine.answer('h1', quick.id));
    ok(w.engine.hangUp('h1', quick.id));
    ok(w.engine.wrapUp('h1', quick.id, { dispositionId: 'information-given' }));
    w.engine.setHandlerState(w.profile('h1'), { state: 'break', reason: 'Admin' }, 'self');
    const slow = w.ring();
    w.advance(70_000);
    w.available('h1');
    ok(w.engine.answer('h1', slow.id));
    const figures = w.engine.queueFigures().find((q) => q.queueId === 'feedback')!;
    expect(figures).toMatchObject({ answeredToday: 2, answeredWithinTargetToday: 1, totalAnswerWaitMsToday: 80_000, waiting: 0 });
    expect(figures.handlersByState['on-call']).toBe(1);
  });

  it('shows a handler only their own state, calls and queues; a supervisor their team', () => {
    const w = engineWorld();
    w.engine.setSkills(w.profile('h1'), ['question']);
    w.available('h1');
    w.engine.setHandlerState({ handlerId: 'h9', name: 'Other team', teamIds: ['t2'] }, { state: 'available' }, 'self');
    const call = w.ring('question');
    const mine = w.engine.snapshot({ userId: 'h1', role: 'handler', teamIds: ['t1'] });
    expect(mine.handlers.map((h) => h.handlerId)).toEqual(['h1']);
    expect(mine.queues.map((q) => q.queueId)).toEqual(['question']);
    expect(mine.offers?.map((o) => o.call.id)).toEqual([call.id]);
    const supervisor = w.engine.snapshot({ userId: 's1', role: 'supervisor', teamIds: ['t1'] });
    expect(supervisor.handlers.map((h) => h.handlerId)).toEqual(['h1']);
    expect(supervisor.queues).toHaveLength(4);
    expect(supervisor.calls.map((c) => c.id)).toEqual([call.id]);
  });
});
