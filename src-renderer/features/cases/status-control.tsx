import { useState } from 'react';
import { statusLabels, type CaseStatus } from '../../../src-shared/domain/statuses';
import type { FieldIssue } from '../../../src-shared/result';

/** The case's status and the moves its type allows from here; closing is refused until the case is complete. */
export function StatusControl(props: {
  status: CaseStatus;
  allowed: readonly CaseStatus[];
  missing: readonly FieldIssue[];
  busy: boolean;
  error: string | undefined;
  onChange: (status: CaseStatus) => void;
}) {
  const [choice, setChoice] = useState<CaseStatus | ''>('');
  return (
    <div className="status-control">
      <p className="status-control__current">
        Status: <strong className={`status-pill status-pill--${props.status}`}>{statusLabels[props.status]}</strong>
      </p>
      {props.allowed.length > 0 && (
        <form
          className="status-control__form"
          onSubmit={(event) => {
            event.preventDefault();
            if (choice) props.onChange(choice);
            setChoice('');
          }}
        >
          <label htmlFor="case-status-next">Move to</label>
          <select id="case-status-next" value={choice} onChange={(e) => setChoice(e.target.value as CaseStatus)}>
            <option value="">Choose a status</option>
            {props.allowed.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--small" disabled={!choice || props.busy}>
            Change status
          </button>
        </form>
      )}
      {props.error && (
        <div className="field__error" role="alert">
          <p>{props.error}</p>
          {props.missing.length > 0 && (
            <ul>
              {props.missing.map((issue) => (
                <li key={issue.path + issue.message}>{issue.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
