import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src-renderer/api';
import { createInboxStore } from '../../../src-renderer/features/inbox/inbox-store';
import { InboxView } from '../../../src-renderer/features/inbox/inbox-view';
import type { InboxItem, InboxPage } from '../../../src-shared/contract/inbox';
import { DEFAULT_SERVICE_TARGETS, dueText } from '../../../src-shared/inbox/service-targets';
import { fail, ok, type Result } from '../../../src-shared/result';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function item(patch: Partial<InboxItem> & Pick<InboxItem, 'id' | 'channel'>): InboxItem {
  return { reference: `CC-${patch.id.toUpperCase()}`, type: 'question', status: 'open', createdAt: ago(10), ownerId: 'intake', ownerName: null, claimed: false, preview: '', lastMessageAt: null, lastMessageDirection: null, ...patch };
}

/** The inbox's requests answered as the core would; `claim` decides each claim's answer. */
function inboxApi(items: InboxItem[], claim: (caseId: string) => Result<{ caseId: string; ownerId: string }> = (caseId) => ok({ caseId, ownerId: 'me' })) {
  const calls: { name: string; input: unknown }[] = [];
  let shown = items;
  let gate: Promise<void> | null = null;
  const changed = new Set<() => void>();
  const api: Api = {
    transport: 'websocket',
    async request(name, input) {
      calls.push({ name, input });
      if (name === 'inbox.list') {
        if (gate) await gate;
        const page: InboxPage = { items: shown, total: shown.length, totalCapped: false, targets: DEFAULT_SERVICE_TARGETS, now: new Date(NOW).toISOString() };
        return ok(page) as never;
      }
      if (name === 'inbox.claim') return claim((input as { caseId: string }).caseId) as never;
      return fail('unknown-request', name) as never;
    },
    on(name, listener) {
      if (name !== 'cases.changed') return () => undefined;
      const heard = () => (listener as (payload: { caseIds: string[] }) => void)({ caseIds: [] });
      changed.add(heard);
      return () => changed.delete(heard);
    },
  };
  return {
    api,
    calls,
    show: (next: InboxItem[]) => (shown = next),
    /** Sync pulled changes to cases (the core's `cases.changed`). */
    syncChangedCases: () => changed.forEach((heard) => heard()),
    /** Holds the list's answers until the returned function is called. */
    holdAnswers(): () => void {
      let release = () => undefined as void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const listCalls = (calls: { name: string }[]) => calls.filter((call) => call.name === 'inbox.list').length;

describe('the shared inbox', () => {
  it('shows a contact that sync brings in while the inbox is open, and stops listening once closed', async () => {
    const inbox = inboxApi([item({ id: 'web1', channel: 'web', createdAt: ago(30) })]);
    const view = render(<InboxView store={createInboxStore(inbox.api)} reference={null} now={NOW} onOpen={() => undefined} />);
    expect(await screen.findAllByRole('listitem')).toHaveLength(1);
    inbox.show([item({ id: 'web1', channel: 'web', createdAt: ago(30) }), item({ id: 'sms9', channel: 'sms', createdAt: ago(1), preview: 'Can I change my appointment?' })]);
    inbox.syncChangedCases();
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(2));
    expect(screen.getByRole('listitem', { name: 'SMS contact CC-SMS9' })).toHaveTextContent('Can I change my appointment?');
    expect(screen.getByText('2 open contacts, oldest first')).toBeInTheDocument();
    view.unmount();
    const before = listCalls(inbox.calls);
    inbox.syncChangedCases();
    await Promise.resolve();
    expect(listCalls(inbox.calls)).toBe(before);
  });

  it('reloads once more, not once a page, when a catch-up brings many pages while a reload is under way', async () => {
    const inbox = inboxApi([item({ id: 'web1', channel: 'web' })]);
    render(<InboxView store={createInboxStore(inbox.api)} reference={null} now={NOW} onOpen={() => undefined} />);
    await screen.findAllByRole('listitem');
    const release = inbox.holdAnswers();
    const before = listCalls(inbox.calls);
    for (let page = 0; page < 12; page++) inbox.syncChangedCases();
    release();
    await waitFor(() => expect(listCalls(inbox.calls)).toBe(before + 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listCalls(inbox.calls)).toBe(before + 2);
  });

  it('shows each contact oldest first with its channel, age against its target, who has it and the newest words', async () => {
    const { api } = inboxApi([
      item({ id: 'web1', channel: 'web', createdAt: ago(25 * 60), preview: 'How do I get my discharge letter?' }),
      item({ id: 'sms1', channel: 'sms', createdAt: ago(160), preview: 'Is the clinic open?', claimed: true, ownerId: 'u-sam', ownerName: 'Sam', lastMessageDirection: 'outbound' }),
      item({ id: 'soc1', channel: 'social', createdAt: ago(45), preview: 'Parking was awful' }),
    ]);
    render(<InboxView store={createInboxStore(api)} reference={null} now={NOW} onOpen={() => undefined} />);
    const rows = await screen.findAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['Web form contact CC-WEB1', 'SMS contact CC-SMS1', 'Social media contact CC-SOC1']);
    // Web: 24 h target, 25 h old. SMS: 4 h target, 2 h 40 old. Social: 2 h target, 45 min old.
    expect(rows[0]).toHaveTextContent('overdue by 1 h');
    expect(rows[0]).toHaveTextContent('25 h');
    expect(rows[0]).toHaveTextContent('Unclaimed');
    expect(rows[0]).toHaveTextContent('How do I get my discharge letter?');
    expect(rows[0]).toHaveClass('inbox-row--overdue');
    expect(rows[1]).toHaveTextContent('due in 1 h 20');
    expect(rows[1]).toHaveTextContent('Sam');
    expect(rows[1]).toHaveTextContent('You replied: Is the clinic open?');
    expect(within(rows[1]!).queryByRole('button', { name: /Claim/ })).toBeNull();
    expect(rows[2]).toHaveTextContent('due in 1 h 15');
    expect(screen.getByText('3 open contacts, oldest first')).toBeInTheDocument();
  });

  it('asks the desk for the contacts matching each filter', async () => {
    const { api, calls } = inboxApi([]);
    render(<InboxView store={createInboxStore(api)} reference={null} now={NOW} onOpen={() => undefined} />);
    await screen.findByText('No open contacts match these filters.');
    fireEvent.change(screen.getByLabelText('Channel'), { target: { value: 'sms' } });
    fireEvent.change(screen.getByLabelText('Queue'), { target: { value: 'general-enquiry' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'in-progress' } });
    fireEvent.change(screen.getByLabelText('Age'), { target: { value: 'overdue' } });
    fireEvent.change(screen.getByLabelText('Who has it'), { target: { value: 'unclaimed' } });
    await waitFor(() => expect(calls.filter((c) => c.name === 'inbox.list')).toHaveLength(6));
    expect(calls.at(-1)!.input).toEqual({ channel: 'sms', type: 'general-enquiry', status: 'in-progress', age: 'overdue', owner: 'unclaimed', limit: 100 });
    fireEvent.change(screen.getByLabelText('Channel'), { target: { value: '' } });
    await waitFor(() => expect(calls.at(-1)!.input).toEqual({ type: 'general-enquiry', status: 'in-progress', age: 'overdue', owner: 'unclaimed', limit: 100 }));
  });

  it('shows who was first when a claim is refused, and the list as it stands now', async () => {
    const contact = item({ id: 'sms1', channel: 'sms', preview: 'Is the clinic open?' });
    const fake = inboxApi([contact], () => fail('invalid-input', 'Already taken by Sam.'));
    render(<InboxView store={createInboxStore(fake.api)} reference={null} now={NOW} onOpen={() => undefined} />);
    fake.show([{ ...contact, claimed: true, ownerId: 'u-sam', ownerName: 'Sam' }]);
    fireEvent.click(await screen.findByRole('button', { name: 'Claim CC-SMS1' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Already taken by Sam.');
    const row = screen.getByRole('listitem');
    expect(row).toHaveTextContent('Sam');
    expect(within(row).queryByRole('button', { name: /Claim/ })).toBeNull();
  });

  it('opens a contact', async () => {
    const opened: string[] = [];
    const { api } = inboxApi([item({ id: 'web1', channel: 'web' })]);
    render(<InboxView store={createInboxStore(api)} reference={null} now={NOW} onOpen={(id) => opened.push(id)} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open CC-WEB1' }));
    expect(opened).toEqual(['web1']);
  });
});

describe('due and overdue', () => {
  it('counts down to the channel’s target and then up past it', () => {
    expect(dueText(ago(100), 'social', DEFAULT_SERVICE_TARGETS, NOW)).toEqual({ text: 'due in 20 min', overdue: false });
    expect(dueText(ago(155), 'social', DEFAULT_SERVICE_TARGETS, NOW)).toEqual({ text: 'overdue by 35 min', overdue: true });
    expect(dueText(ago(0), 'email', DEFAULT_SERVICE_TARGETS, NOW)).toEqual({ text: 'due in 24 h', overdue: false });
    expect(dueText(ago(4 * 24 * 60), 'web', DEFAULT_SERVICE_TARGETS, NOW)).toEqual({ text: 'overdue by 3 d', overdue: true });
    expect(dueText(ago(6 * 24 * 60 + 60), 'web', DEFAULT_SERVICE_TARGETS, NOW)).toEqual({ text: 'overdue by 5 d 1 h', overdue: true });
  });
});
