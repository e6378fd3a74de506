import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LineCaseArea } from '../../../src-renderer/features/home/case-area';
import { AgentStateSelector } from '../../../src-renderer/features/softphone/agent-state-selector';
import { CallButton } from '../../../src-renderer/features/softphone/call-button';
import type { Notifier } from '../../../src-renderer/features/softphone/notifier';
import { createSimulatorSoftphone } from '../../../src-renderer/features/softphone/simulator-softphone';
import { SoftphonePanel } from '../../../src-renderer/features/softphone/softphone-panel';
import { createSoftphoneStore, type SoftphoneStore } from '../../../src-renderer/features/softphone/softphone-store';
import type { LiveEvent } from '../../../src-shared/telephony/model';
import { fakePort, makeCall, makeHandler, makeOffer, ME, QUEUES_SNAPSHOT, T0 } from './fakes';

const DISPOSITIONS = [
  { id: 'resolved-first-contact', label: 'Resolved at first contact' },
  { id: 'information-given', label: 'Information given' },
  { id: 'callback-needed', label: 'Callback needed' },
];

function fakeNotifier(): Notifier & { shown: { title: string; body: string }[]; prepared: number } {
  const notifier = {
    shown: [] as { title: string; body: string }[],
    prepared: 0,
    prepare: () => void notifier.prepared++,
    notify: (message: { title: string; body: string }) => void notifier.shown.push(message),
  };
  return notifier;
}

/** The agent bar's selector and the softphone panel side by side, as the home screen will show them. */
function Screen(props: { store: SoftphoneStore; now: number; notifier: Notifier; hidden: boolean }) {
  return (
    <>
      <AgentStateSelector store={props.store} now={props.now} />
      <SoftphonePanel store={props.store} now={props.now} dispositions={DISPOSITIONS} ringtoneSrc="/ringtone.ogg" notifier={props.notifier} isHidden={() => props.hidden} />
    </>
  );
}

function setup(options: { hidden?: boolean } = {}) {
  const fake = fakePort();
  let now = T0;
  const softphone = createSimulatorSoftphone({ port: fake.port, handlerId: ME });
  const store = createSoftphoneStore({ port: fake.port, softphone, handlerId: ME, now: () => now });
  const notifier = fakeNotifier();
  const user = userEvent.setup();
  const view = render(<Screen store={store} now={now} notifier={notifier} hidden={options.hidden ?? false} />);
  act(() => fake.emit(QUEUES_SNAPSHOT));
  const emit = (event: LiveEvent) => act(() => fake.emit(event));
  /** Moves the clock on and re-renders, as the window's ticking `now` would. */
  const tick = (ms: number) => {
    now += ms;
    view.rerender(<Screen store={store} now={now} notifier={notifier} hidden={options.hidden ?? false} />);
  };
  return { fake, store, notifier, user, emit, tick };
}

async function answeredCall() {
  const env = setup();
  env.emit({ type: 'offer', offer: makeOffer() });
  await env.user.click(screen.getByRole('button', { name: 'Answer' }));
  await screen.findByTestId('in-call');
  return env;
}

