import { render, screen } from '@testing-library/react';
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
      />,
    );
    const notice = screen.getByTestId('conflicts');
    expect(notice).toHaveTextContent('What the caller said was changed by Ben at 14:02 while you were offline');
    expect(notice).toHaveTextContent('Yours (Asha): My words');
  });

  it('shows nothing when no edit was lost', () => {
    const { container } = render(<ConflictNotice conflicts={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
