import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src-renderer/api';
import { createCaseWorkspaceStore } from '../../../src-renderer/features/cases/case-workspace-store';
import { memoryDraftStorage } from '../../../src-renderer/features/cases/draft-storage';
import { Timeline } from '../../../src-renderer/features/cases/notes-timeline';
import { ConversationPanel } from '../../../src-renderer/features/inbox/conversation-panel';
import type { CaseDetail, CaseEvent, ReferenceData } from '../../../src-shared/contract/cases';
import { defaultCaseFields } from '../../../src-shared/domain/case-record';
import { fail, ok, type Result } from '../../../src-shared/result';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 9, minute)).toISOString();

function message(id: string, direction: 'inbound' | 'outbound', body: string, minute: number, extra: Record<string, unknown> = {}): CaseEvent {
  return { id, caseId: 'k1', kind: 'message', field: null, oldValue: null, newValue: { direction, channel: 'email', externalId: null, ...extra }, body, authorId: direction === 'inbound' ? 'intake' : 'u-asha', authorName: direction === 'inbound' ? 'Patient (email)' : 'Asha', at: at(minute) };
}

function caseDetail(timeline: CaseEvent[], patch: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 'k1',
    reference: 'CC-7K3M-9QXP',
    status: 'open',
    isOpen: true,
    fields: { ...defaultCaseFields('question', 'email'), description: 'Parking question' },
    ownerId: 'intake',
    createdBy: 'intake',
    createdAt: at(0),
    updatedAt: at(0),
    closedAt: null,
    version: 1,
    caller: null,
    provider: null,
    timeline,
    allowedStatuses: ['answered'],
    missing: [],
    conflicts: [],
    names: {},
    ...patch,
  };
}

const reference: ReferenceData = {
  categories: [],
  dispositions: [
    { id: 'information-given', label: 'Information given', resolves: true },
    { id: 'wrong-number', label: 'Wrong number / not for us', resolves: false },
  ],
  queues: [],
  providerCount: 0,
  users: [],
};

async function panel(detail: CaseDetail, answers: { reply?: (body: string) => Result<CaseEvent>; claim?: () => Result<unknown>; resolve?: (id: string) => Result<CaseDetail> }) {
  const calls: { name: string; input: unknown }[] = [];
  const api: Api = {
    transport: 'websocket',
    async request(name, input) {
      calls.push({ name, input });
      if (name === 'cases.get' || name === 'cases.open') return ok(detail) as never;
      if (name === 'inbox.reply') return answers.reply!((input as { body: string }).body) as never;
      if (name === 'inbox.claim') return answers.claim!() as never;
      if (name === 'inbox.resolve') return answers.resolve!((input as { dispositionId: string }).dispositionId) as never;
      return fail('unknown-request', name) as never;
    },
    on: () => () => undefined,
  };
  const workspace = createCaseWorkspaceStore(api, memoryDraftStorage());
  await workspace.getState().open('k1', 'inbox');
  render(<ConversationPanel api={api} workspace={workspace} reference={reference} />);
  return { calls, workspace };
}

