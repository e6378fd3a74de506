import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SupervisorView } from '../../../src-renderer/features/supervisor';
import type { LivePictureState } from '../../../src-shared/contract/live';
import { at, call, fakeSupervisorApi, handler, queue, T0 } from './fake-supervisor-api';

type Fake = ReturnType<typeof fakeSupervisorApi>;

/** The live view on a clock the test moves, with a recording notifier and a window the test can hide. */
async function showView(fake: Fake) {
  const notifier = { prepare: vi.fn(), notify: vi.fn() };
  const window = { hidden: false };
  const element = (ms: number) => <SupervisorView api={fake.api} now={T0 + ms} notifier={notifier} isHidden={() => window.hidden} simulatorPollMs={0} />;
  const utils = render(element(0));
  await screen.findByRole('heading', { name: 'Live view' });
  // The picture and the team arrive from the main process; wait until the simulator (read last) has answered.
  await screen.findByTestId('simulator-status');
  return { notifier, window, at: (ms: number) => utils.rerender(element(ms)), unmount: utils.unmount };
}

const feedback = queue({ queueId: 'feedback', name: 'Feedback', waiting: 2, longestWaitingSince: at(-30_000), answeredToday: 20, answeredWithinTargetToday: 19, abandonedToday: 1, totalAnswerWaitMsToday: 200_000, handlersByState: { available: 1, ringing: 0, 'on-call': 2, 'wrap-up': 0, break: 0, offline: 0, 'not-responding': 0 } });
const question = queue({ queueId: 'question', name: 'Questions' });

function row(testId: string) {
  return within(screen.getByTestId(testId));
}

describe('the queues of the live view', () => {
  it('shows waiting callers with the longest wait ticking, today’s counts, service level against the target and speed of answer', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [feedback, question] } });
    const view = await showView(fake);
    const figures = row('queue-feedback');
    expect(figures.getByTestId('waiting')).toHaveTextContent('2');
    expect(figures.getByTestId('longest-wait')).toHaveTextContent('30 s');
    expect(figures.getByTestId('service-level')).toHaveTextContent('95% meets target');
    expect(screen.getByTestId('queue-feedback')).toHaveTextContent('10 s'); // 200 s of waits over 20 answers
    expect(screen.getByTestId('queue-feedback')).toHaveTextContent('1 available, 2 on a call');
    expect(row('queue-question').getByTestId('longest-wait')).toHaveTextContent('none waiting');
    expect(row('queue-question').getByTestId('service-level')).toHaveTextContent('no calls answered yet');

    view.at(95_000);
    expect(figures.getByTestId('longest-wait')).toHaveTextContent('2 min 05 s');

    act(() => fake.live({ type: 'queue', figures: { ...feedback, answeredToday: 21, answeredWithinTargetToday: 19, waiting: 1 } }));
    expect(figures.getByTestId('waiting')).toHaveTextContent('1');
    expect(figures.getByTestId('service-level')).toHaveTextContent('90.4% below target');
  });

  it('measures service level against the target the supervisor sets', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [{ ...feedback, answeredWithinTargetToday: 18 }] } });
    await showView(fake);
    const user = userEvent.setup();
    expect(row('queue-feedback').getByTestId('service-level')).toHaveTextContent('90% below target');
    await user.click(screen.getByText('Targets and alert times'));
    const share = screen.getByLabelText(/Service-level target/);
    await user.clear(share);
    await user.type(share, '80');
    expect(row('queue-feedback').getByTestId('service-level')).toHaveTextContent('90% meets target');
  });
});

