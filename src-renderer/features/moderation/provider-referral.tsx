import { useCallback, useEffect, useState } from 'react';
import type { Referral, ReferralMode } from '../../../src-shared/contract/moderation';
import type { Result } from '../../../src-shared/result';
import type { Api } from '../../api';
import { formatWhen } from './moderation-labels';
import './moderation.css';

/** How far a link got, in the order it happens; a withdrawn or expired link says so instead. */
export function referralProgress(referral: Referral, now: number): { label: string; steps: { name: string; at: string | null }[] } {
  const steps = [
    { name: 'Sent', at: referral.sentAt },
    { name: 'Opened', at: referral.firstOpenedAt },
    { name: 'Acknowledged', at: referral.acknowledgedAt },
    { name: 'Addressed', at: referral.addressedAt },
  ];
  const reached = [...steps].reverse().find((step) => step.at !== null)!;
  if (referral.addressedAt) return { label: 'Addressed', steps };
  if (referral.revokedAt) return { label: `Link withdrawn (${reached.name.toLowerCase()} before that)`, steps };
  if (Date.parse(referral.expiresAt) <= now) return { label: `Link expired (${reached.name.toLowerCase()} before that)`, steps };
  return { label: reached.name, steps };
}

/**
 * "Send to provider" on a case: by a secure link (the provider reads a summary behind it and responds there), or with
 * the moderated description in the email itself. Below, each link sent and how far it got: sent, opened,
 * acknowledged, addressed. The central API sends the email and records everything; the desk only asks and shows.
 */
export function ProviderReferral(props: { api: Api; caseId: string; providerId: string | null; providerName: string | null; now?: () => number }) {
  const { api, caseId } = props;
  const [referrals, setReferrals] = useState<Referral[]>([]);
  const [mode, setMode] = useState<ReferralMode>('link');
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'done' | 'refused'; text: string } | null>(null);
  const now = props.now ?? Date.now;

  const show = useCallback((result: Result<{ items: Referral[] }>) => {
    if (result.ok) setReferrals(result.value.items);
    else setOutcome({ tone: 'refused', text: `Could not read the links sent: ${result.error.message}` });
  }, []);
  const reload = useCallback(async () => show(await api.request('referrals.list', { caseId })), [api, caseId, show]);

  // Give it `key={caseId}`: another case starts afresh rather than showing this one's links.
  useEffect(() => {
    let current = true;
    void api.request('referrals.list', { caseId }).then((result) => current && show(result));
    return () => {
      current = false;
    };
  }, [api, caseId, show]);

  async function send() {
    setBusy(true);
    setOutcome(null);
    const trimmed = summary.trim();
    const result = await api.request('referrals.send', { caseId, mode, ...(mode === 'link' && trimmed ? { summary: trimmed } : {}) });
    setBusy(false);
    if (!result.ok) {
      setOutcome({ tone: 'refused', text: `Not sent: ${result.error.message}` });
      return;
    }
    setSummary('');
    setOutcome({ tone: 'done', text: `Sent to ${props.providerName ?? 'the provider'}. Any earlier link for this case no longer works.` });
    await reload();
  }

  async function revoke(referralId: string) {
    setBusy(true);
    const result = await api.request('referrals.revoke', { caseId, referralId });
    setBusy(false);
    setOutcome(result.ok ? { tone: 'done', text: 'The link is withdrawn: it no longer opens.' } : { tone: 'refused', text: `Not withdrawn: ${result.error.message}` });
    await reload();
  }

  const at = now();
  return (
    <section className="provider-referral" aria-labelledby="provider-referral-heading">
      <h3 id="provider-referral-heading">Send to provider</h3>
      {!props.providerId ? (
        <p className="hint">Choose the provider above to send this case to them.</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
        >
          <fieldset className="field">
            <legend>What {props.providerName ?? 'the provider'} gets by email</legend>
            <div className="choices">
              <label>
                <input type="radio" name="referral-mode" value="link" checked={mode === 'link'} onChange={() => setMode('link')} /> A secure link to read it and respond
              </label>
              <label>
                <input type="radio" name="referral-mode" value="summary" checked={mode === 'summary'} onChange={() => setMode('summary')} /> The moderated description in the email, with the link
              </label>
            </div>
          </fieldset>
          {mode === 'link' && (
            <div className="field">
              <label className="field__label" htmlFor="referral-summary">
                Summary for the provider <span className="field__required">(optional once moderated)</span>
              </label>
              <p className="hint" id="referral-summary-hint">
                Shown behind the link. Without one the moderated description is used; the caller’s own words are never sent.
              </p>
              <textarea id="referral-summary" rows={3} maxLength={4000} value={summary} disabled={busy} aria-describedby="referral-summary-hint" onChange={(event) => setSummary(event.target.value)} />
            </div>
          )}
          <button type="submit" className="button button--small" disabled={busy}>
            {busy ? 'Sending…' : 'Send to provider'}
          </button>
        </form>
      )}
      {outcome && (
        <p className={`moderation__outcome moderation__outcome--${outcome.tone}`} role={outcome.tone === 'refused' ? 'alert' : 'status'} data-testid="referral-outcome">
          {outcome.text}
        </p>
      )}
      {referrals.length > 0 && (
        <>
          <div className="provider-referral__list-header">
            <h4>Links sent</h4>
            <button type="button" className="button button--small button--secondary" onClick={() => void reload()}>
              Check for updates
            </button>
          </div>
          <ul className="provider-referral__list">
            {referrals.map((referral) => {
              const progress = referralProgress(referral, at);
              const live = !referral.revokedAt && !referral.addressedAt && Date.parse(referral.expiresAt) > at;
              return (
                <li key={referral.id} className="provider-referral__item" data-testid="referral">
                  <p className="provider-referral__state">
                    <strong data-testid="referral-state">{progress.label}</strong> <span className="muted">({referral.mode === 'summary' ? 'summary in the email' : 'link'})</span>
                  </p>
                  <ol className="provider-referral__steps" aria-label="Progress">
                    {progress.steps.map((step) => (
                      <li key={step.name} className={step.at ? 'provider-referral__step provider-referral__step--done' : 'provider-referral__step'}>
                        {step.name}: {step.at ? formatWhen(step.at) : 'not yet'}
                      </li>
                    ))}
                  </ol>
                  {live && (
                    <button type="button" className="button button--small button--secondary" disabled={busy} onClick={() => void revoke(referral.id)}>
                      Withdraw link <span className="visually-hidden">sent {formatWhen(referral.sentAt)}</span>
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
