import { useEffect, useRef } from 'react';
import type { CaseSummary } from '../../../src-shared/contract/cases';
import { caseTypeLabels } from '../../../src-shared/domain/case-types';
import { statusLabels } from '../../../src-shared/domain/statuses';

/**
 * After answering a caller who already has open cases: carry on with one of them, or start a new case. One click
 * either way; the new case is the first button, so Enter starts it.
 */
export function CallChoice(props: {
  phoneLabel: string;
  openCases: readonly CaseSummary[];
  busy: boolean;
  onContinue: (caseId: string) => void;
  onNewCase: () => void;
}) {
  const first = useRef<HTMLButtonElement>(null);
  // The handler has just answered: put the keyboard on the choice so Enter starts the new case.
  useEffect(() => first.current?.focus(), []);
  return (
    <section className="panel call-choice" aria-labelledby="call-choice-title">
      <h2 id="call-choice-title">This caller has open cases</h2>
      <p>
        {props.phoneLabel} has {props.openCases.length === 1 ? 'an open case' : `${props.openCases.length} open cases`}. Carry on with one, or log this call as a new case.
      </p>
      <div className="call-choice__actions">
        <button type="button" className="button button--primary" disabled={props.busy} onClick={props.onNewCase} ref={first}>
          Start a new case
        </button>
      </div>
      <ul className="call-choice__cases">
        {props.openCases.map((item) => (
          <li key={item.id}>
            <button type="button" className="button" disabled={props.busy} onClick={() => props.onContinue(item.id)}>
              Continue {item.reference}
            </button>{' '}
            <span>
              {caseTypeLabels[item.type]} · {statusLabels[item.status]}
              {item.providerName ? ` · ${item.providerName}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