describe('the conversation on a case', () => {
  it('threads the patient’s messages and the replies in order, with channel, time and the email’s subject', async () => {
    await panel(caseDetail([message('m1', 'inbound', 'Where can I park?', 1, { subject: 'Parking at Ward 7' }), message('m2', 'outbound', 'Car park B, by the main entrance.', 5, { subject: 'Re: Parking at Ward 7 [CC-7K3M-9QXP]' })]), {});
    const thread = screen.getByRole('list', { name: 'Conversation' });
    const items = within(thread).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveClass('thread__message--inbound');
    expect(items[0]).toHaveTextContent('Patient (email)');
    expect(items[0]).toHaveTextContent('Email');
    expect(items[0]).toHaveTextContent('Subject: Parking at Ward 7');
    expect(items[0]).toHaveTextContent('Where can I park?');
    expect(items[1]).toHaveClass('thread__message--outbound');
    expect(items[1]).toHaveTextContent('Asha replied');
    expect(items[1]).toHaveTextContent('Car park B, by the main entrance.');
    expect(within(items[0]!).getByText(/\d\d:\d\d|Nov/)).toBeInTheDocument();
  });

  it('sends a reply started from a template, and adds it to the thread from the answer', async () => {
    const sent: string[] = [];
    const { workspace } = await panel(caseDetail([message('m1', 'inbound', 'Where can I park?', 1)]), {
      reply: (body) => {
        sent.push(body);
        return ok(message('m9', 'outbound', body, 9));
      },
    });
    fireEvent.change(screen.getByLabelText('Start from a template'), { target: { value: 'acknowledge' } });
    const box = screen.getByLabelText('Reply to the patient') as HTMLTextAreaElement;
    expect(box.value).toContain('Your reference is CC-7K3M-9QXP.');
    fireEvent.change(box, { target: { value: `${box.value} Car park B is nearest.` } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Conversation' })).getAllByRole('listitem')).toHaveLength(2));
    expect(sent[0]).toMatch(/Thank you for contacting Care Connect.*Car park B is nearest\.$/);
    expect(box.value).toBe('');
    expect(workspace.getState().detail!.timeline.at(-1)!.id).toBe('m9');
  });

  it('shows the central API’s refusal in its words and keeps the text', async () => {
    await panel(caseDetail([message('m1', 'inbound', 'Where can I park?', 1)]), {
      reply: () => fail('unavailable', 'Email replies are not set up. No mail server is configured on this API (SMTP_URL), so it cannot send email.'),
    });
    const box = screen.getByLabelText('Reply to the patient') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Car park B.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Email replies are not set up. No mail server is configured');
    expect(box.value).toBe('Car park B.');
    expect(within(screen.getByRole('list', { name: 'Conversation' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('claims an unclaimed contact, and says who was first when someone else was', async () => {
    let first = true;
    const { workspace } = await panel(caseDetail([message('m1', 'inbound', 'Hi', 1)]), {
      claim: () => (first ? ((first = false), fail('invalid-input', 'Already taken by Sam.')) : ok({ caseId: 'k1', ownerId: 'u-asha' })),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Claim this contact' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Already taken by Sam.');
    fireEvent.click(screen.getByRole('button', { name: 'Claim this contact' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Claim this contact' })).toBeNull());
    expect(workspace.getState().detail!.ownerId).toBe('u-asha');
  });

  it('resolves with a chosen disposition, and then offers no reply box', async () => {
    const chosen: string[] = [];
    await panel(caseDetail([message('m1', 'inbound', 'Hi', 1)]), {
      resolve: (id) => {
        chosen.push(id);
        return ok(caseDetail([message('m1', 'inbound', 'Hi', 1)], { status: 'answered', isOpen: false }));
      },
    });
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Disposition'), { target: { value: 'information-given' } });
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(screen.queryByLabelText('Reply to the patient')).toBeNull());
    expect(chosen).toEqual(['information-given']);
  });
});

describe('the case history', () => {
  it('tells moderation and provider steps in words, and names a provider as a provider', () => {
    const base = { caseId: 'k1', field: null, oldValue: null, at: at(3) };
    render(
      <Timeline
        events={[
          { ...base, id: 'd1', kind: 'moderation', newValue: { step: 'approved', tier: 1, needsSecond: true, overrides: [] }, body: 'A ward was cold.', authorId: 'u-sam', authorName: 'Sam' },
          { ...base, id: 'p1', kind: 'provider', newValue: { step: 'acknowledged', referralId: 'r1', providerId: 'rx1' }, body: null, authorId: 'provider:rx1', authorName: 'Northbridge Hospitals' },
          { ...base, id: 'm1', kind: 'message', newValue: { direction: 'inbound', channel: 'sms' }, body: 'Hello', authorId: 'intake', authorName: 'Patient (SMS)' },
        ]}
        names={{}}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Case history' })).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Patient (SMS)');
    expect(items[0]).toHaveTextContent('Message from the patient by SMS.');
    expect(items[1]).toHaveTextContent('Northbridge Hospitals (provider)');
    expect(items[1]).toHaveTextContent('The provider acknowledged the case.');
    expect(items[2]).toHaveTextContent('Approved the moderated description as first moderator; a second moderator must approve it too.');
    expect(items[2]).toHaveTextContent('A ward was cold.');
  });
});

describe('a web-form contact', () => {
  it('starts its thread with what the patient wrote in the form', async () => {
    const detail = caseDetail([], { fields: { ...defaultCaseFields('question', 'web'), description: 'Can I bring my dog?', contactMethod: 'email', contactEmail: 'jo@example.org' } });
    await panel(detail, {});
    const items = within(screen.getByRole('list', { name: 'Conversation' })).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('Patient (web form)');
    expect(items[0]).toHaveTextContent('Can I bring my dog?');
    expect(screen.getByText(/The patient asked for a reply by email/)).toBeInTheDocument();
  });
});
