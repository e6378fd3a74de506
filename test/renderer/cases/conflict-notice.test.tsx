import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConflictNotice } from '../../../src-renderer/features/cases/conflict-notice';

describe('the conflict notice on a case', () => {
  it('says who changed the field while the handler was offline, and shows what the handler had typed', () => {
    const at = new Date();
    at.setHours(14, 2, 0, 0);
    render(
      <ConflictNotice
        conflicts={[
          {
            id: 'c1',
            field: 'description',
            kind: 'stale-edit',
            losingValue: 'My words',
            losingByName: 'Asha',
            losingAt: at.toISOString(),
            winningValue: 'Ben’s words',
            winningByName: 'Ben',
            winningAt: at.toISOString(),
            reason: 'Changed by Ben while this edit was offline.',
          },
        ]}
        names={{}}
      />,
    );
    const notice = screen.getByTestId('conflicts');
    expect(notice).toHaveTextContent('What the caller said was changed by Ben at 14:02 while you were offline');
    expect(notice).toHaveTextContent('Yours (Asha): My words');
  });

  it('names the caller and the provider of a lost edit, never their ids', () => {
    const at = new Date().toISOString();
    const lost = { kind: 'stale-edit' as const, losingByName: 'Asha', losingAt: at, winningByName: 'Ben', winningAt: at, reason: 'Changed by Ben.' };
    render(
      <ConflictNotice
        conflicts={[
          { ...lost, id: 'c1', field: 'callerId', losingValue: 'caller-ann', winningValue: 'caller-gone' },
          { ...lost, id: 'c2', field: 'providerId', losingValue: null, winningValue: 'provider-nb' },
        ]}
        names={{ 'caller-ann': 'Ann Jones', 'provider-nb': 'Northbridge Hospitals' }}
      />,
    );
    const [caller, provider] = within(screen.getByTestId('conflicts')).getAllByRole('listitem');
    expect(caller).toHaveTextContent('Kept: a caller not on this desk. Yours (Asha): Ann Jones.');
    expect(provider).toHaveTextContent('Kept: Northbridge Hospitals. Yours (Asha): nothing.');
    expect(screen.getByTestId('conflicts')).not.toHaveTextContent(/caller-|provider-/);
  });

  it('shows nothing when no edit was lost', () => {
    const { container } = render(<ConflictNotice conflicts={[]} names={{}} />);
    expect(container).toBeEmptyDOMElement();
  });
});
