import { CallButtonIfOnLine } from '../softphone/call-button';
import type { CallerLookup, CaseSummary } from '../../../src-shared/contract/cases';
import { caseTypeLabels } from '../../../src-shared/domain/case-types';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import { statusLabels } from '../../../src-shared/domain/statuses';
import { formatWhen } from '../cases/case-labels';

const FLAG_LABELS: Record<string, string> = {
  vulnerable: 'Vulnerable',
  safeguarding: 'Safeguarding',
  'interpreter-needed': 'Interpreter needed',
  'hearing-impaired': 'Hearing impaired',
  'abusive-history': 'Previously abusive',
};

export function callerFlagLabel(flag: string): string {
  return FLAG_LABELS[flag] ?? flag;
}

/** Who is calling and their history, from the local cache: what a handler needs in the first seconds of a call. */
export function CallerCard(props: { lookup: CallerLookup | null; currentCaseId: string | null; onOpenCase: (caseId: string) => void }) {
  const { lookup } = props;
  if (!lookup) {
    return (
      <section className="panel caller-card" aria-labelledby="caller-card-title">
        <h2 id="caller-card-title">Caller</h2>
        <p className="muted">No caller linked. Find the caller by their number in the case to see their history here.</p>
      </section>
    );
  }
  const caller = lookup.caller;
  return (
    <section className="panel caller-card" aria-labelledby="caller-card-title" data-testid="caller-card">
      <h2 id="caller-card-title">Caller</h2>
      <p className="caller-card__name">{caller?.name ?? (caller ? 'Name not given' : 'First-time caller')}</p>
      {lookup.phone && <p className="caller-card__phone">{formatPhoneNumber(lookup.phone)}</p>}
      {lookup.phone && <CallButtonIfOnLine number={lookup.phone} caseId={props.currentCaseId} label={`Call ${formatPhoneNumber(lookup.phone)}`} />}
      {caller && caller.flags.length > 0 && (
        <ul className="flag-list" aria-label="Caller flags">
          {caller.flags.map((flag) => (
            <li key={flag} className={`flag flag--${flag}`}>
              {callerFlagLabel(flag)}
            </li>
          ))}
        </ul>
      )}
      <CaseLinks title={`Open cases (${lookup.openCases.length})`} cases={lookup.openCases} {...props} empty="No open cases." />
      <CaseLinks title="Last cases" cases={lookup.recentCases} {...props} empty={caller ? 'No earlier cases.' : 'No history on this desk.'} />
    </section>
  );
}

function CaseLinks(props: { title: string; cases: CaseSummary[]; empty: string; currentCaseId: string | null; onOpenCase: (id: string) => void }) {
  return (
    <>
      <h3 className="caller-card__heading">{props.title}</h3>
      {props.cases.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul className="mini-cases">
          {props.cases.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className="mini-case"
                aria-current={item.id === props.currentCaseId ? 'true' : undefined}
                onClick={() => props.onOpenCase(item.id)}
              >
                <span className="mini-case__ref">{item.reference}</span>
                <span className="mini-case__meta">
                  {caseTypeLabels[item.type]} · {statusLabels[item.status]} · {formatWhen(item.createdAt)}
                </span>
                {item.preview && <span className="mini-case__preview">{item.preview}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