describe('an incoming call', () => {
  it('shows the caller’s number the UK way, the queue, the countdown, the training script and rings', () => {
    const { emit } = setup();
    emit({ type: 'offer', offer: makeOffer({ script: { scenario: 'Repeat prescription query', lines: ['Hello, I’m calling about my inhaler.'] } }) });
    const panel = screen.getByTestId('incoming-call');
    expect(within(panel).getByLabelText("Caller's number")).toHaveTextContent('07400 123456');
    expect(panel).toHaveTextContent('Questions');
    expect(within(panel).getByRole('timer')).toHaveTextContent('0:15');
    expect(within(panel).getByRole('complementary', { name: "Simulated caller's script" })).toHaveTextContent('calling about my inhaler');
    expect(screen.getByTestId('ringtone')).toHaveAttribute('src', '/ringtone.ogg');
    expect(screen.getByTestId('ringtone')).toHaveAttribute('loop');
  });

  it('is answered with the Answer button, and the controls of the call appear', async () => {
    const { fake, emit, user } = setup();
    emit({ type: 'offer', offer: makeOffer() });
    await user.click(screen.getByRole('button', { name: 'Answer' }));
    expect(fake.named('answer')).toEqual([['call-1']]);
    expect(await screen.findByRole('heading', { name: 'On a call' })).toBeInTheDocument();
    expect(screen.queryByTestId('ringtone')).not.toBeInTheDocument();
    expect(screen.getByTestId('agent-state')).toHaveTextContent('On a call');
  });

  it('is answered with Alt+A from anywhere in the window', async () => {
    const { fake, emit, user } = setup();
    emit({ type: 'offer', offer: makeOffer() });
    await user.keyboard('{Alt>}a{/Alt}');
    expect(fake.named('answer')).toEqual([['call-1']]);
    expect(await screen.findByTestId('in-call')).toBeInTheDocument();
  });

  it('is declined with the Decline button or Alt+D', async () => {
    const { fake, emit, user } = setup();
    emit({ type: 'offer', offer: makeOffer() });
    await user.click(screen.getByRole('button', { name: 'Decline' }));
    expect(fake.named('decline')).toEqual([['call-1']]);
    expect(screen.queryByTestId('incoming-call')).not.toBeInTheDocument();

    emit({ type: 'offer', offer: makeOffer({ id: 'call-2' }) });
    await user.keyboard('{Alt>}d{/Alt}');
    expect(fake.named('decline')).toEqual([['call-1'], ['call-2']]);
  });

  it('keeps ringing and says why when the answer is refused', async () => {
    const { fake, emit, user } = setup();
    fake.refuse('answer', 'That call has already been answered by a colleague.');
    emit({ type: 'offer', offer: makeOffer() });
    await user.click(screen.getByRole('button', { name: 'Answer' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That call has already been answered by a colleague.');
    expect(screen.getByTestId('incoming-call')).toBeInTheDocument();
    expect(screen.queryByTestId('in-call')).not.toBeInTheDocument();
  });

  it('raises a system notification only while the window is hidden, without the caller’s number', () => {
    const visible = setup();
    visible.emit({ type: 'offer', offer: makeOffer() });
    expect(visible.notifier.shown).toEqual([]);
    expect(visible.notifier.prepared).toBe(1);

    const hidden = setup({ hidden: true });
    hidden.emit({ type: 'offer', offer: makeOffer({ id: 'call-7' }) });
    expect(hidden.notifier.shown).toEqual([{ title: 'Incoming call', body: 'Questions is ringing. Open Care Connect Desk to answer.' }]);
    expect(JSON.stringify(hidden.notifier.shown)).not.toMatch(/7400/);
  });
});

describe('the controls of a call', () => {
  it('puts the caller on hold, shows how long they have been held, and resumes', async () => {
    const { fake, user, tick } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Hold' }));
    expect(await screen.findByRole('heading', { name: 'Caller on hold' })).toBeInTheDocument();
    tick(30_000);
    expect(screen.getByTestId('hold-time')).toHaveTextContent('0:30 now, 0:30 in all');
    await user.keyboard('{Alt>}h{/Alt}');
    expect(await screen.findByRole('heading', { name: 'On a call' })).toBeInTheDocument();
    tick(5_000);
    expect(screen.getByTestId('hold-time')).toHaveTextContent('0:30 in all');
    expect(screen.getByRole('timer', { name: 'Call time' })).toHaveTextContent('0:35');
    expect(fake.named('hold')).toEqual([
      ['call-1', true],
      ['call-1', false],
    ]);
  });

  it('keeps the call as it was and shows the reason when hold is refused', async () => {
    const { fake, user } = await answeredCall();
    fake.refuse('hold', 'The call could not be put on hold. Try again in a moment.');
    await user.click(screen.getByRole('button', { name: 'Hold' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The call could not be put on hold. Try again in a moment.');
    expect(screen.getByRole('heading', { name: 'On a call' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hold' })).toBeEnabled();
  });

  it('mutes and unmutes, and shows it', async () => {
    const { user } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    expect(await screen.findByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
    await user.keyboard('{Alt>}m{/Alt}');
    expect(await screen.findByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('sends keypad digits', async () => {
    const { fake, user } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Keypad' }));
    const keypad = screen.getByRole('group', { name: 'Keypad' });
    await user.click(within(keypad).getByRole('button', { name: 'Key 5' }));
    await user.click(within(keypad).getByRole('button', { name: 'Key hash' }));
    expect(fake.named('sendDigits')).toEqual([
      ['call-1', '5'],
      ['call-1', '#'],
    ]);
    expect(keypad).toHaveTextContent('Sent: 5#');
  });

  it('transfers cold to a queue, then the handler wraps up', async () => {
    const { fake, user } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    const form = screen.getByRole('form', { name: 'Transfer the call' });
    expect(within(form).getByRole('button', { name: 'Transfer' })).toBeDisabled();
    await user.selectOptions(within(form).getByLabelText('Queue'), 'Concerns (urgent)');
    await user.click(within(form).getByRole('button', { name: 'Transfer' }));
    expect(fake.named('transfer')).toEqual([['call-1', { kind: 'queue', queueId: 'concern' }, 'cold']]);
    expect(await screen.findByTestId('wrap-up')).toHaveTextContent('transferred');
  });

  it('transfers warm to an available colleague after a consult, or brings the caller back', async () => {
    const { fake, user } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    let form = screen.getByRole('form', { name: 'Transfer the call' });
    await user.click(within(form).getByLabelText('A colleague'));
    // Kit is on a call, so only Sam is offered.
    expect(within(form).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose…', 'Sam Patel']);
    await user.selectOptions(within(form).getByLabelText('Colleague'), 'Sam Patel');
    await user.click(within(form).getByLabelText('Talk to them first (warm)'));
    await user.click(within(form).getByRole('button', { name: 'Start consult' }));
    expect(await screen.findByText(/You are talking to Sam Patel/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hang up' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Cancel transfer' }));
    expect(await screen.findByRole('heading', { name: 'On a call' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    form = screen.getByRole('form', { name: 'Transfer the call' });
    await user.click(within(form).getByLabelText('A colleague'));
    await user.selectOptions(within(form).getByLabelText('Colleague'), 'Sam Patel');
    await user.click(within(form).getByLabelText('Talk to them first (warm)'));
    await user.click(within(form).getByRole('button', { name: 'Start consult' }));
    await user.click(await screen.findByRole('button', { name: 'Complete transfer' }));
    expect(await screen.findByTestId('wrap-up')).toBeInTheDocument();
    expect(fake.named('transfer')).toEqual([
      ['call-1', { kind: 'handler', handlerId: 'handler-sam' }, 'warm'],
      ['call-1', { kind: 'handler', handlerId: 'handler-sam' }, 'warm'],
    ]);
    expect(fake.named('cancelTransfer')).toEqual([['call-1']]);
    expect(fake.named('completeTransfer')).toEqual([['call-1']]);
  });

  it('keeps the transfer form open and the call as it was when the transfer is refused', async () => {
    const { fake, user } = await answeredCall();
    fake.refuse('transfer', 'Nobody in that queue can take calls right now.');
    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    const form = screen.getByRole('form', { name: 'Transfer the call' });
    await user.selectOptions(within(form).getByLabelText('Queue'), 'Questions');
    await user.click(within(form).getByRole('button', { name: 'Transfer' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nobody in that queue can take calls right now.');
    expect(screen.getByRole('form', { name: 'Transfer the call' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'On a call' })).toBeInTheDocument();
  });
});

describe('wrap-up', () => {
  it('counts down, keeps counting into overtime, needs a disposition, and finishing makes the handler available', async () => {
    const { fake, user, tick } = await answeredCall();
    tick(90_000);
    await user.click(screen.getByRole('button', { name: 'Hang up' }));
    const wrapUp = await screen.findByTestId('wrap-up');
    expect(within(wrapUp).getByTestId('wrap-up-timer')).toHaveTextContent('1:00 left');
    tick(72_000);
    expect(within(wrapUp).getByTestId('wrap-up-timer')).toHaveTextContent('+0:12 over');

    const finish = within(wrapUp).getByRole('button', { name: 'Finish and become available' });
    expect(finish).toBeDisabled();
    expect(finish).toHaveAccessibleDescription('Choose how the call ended to finish.');
    await user.click(within(wrapUp).getByRole('radio', { name: 'Information given' }));
    expect(finish).toBeEnabled();
    await user.click(finish);
    expect(fake.named('wrapUp')).toEqual([['call-1', 'information-given', undefined]]);
    expect(screen.queryByTestId('wrap-up')).not.toBeInTheDocument();
    expect(screen.getByLabelText('My state')).toHaveValue('available');
    expect(screen.getByText('Waiting for the next call.')).toBeInTheDocument();
  });

  it('stays in wrap-up with the choice kept when finishing is refused', async () => {
    const { fake, user } = await answeredCall();
    await user.click(screen.getByRole('button', { name: 'Hang up' }));
    fake.refuse('wrapUp', 'The phone service is busy. Try again.');
    await user.click(await screen.findByRole('radio', { name: 'Callback needed' }));
    await user.click(screen.getByRole('button', { name: 'Finish and become available' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The phone service is busy. Try again.');
    expect(screen.getByRole('radio', { name: 'Callback needed' })).toBeChecked();
    expect(screen.getByTestId('wrap-up')).toBeInTheDocument();
  });
});

describe('the live link to the phone service', () => {
  const since = new Date(T0).toISOString();

  it('says no calls can reach the handler while it is down, not that they are waiting, and says so again once it is back', () => {
    const { fake, emit } = setup();
    emit({ type: 'handler', handler: makeHandler({ state: 'available' }) });
    const idle = () => screen.getByTestId('softphone');
    expect(idle()).toHaveTextContent('Waiting for the next call.');

    act(() => fake.link({ state: 'offline', reason: 'No heartbeat from the central service.', nextRetryAt: since, since }));
    expect(idle()).not.toHaveTextContent('Waiting for the next call.');
    expect(idle()).toHaveTextContent('No heartbeat from the central service. No calls can reach you until the phone service is back; this desk keeps trying.');
    // A reconnect attempt in flight is still an outage to the handler.
    act(() => fake.link({ state: 'connecting', reason: 'No heartbeat from the central service.', nextRetryAt: null, since }));
    expect(idle()).toHaveTextContent('No calls can reach you until the phone service is back');

    act(() => fake.link({ state: 'connected', reason: null, nextRetryAt: null, since }));
    expect(idle()).toHaveTextContent('Waiting for the next call.');
    expect(idle()).not.toHaveTextContent('No calls can reach you');
  });

  it('stops the case area promising that the next caller will ring here while it is down', () => {
    const { fake, emit, store } = setup();
    render(<LineCaseArea phone={store} />);
    emit({ type: 'handler', handler: makeHandler({ state: 'available' }) });
    const area = () => screen.getByRole('region', { name: 'Current case' });
    expect(area()).toHaveTextContent('The next caller will ring here');

    act(() => fake.link({ state: 'offline', reason: 'The central service cannot be reached.', nextRetryAt: since, since }));
    expect(area()).not.toHaveTextContent('The next caller will ring here');
    expect(area()).toHaveTextContent('No calls can reach you until the phone service is back');

    act(() => fake.link({ state: 'connected', reason: null, nextRetryAt: null, since }));
    expect(area()).toHaveTextContent('The next caller will ring here');
  });

  it('does not call the first connection attempt an outage', () => {
    const { fake } = setup();
    act(() => fake.link({ state: 'connecting', reason: null, nextRetryAt: null, since }));
    expect(screen.getByTestId('softphone')).toHaveTextContent('Waiting for the next call.');
    expect(screen.getByTestId('softphone')).not.toHaveTextContent('No calls can reach you');
  });
});

describe('the agent state selector', () => {
  it('takes a break with a reason, from the keyboard, and shows the time in state', async () => {
    const { fake, user, tick } = setup();
    const select = screen.getByLabelText('My state');
    select.focus();
    await user.selectOptions(select, 'Break: Lunch');
    expect(fake.named('setState')).toEqual([[{ state: 'break', reason: 'Lunch' }]]);
    expect(select).toHaveValue('break:Lunch');
    tick(65_000);
    expect(screen.getByTestId('agent-state')).toHaveTextContent('1:05');
  });

  it('shows the states the line sets read-only, and a missed offer offers "Become available"', async () => {
    const { fake, emit, user } = setup();
    emit({ type: 'handler', handler: makeHandler({ state: 'ringing', since: new Date(T0).toISOString() }) });
    expect(screen.queryByLabelText('My state')).not.toBeInTheDocument();
    expect(screen.getByTestId('agent-state')).toHaveTextContent('Ringing');

    emit({ type: 'handler', handler: makeHandler({ state: 'not-responding', since: new Date(T0).toISOString(), missedOffersToday: 1 }) });
    expect(screen.getByTestId('agent-state')).toHaveTextContent('You missed a call, so no more calls are being sent to you.');
    await user.click(screen.getByRole('button', { name: 'Become available' }));
    expect(fake.named('setState')).toEqual([[{ state: 'available' }]]);
    expect(await screen.findByLabelText('My state')).toHaveValue('available');
  });

  it('keeps the old state and shows the reason when a change is refused', async () => {
    const { fake, user } = setup();
    fake.refuse('setState', 'You cannot go offline with a call still in wrap-up.');
    await user.selectOptions(screen.getByLabelText('My state'), 'Offline');
    expect(await screen.findByRole('alert')).toHaveTextContent('You cannot go offline with a call still in wrap-up.');
    expect(screen.getByLabelText('My state')).toHaveValue('available');
  });
});

describe('click to call', () => {
  it('calls a number back from a case, and the call shows as connecting', async () => {
    const { fake, store, emit, user } = setup();
    render(<CallButton store={store} number="+447400123456" caseId="case-42" />);
    await user.click(screen.getByRole('button', { name: 'Call 07400 123456' }));
    expect(fake.named('dial')).toEqual([['+447400123456', 'case-42']]);
    emit({ type: 'call', call: makeCall({ id: 'call-100', direction: 'outbound', state: 'waiting', caseId: 'case-42', offeredAt: null }) });
    expect(await screen.findByRole('heading', { name: 'Calling…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Call 07400 123456' })).toBeDisabled();
  });

  it('checks a typed number before dialling it', async () => {
    const { fake, user } = setup();
    const box = screen.getByRole('form', { name: 'Make a call' });
    await user.type(within(box).getByLabelText('Number to call'), '07400 12');
    await user.click(within(box).getByRole('button', { name: 'Call' }));
    expect(within(box).getByRole('alert')).toHaveTextContent('Enter a UK phone number');
    expect(fake.named('dial')).toEqual([]);
    await user.clear(within(box).getByLabelText('Number to call'));
    await user.type(within(box).getByLabelText('Number to call'), '07400 123456{Enter}');
    expect(fake.named('dial')).toEqual([['+447400123456', undefined]]);
  });
});

describe('the simulator has no audio devices', () => {
  it('shows no audio settings', () => {
    setup();
    expect(screen.queryByRole('button', { name: 'Audio settings' })).not.toBeInTheDocument();
  });
});