describe('the handlers board', () => {
  const picture: Partial<LivePictureState> = {
    handlers: [
      handler({ handlerId: 'sam', name: 'Sam Taylor', state: 'on-call', since: at(-90_000), currentCallId: 'c1', callsHandledToday: 4, handleMsToday: 4 * 300_000, missedOffersToday: 1 }),
      handler({ handlerId: 'alex', name: 'Alex Morgan', state: 'available', since: at(-600_000), callsHandledToday: 7, handleMsToday: 7 * 240_000 }),
      handler({ handlerId: 'jo', name: 'Jo Baker', teamIds: ['team-b'], state: 'break', breakReason: 'Lunch', since: at(-30_000), callsHandledToday: 1, handleMsToday: 200_000, missedOffersToday: 3 }),
    ],
    calls: [call({ id: 'c1', handlerId: 'sam', caseId: 'case-9' })],
    queues: [feedback],
  };
  const board = () => within(screen.getByRole('region', { name: 'Handlers' }));

  it('shows each handler’s state and time in it, current call, calls today, average handle time and missed offers', async () => {
    const fake = fakeSupervisorApi({ picture });
    const view = await showView(fake);
    const sam = row('handler-sam');
    expect(sam.getByText('On a call')).toBeInTheDocument();
    const cells = (id: string) => within(screen.getByTestId(id)).getAllByRole('cell').map((cell) => cell.textContent);
    // State, time in state, current call, calls today, average handle time, missed offers, actions.
    expect(cells('handler-sam').slice(0, 6)).toEqual(['On a call', '1:30', 'Feedback · talking · 1:30 · case linked', '4', '5 min', '1']);
    expect(cells('handler-jo').slice(0, 6)).toEqual(['On a break: Lunch', '0:30', '–', '1', '3 min 20 s', '3']);
    view.at(10_000);
    expect(cells('handler-sam').slice(0, 3)).toEqual(['On a call', '1:40', 'Feedback · talking · 1:40 · case linked']);
  });

  it('sorts by a column header, both ways, and says which way with aria-sort', async () => {
    await showView(fakeSupervisorApi({ picture }));
    const user = userEvent.setup();
    const table = within(board().getByRole('table'));
    const rowNames = () => table.getAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').textContent);
    expect(rowNames()).toEqual(['Alex Morgan', 'Jo Baker', 'Sam Taylor']);
    expect(table.getByRole('columnheader', { name: /Handler/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(table.getByRole('button', { name: /Calls today/ }));
    expect(rowNames()).toEqual(['Jo Baker', 'Sam Taylor', 'Alex Morgan']);
    expect(table.getByRole('columnheader', { name: /Calls today/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(table.getByRole('columnheader', { name: /Handler/ })).toHaveAttribute('aria-sort', 'none');
    // From the keyboard: the header is a button.
    table.getByRole('button', { name: /Calls today/ }).focus();
    await user.keyboard('{Enter}');
    expect(rowNames()).toEqual(['Alex Morgan', 'Sam Taylor', 'Jo Baker']);
    expect(table.getByRole('columnheader', { name: /Calls today/ })).toHaveAttribute('aria-sort', 'descending');

    await user.click(table.getByRole('button', { name: /Missed offers/ }));
    expect(rowNames()).toEqual(['Alex Morgan', 'Sam Taylor', 'Jo Baker']);
    await user.click(table.getByRole('button', { name: /Time in state/ }));
    expect(rowNames()).toEqual(['Alex Morgan', 'Sam Taylor', 'Jo Baker']);
  });

  it('filters by team and by state', async () => {
    await showView(fakeSupervisorApi({ picture }));
    const user = userEvent.setup();
    const rowNames = () => board().queryAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').textContent);
    await user.selectOptions(board().getByLabelText('Team'), 'Team 2');
    expect(rowNames()).toEqual(['Jo Baker']);
    await user.selectOptions(board().getByLabelText('Team'), 'All teams');
    await user.selectOptions(board().getByLabelText('State'), 'Available');
    expect(rowNames()).toEqual(['Alex Morgan']);
    expect(board().getByText('1 of 3 handlers')).toBeInTheDocument();
  });
});

describe('staying right across a reconnect', () => {
  it('replays events that arrive before the picture, lets a snapshot replace everything, and shows the live link', async () => {
    const fake = fakeSupervisorApi({ picture: { handlers: [handler({ handlerId: 'sam', name: 'Sam Taylor' })], queues: [feedback] } });
    await showView(fake);
    expect(screen.getByTestId('link-status')).toHaveTextContent('Live link: Live');
    act(() => fake.live({ type: 'handler', handler: handler({ handlerId: 'alex', name: 'Alex Morgan', state: 'wrap-up' }) }));
    expect(screen.getByTestId('handler-alex')).toHaveTextContent('Wrap-up');

    act(() => fake.link({ state: 'offline', reason: 'The central service cannot be reached.', nextRetryAt: at(5_000), since: at(1_000) }));
    expect(screen.getByTestId('link-status')).toHaveTextContent('Live link: Not live (The central service cannot be reached.). The figures may be out of date');

    // Back: the API's snapshot no longer has Sam (signed out meanwhile) and has new figures.
    act(() => fake.link({ state: 'connected', reason: null, nextRetryAt: null, since: at(9_000) }));
    act(() => fake.live({ type: 'snapshot', handlers: [handler({ handlerId: 'alex', name: 'Alex Morgan', state: 'available' })], calls: [], queues: [{ ...feedback, waiting: 0, longestWaitingSince: null }], at: at(9_000) }));
    expect(screen.getByTestId('link-status')).toHaveTextContent('Live link: Live');
    expect(screen.queryByTestId('handler-sam')).not.toBeInTheDocument();
    expect(screen.getByTestId('handler-alex')).toHaveTextContent('Available');
    expect(row('queue-feedback').getByTestId('waiting')).toHaveTextContent('0');
  });

  it('lets go of the live link when the view closes', async () => {
    const fake = fakeSupervisorApi();
    const before = fake.listenerCount();
    const view = await showView(fake);
    expect(fake.listenerCount()).toBeGreaterThan(before);
    view.unmount();
    expect(fake.listenerCount()).toBe(before);
  });
});

describe('alerts', () => {
  const alerts = () => within(screen.getByRole('region', { name: /Alerts/ }));

  it('raises a long wait once, before the target is missed, and clears it', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [{ ...feedback, answeredToday: 0, answeredWithinTargetToday: 0, longestWaitingSince: at(-40_000) }] } });
    const view = await showView(fake);
    expect(alerts().queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByTestId('alert-announcer')).toBeEmptyDOMElement();

    view.at(9_000); // 49 s: past 80% of the 60 s target
    expect(alerts().getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Feedback: a caller has waited 49 s (target 1 min).']);
    const announcer = screen.getByRole('alert');
    expect(announcer).toHaveTextContent('Feedback: a caller has waited 49 s (target 1 min).');
    view.at(12_000);
    expect(alerts().getByRole('listitem')).toHaveTextContent('52 s');
    // The list ticks; the announcement does not repeat.
    expect(announcer).toHaveTextContent('Feedback: a caller has waited 49 s (target 1 min).');

    act(() => fake.live({ type: 'queue', figures: { ...feedback, answeredToday: 0, answeredWithinTargetToday: 0, waiting: 0, longestWaitingSince: null } }));
    expect(alerts().queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByTestId('alert-announcer')).toBeEmptyDOMElement();
  });

  it('raises service level below target and a handler stuck in wrap-up or not responding past the set time', async () => {
    const fake = fakeSupervisorApi({
      picture: {
        queues: [{ ...feedback, waiting: 0, longestWaitingSince: null, answeredWithinTargetToday: 15 }],
        handlers: [handler({ handlerId: 'sam', name: 'Sam Taylor', state: 'wrap-up', since: at(-100_000) }), handler({ handlerId: 'alex', name: 'Alex Morgan', state: 'not-responding', since: at(-10_000) })],
      },
    });
    const view = await showView(fake);
    expect(alerts().getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Feedback: service level 75% today, below the target of 95%.']);
    view.at(21_000);
    expect(alerts().getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('alert')).toHaveTextContent('Sam Taylor has been in wrap-up for 2 min 01 s.');
    view.at(111_000);
    expect(alerts().getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByRole('alert')).toHaveTextContent(/^Alex Morgan has been not responding for 2 min 01 s\.$/);

    // Sam picks a disposition: their alert goes; Alex's stays.
    act(() => fake.live({ type: 'handler', handler: handler({ handlerId: 'sam', name: 'Sam Taylor', state: 'available', since: at(111_000) }) }));
    expect(alerts().getAllByRole('listitem').map((li) => li.textContent)).not.toContain(expect.stringContaining('Sam'));
    expect(alerts().getAllByRole('listitem')).toHaveLength(2);
  });

  it('sends a system notification only while the window is hidden, once per new alert', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [{ ...feedback, answeredToday: 0, answeredWithinTargetToday: 0, longestWaitingSince: at(-40_000) }], handlers: [handler({ handlerId: 'sam', name: 'Sam Taylor', state: 'wrap-up', since: at(-100_000) })] } });
    const view = await showView(fake);
    view.at(9_000);
    expect(alerts().getAllByRole('listitem')).toHaveLength(1);
    expect(view.notifier.notify).not.toHaveBeenCalled();

    view.window.hidden = true;
    view.at(10_000);
    view.at(21_000);
    expect(view.notifier.notify).toHaveBeenCalledTimes(1);
    expect(view.notifier.notify).toHaveBeenCalledWith({ title: 'Care Connect: new alert', body: 'Sam Taylor has been in wrap-up for 2 min 01 s.' });
    view.at(40_000);
    expect(view.notifier.notify).toHaveBeenCalledTimes(1);
    expect(view.notifier.prepare).toHaveBeenCalled();
  });
});

