import type { CaseConflict } from '../../../src-shared/contract/cases';
import { describeValue, fieldLabels, formatWhen } from './case-labels';

/**
 * "Changed by Ben at 14:02 while you were offline": edits of this case that lost to a colleague's, or that the
 * central service refused. What the handler typed is shown, so it can be copied back in if it still matters.
 */
export function ConflictNotice({ conflicts, names }: { conflicts: readonly CaseConflict[]; names: Readonly<Record<string, string>> }) {
  if (conflicts.length === 0) return null;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title" data-testid="conflicts">
      <h3 id="conflicts-title">Changes that did not go through</h3>
      <ul>
        {conflicts.map((conflict) => {
          const label = fieldLabels[conflict.field as keyof typeof fieldLabels] ?? (conflict.field === 'status' ? 'Status' : conflict.field);
          return (
            <li key={conflict.id}>
              {conflict.kind === 'stale-edit' && conflict.winningByName ? (
                <p>
                  <strong>{label}</strong> was changed by {conflict.winningByName}
                  {conflict.winningAt ? ` at ${formatWhen(conflict.winningAt)}` : ''} while you were offline, so their value was kept.
                </p>
              ) : (
                <p>
                  <strong>{label}</strong>: {conflict.reason}
                </p>
              )}
              <p className="conflicts__values">
                Kept: {describeValue(conflict.field, conflict.winningValue, names)}. Yours{conflict.losingByName ? ` (${conflict.losingByName})` : ''}:{' '}
                {describeValue(conflict.field, conflict.losingValue, names)}.
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
