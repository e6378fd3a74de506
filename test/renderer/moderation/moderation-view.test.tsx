import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HomeScreen } from '../../../src-renderer/features/home/home-screen';
import { ModerationView } from '../../../src-renderer/features/moderation';
import type { SessionState } from '../../../src-shared/contract/session';
import { fakeModerationApi, type FakeCase } from './fake-moderation-api';

const WORDS = 'My mum Bernadette Quigley, NHS 943 476 5919, waited nine hours in A&E and Nurse Okafor was rude. Call me on 07400 123456.';
const CASE: FakeCase = { id: 'case-1', reference: 'CC-7K3M-9QXP', callerName: 'Bernadette Quigley', callerWords: WORDS };

async function openCase(reference = CASE.reference) {
  const user = userEvent.setup();
  await user.click(await screen.findByTestId(`moderation-item-${reference}`));
  await screen.findByRole('heading', { name: new RegExp(`Feedback ${reference}`) });
  return user;
}

const editor = () => screen.getByLabelText('Moderated description (published)');
const marksIn = (element: HTMLElement) => [...element.querySelectorAll('mark')].map((mark) => mark.textContent);

describe('the moderation screen', () => {
  it('shows the caller’s words, marked “never published”, with each identifying detail labelled by its kind', async () => {
    render(<ModerationView api={fakeModerationApi([CASE]).api} userId="priya" />);
    await openCase();
    const words = screen.getByRole('region', { name: /Caller’s words/ });
    expect(within(words).getByText('never published')).toBeInTheDocument();
    expect(marksIn(screen.getByTestId('caller-words'))).toEqual(['Name: Bernadette Quigley', 'NHS number: 943 476 5919', 'Name: Nurse Okafor', 'Phone number: 07400 123456']);
    const nhs = [...screen.getByTestId('caller-words').querySelectorAll('mark')][1]!;
    expect(nhs).toHaveAttribute('title', 'NHS number');
    // The caller's words are not editable and are not in the moderated description.
    expect(within(words).queryByRole('textbox')).not.toBeInTheDocument();
    expect(editor()).toHaveValue('');
  });

  it('highlights details in the moderated description as the moderator types, and drops them as they are removed', async () => {
    render(<ModerationView api={fakeModerationApi([CASE]).api} userId="priya" />);
    const user = await openCase();
    await user.type(editor(), 'A relative waited. Ring 07400 123456');
    expect(screen.getByTestId('moderated-description-count')).toHaveTextContent('1 identifying detail found');
    expect(marksIn(screen.getByTestId('moderated-description-highlights'))).toEqual(['07400 123456']);
    expect(screen.getByLabelText(/Reason to publish Phone number “07400 123456”/)).toBeInTheDocument();
    // The caller's name, known to the API, is found in any case as the moderator types it.
    await user.type(editor(), ' and ask for quigley');
    expect(marksIn(screen.getByTestId('moderated-description-highlights'))).toEqual(['07400 123456', 'quigley']);
    await user.clear(editor());
    await user.type(editor(), 'A relative waited nine hours.');
    expect(screen.getByTestId('moderated-description-count')).toHaveTextContent('No identifying details found.');
    expect(marksIn(screen.getByTestId('moderated-description-highlights'))).toEqual([]);
  });

  it('refuses approval while details remain, shows the API’s sentence at each detail, and publishes once each is overridden with a reason', async () => {
    const fake = fakeModerationApi([CASE]);
    render(<ModerationView api={fake.api} userId="priya" />);
    const user = await openCase();
    await user.type(editor(), 'Thanks to Dr Patel. NHS 943 476 5919.');
    await user.click(screen.getByRole('button', { name: 'Approve' }));

    const summary = await screen.findByTestId('moderated-description-refusal');
    expect(summary).toHaveAttribute('role', 'alert');
    expect(within(summary).getAllByRole('link').map((link) => link.textContent)).toEqual(['Name “Dr Patel” (characters 11 to 18)', 'NHS number “943 476 5919” (characters 25 to 36)']);
    const patelReason = screen.getByLabelText(/Reason to publish Name “Dr Patel”/);
    expect(patelReason).toHaveAttribute('aria-invalid', 'true');
    expect(patelReason).toHaveAccessibleDescription('Name “Dr Patel” (characters 11 to 18): remove it, or say why it may be published.');
    // The summary's link takes the moderator to the field.
    expect(within(summary).getAllByRole('link')[0]).toHaveAttribute('href', `#${patelReason.id}`);
    expect(fake.views.get(CASE.id)!.state).toBe('new');

    // Remove the NHS number; keep the doctor's name, with a reason.
    await user.clear(editor());
    await user.type(editor(), 'Thanks to Dr Patel, who explained everything.');
    await user.type(screen.getByLabelText(/Reason to publish Name “Dr Patel”/), 'Staff member named in praise');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByTestId('moderation-outcome')).toHaveTextContent('Approved and published');
    expect(screen.queryByTestId('moderated-description-refusal')).not.toBeInTheDocument();
    const approval = fake.calls.filter((call) => call.name === 'moderation.approve').at(-1)!.input;
    expect(approval).toEqual({ caseId: CASE.id, text: 'Thanks to Dr Patel, who explained everything.', overrides: [{ kind: 'name', text: 'Dr Patel', reason: 'Staff member named in praise' }] });
    expect(screen.getByTestId('published-description')).toHaveTextContent('Thanks to Dr Patel, who explained everything.');
    expect(screen.getByTestId('moderator-status')).toHaveTextContent('Published, approved by Priya Shah');
  });

  it('shows that a flagged case needs a second moderator, and lets a different supervisor publish it', async () => {
    const flagged = { ...CASE, needsSecondModeration: true };
    const fake = fakeModerationApi([flagged]);
    const { unmount } = render(<ModerationView api={fake.api} userId="priya" />);
    let user = await openCase();
    expect(screen.getByTestId('moderator-status')).toHaveTextContent('This case needs two moderators');
    await user.type(editor(), 'A relative waited nine hours and a nurse was rude.');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.getByTestId('moderator-status')).toHaveTextContent('Approved once by Priya Shah (you); needs a second moderator. Another supervisor must approve the same text.'));
    expect(screen.getByTestId('moderation-outcome')).toHaveTextContent('needs a second moderator');
    expect(screen.getByTestId(`moderation-item-${CASE.reference}`)).toHaveTextContent('Approved once by Priya Shah; needs a second moderator');
    // Priya again: refused by the API, in its words.
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByTestId('moderation-outcome')).toHaveTextContent('A second moderator must approve this case');
    unmount();

    fake.actAs({ id: 'omar', name: 'Omar Said' });
    render(<ModerationView api={fake.api} userId="omar" />);
    user = await openCase();
    expect(screen.getByTestId('moderator-status')).toHaveTextContent('Approved once by Priya Shah; needs a second moderator. Approve the same text to publish it.');
    expect(editor()).toHaveValue('A relative waited nine hours and a nurse was rude.');
    await user.click(screen.getByRole('button', { name: 'Approve as second moderator' }));
    await waitFor(() => expect(screen.getByTestId('moderator-status')).toHaveTextContent('Published, approved by Priya Shah and Omar Said'));
  });

  it('rejects with a reason, which it needs first, and moves the case out of the pending queue', async () => {
    const fake = fakeModerationApi([CASE, { ...CASE, id: 'case-2', reference: 'CC-2222-2222', createdAt: '2026-03-11T09:00:00.000Z' }]);
    render(<ModerationView api={fake.api} userId="priya" />);
    const user = await openCase();
    const reject = screen.getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await user.type(screen.getByLabelText('Reason'), 'Names a member of staff throughout');
    await user.click(reject);
    expect(await screen.findByTestId('moderation-outcome')).toHaveTextContent('Rejected: it will not be published.');
    expect(screen.getByTestId('moderator-status')).toHaveTextContent('Rejected: Names a member of staff throughout');
    await waitFor(() => expect(screen.queryByTestId(`moderation-item-${CASE.reference}`)).not.toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Cases to show'), 'Rejected');
    expect(await screen.findByTestId(`moderation-item-${CASE.reference}`)).toHaveTextContent('Rejected');
  });

  it('lists the queue oldest first and opens a case from the keyboard', async () => {
    const fake = fakeModerationApi([{ ...CASE, id: 'late', reference: 'CC-LATE-0001', createdAt: '2026-03-12T09:00:00.000Z' }, CASE]);
    render(<ModerationView api={fake.api} userId="priya" />);
    const items = await screen.findAllByTestId(/^moderation-item-/);
    expect(items.map((item) => item.dataset.testid)).toEqual([`moderation-item-${CASE.reference}`, 'moderation-item-CC-LATE-0001']);
    const user = userEvent.setup();
    items[1]!.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: /Feedback CC-LATE-0001/ })).toBeInTheDocument();
    expect(items[1]).toHaveAttribute('aria-current', 'true');
  });
});

describe('the moderation view on the switch', () => {
  const session = (role: 'supervisor' | 'admin'): SessionState => ({
    status: 'signed-in',
    persistent: false,
    user: { id: 'priya', email: `${role}@demo.test`, name: 'Priya Shah', role, teamIds: ['team-a'], disabled: false, createdAt: '2026-01-01T00:00:00.000Z' },
  });

  it('is a fourth view for a supervisor, and not offered to an administrator, who does not moderate', async () => {
    const fake = fakeModerationApi([CASE]);
    const { unmount } = render(<HomeScreen api={fake.api} storage={null} session={session('supervisor')} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Moderation' }));
    expect(await screen.findByRole('heading', { name: 'Moderation', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Moderation' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.getElementById('main')).toHaveAttribute('hidden');
    expect(await screen.findByTestId(`moderation-item-${CASE.reference}`)).toBeInTheDocument();
    unmount();
    render(<HomeScreen api={fake.api} storage={null} session={session('admin')} />);
    await screen.findByRole('button', { name: 'Live view' });
    expect(screen.queryByRole('button', { name: 'Moderation' })).not.toBeInTheDocument();
  });
});