describe('supervisor actions', () => {
  const picture: Partial<LivePictureState> = {
    handlers: [
      handler({ handlerId: 'sam', name: 'Sam Taylor', state: 'not-responding', since: at(-20_000) }),
      handler({ handlerId: 'alex', name: 'Alex Morgan', state: 'on-call', currentCallId: 'c1' }),
      handler({ handlerId: 'jo', name: 'Jo Baker', state: 'on-call', currentCallId: 'c2' }),
    ],
    calls: [call({ id: 'c1', handlerId: 'alex', caseId: 'case-9' }), call({ id: 'c2', handlerId: 'jo', provider: 'twilio' })],
    queues: [feedback],
  };

  it('sets a handler back to available in one action, and keeps a refusal on screen', async () => {
    const fake = fakeSupervisorApi({ picture });
    await showView(fake);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Make available: Sam Taylor' }));
    expect(fake.sentTo('supervisor.setHandlerState')).toEqual([{ handlerId: 'sam', state: 'available' }]);
    expect(screen.getByTestId('handler-sam')).toHaveTextContent('Available');
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('Sam Taylor is now available.');

    // A handler on a call keeps their state until it ends: their row offers no state change.
    expect(screen.queryByRole('button', { name: 'Set offline: Alex Morgan' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Make available: Alex Morgan' })).not.toBeInTheDocument();

    // Sam answered a call meanwhile: the line refuses, and says why.
    fake.refuse('supervisor.setHandlerState', 'On a call. Sam Taylor is on a call; their state changes when it ends.');
    await user.click(screen.getByRole('button', { name: 'Set offline: Sam Taylor' }));
    const refusal = screen.getByTestId('action-outcome');
    expect(refusal).toHaveAttribute('role', 'alert');
    expect(refusal).toHaveTextContent('Could not change Sam Taylor’s state: On a call. Sam Taylor is on a call; their state changes when it ends.');
    // Live events keep coming; the refusal stays until the next action.
    act(() => fake.live({ type: 'queue', figures: { ...feedback, waiting: 5 } }));
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('Could not change Sam Taylor’s state');
  });

  it('reassigns the case on a handler’s call to a colleague of the team', async () => {
    const fake = fakeSupervisorApi({ picture, cases: [{ id: 'case-9', reference: 'CC-7K3M-9QXP' }] });
    await showView(fake);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reassign case on Alex Morgan’s call' }));
    const form = within(screen.getByRole('region', { name: 'Reassign a case' }));
    expect(form.getByText(/the case on Alex Morgan’s call/)).toBeInTheDocument();
    expect(form.getByLabelText('New handler')).toHaveFocus();
    expect(form.getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a handler', 'Sam Taylor', 'Alex Morgan', 'Priya Shah']);
    await user.selectOptions(form.getByLabelText('New handler'), 'Sam Taylor');
    await user.click(form.getByRole('button', { name: 'Reassign' }));
    expect(fake.sentTo('supervisor.reassignCase')).toEqual([{ caseId: 'case-9', ownerId: 'sam' }]);
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('Case CC-7K3M-9QXP now belongs to Sam Taylor.');
    expect(form.getByLabelText('Case reference')).toHaveValue('');
  });

  it('reassigns by reference, and explains a reference it cannot find or a refusal', async () => {
    const fake = fakeSupervisorApi({ picture, cases: [{ id: 'case-4', reference: 'CC-AAAA-BBBB' }] });
    await showView(fake);
    const user = userEvent.setup();
    const form = within(screen.getByRole('region', { name: 'Reassign a case' }));
    await user.type(form.getByLabelText('Case reference'), 'cc-zzzz-zzzz');
    await user.selectOptions(form.getByLabelText('New handler'), 'Alex Morgan');
    await user.click(form.getByRole('button', { name: 'Reassign' }));
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('There is no case CC-ZZZZ-ZZZZ among your team’s cases on this desk.');
    expect(fake.sentTo('supervisor.reassignCase')).toEqual([]);

    await user.clear(form.getByLabelText('Case reference'));
    await user.type(form.getByLabelText('Case reference'), 'CC-AAAA-BBBB');
    fake.refuse('supervisor.reassignCase', 'Choose a handler in the case’s team.');
    await user.click(form.getByRole('button', { name: 'Reassign' }));
    expect(fake.sentTo('supervisor.reassignCase')).toEqual([{ caseId: 'case-4', ownerId: 'alex' }]);
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('Could not reassign the case: Choose a handler in the case’s team.');
    // Kept, so the supervisor can fix the choice and try again.
    expect(form.getByLabelText('Case reference')).toHaveValue('CC-AAAA-BBBB');
  });

  it('offers Listen and Whisper on a Twilio call, and says why not on a simulated one', async () => {
    const fake = fakeSupervisorApi({ picture });
    await showView(fake);
    const user = userEvent.setup();
    const simulated = screen.getByRole('button', { name: 'Listen to Alex Morgan’s call' });
    expect(simulated).toBeDisabled();
    expect(simulated).toHaveAccessibleDescription('Listening in needs the Twilio line; this line is simulated.');
    expect(screen.getByRole('button', { name: 'Whisper to Alex Morgan' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Whisper to Jo Baker' }));
    expect(fake.sentTo('supervisor.monitorCall')).toEqual([{ callId: 'c2', mode: 'whisper' }]);
    expect(screen.getByTestId('action-outcome')).toHaveTextContent('only the handler will hear you');
    expect(screen.queryByRole('button', { name: /Listen to Sam Taylor/ })).not.toBeInTheDocument();
  });
});

describe('the simulator panel', () => {
  it('shows the simulator and starts, stops and sets its rates from labelled inputs', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [feedback, question] } });
    await showView(fake);
    const user = userEvent.setup();
    const panel = within(screen.getByRole('region', { name: 'Call simulator' }));
    expect(panel.getByTestId('simulator-status')).toHaveTextContent(/Status\s*Running\s*Calls generated\s*12\s*Callers on the line\s*3/);
    const questions = panel.getByLabelText('Questions');
    expect(questions).toHaveValue(30);
    await user.clear(questions);
    await user.type(questions, '240');
    await user.click(panel.getByRole('button', { name: 'Apply rates' }));
    expect(fake.sentTo('simulator.setRates')).toEqual([{ ratesPerHour: { feedback: 60, question: 240 } }]);

    await user.click(panel.getByRole('button', { name: 'Stop simulator' }));
    expect(fake.sentTo('simulator.stop')).toHaveLength(1);
    expect(panel.getByTestId('simulator-status')).toHaveTextContent('Stopped');
    await user.clear(panel.getByLabelText('Feedback'));
    await user.type(panel.getByLabelText('Feedback'), '9999');
    expect(panel.getByText('From 0 to 3600 calls per hour.')).toBeInTheDocument();
    expect(panel.getByRole('button', { name: 'Start simulator' })).toBeDisabled();
    await user.clear(panel.getByLabelText('Feedback'));
    await user.type(panel.getByLabelText('Feedback'), '120');
    await user.click(panel.getByRole('button', { name: 'Start simulator' }));
    expect(fake.sentTo('simulator.start')).toEqual([{ ratesPerHour: { feedback: 120, question: 240 } }]);
    expect(panel.getByTestId('simulator-status')).toHaveTextContent('Running');
  });

  it('says so when the line has no simulator', async () => {
    const fake = fakeSupervisorApi({ simulator: null });
    render(<SupervisorView api={fake.api} now={T0} notifier={{ prepare: vi.fn(), notify: vi.fn() }} isHidden={() => false} simulatorPollMs={0} />);
    const panel = within(await screen.findByRole('region', { name: 'Call simulator' }));
    expect(await panel.findByText(/This line runs on Twilio, so there is no call simulator to control./)).toBeInTheDocument();
    expect(panel.queryByRole('button')).not.toBeInTheDocument();
  });
});
