import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ProviderReferral } from '../../../src-renderer/features/moderation';
import { fail } from '../../../src-shared/result';
import { fakeModerationApi } from './fake-moderation-api';

const NOW = Date.parse('2026-03-11T09:00:00.000Z');

describe('sending a case to its provider', () => {
  it('asks for a provider first', () => {
    render(<ProviderReferral api={fakeModerationApi([]).api} caseId="case-1" providerId={null} providerName={null} now={() => NOW} />);
    expect(screen.getByText('Choose the provider above to send this case to them.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send to provider' })).not.toBeInTheDocument();
  });

  it('sends a link with a summary, then shows how far each link got and withdraws the earlier one', async () => {
    const fake = fakeModerationApi([]);
    render(<ProviderReferral api={fake.api} caseId="case-1" providerId="provider-rj7" providerName="St George’s Hospital" now={() => NOW} />);
    const user = userEvent.setup();
    expect(screen.getByRole('radio', { name: 'A secure link to read it and respond' })).toBeChecked();
    await user.type(screen.getByLabelText(/Summary for the provider/), 'A patient waited nine hours for a bed.');
    await user.click(screen.getByRole('button', { name: 'Send to provider' }));
    expect(await screen.findByTestId('referral-outcome')).toHaveTextContent('Sent to St George’s Hospital.');
    expect(fake.calls.find((call) => call.name === 'referrals.send')?.input).toEqual({ caseId: 'case-1', mode: 'link', summary: 'A patient waited nine hours for a bed.' });
    expect(await screen.findByTestId('referral-state')).toHaveTextContent('Sent');

    // The provider opens it and acknowledges it (as the API would record), and the handler checks.
    const [sent] = fake.referrals.get('case-1')!;
    fake.referrals.set('case-1', [{ ...sent!, firstOpenedAt: '2026-03-10T11:00:00.000Z', acknowledgedAt: '2026-03-10T12:00:00.000Z' }]);
    await user.click(screen.getByRole('button', { name: 'Check for updates' }));
    await waitFor(() => expect(screen.getByTestId('referral-state')).toHaveTextContent('Acknowledged'));
    const steps = within(screen.getByRole('list', { name: 'Progress' })).getAllByRole('listitem').map((item) => item.textContent);
    expect(steps[1]).toMatch(/^Opened: 10 Mar 2026/);
    expect(steps[3]).toBe('Addressed: not yet');

    // Sending by summary replaces the link: the earlier one shows as withdrawn.
    await user.click(screen.getByRole('radio', { name: /moderated description in the email/ }));
    expect(screen.queryByLabelText(/Summary for the provider/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send to provider' }));
    await waitFor(() => expect(screen.getAllByTestId('referral-state').map((state) => state.textContent)).toEqual(['Sent', 'Link withdrawn (acknowledged before that)']));
  });

  it('says why it was not sent, in the central service’s words', async () => {
    const fake = fakeModerationApi([]);
    const api = { ...fake.api, request: (async (name, input) => (name === 'referrals.send' ? fail('invalid-input', 'St George’s Hospital has no contact email address.') : fake.api.request(name, input))) as typeof fake.api.request };
    render(<ProviderReferral api={api} caseId="case-1" providerId="provider-rj7" providerName="St George’s Hospital" now={() => NOW} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send to provider' }));
    const outcome = await screen.findByTestId('referral-outcome');
    expect(outcome).toHaveAttribute('role', 'alert');
    expect(outcome).toHaveTextContent('Not sent: St George’s Hospital has no contact email address.');
  });
});
