import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { moderationQueueFilters, type ModerationQueueFilter, type ModerationQueueItem, type ModerationView as View } from '../../../src-shared/contract/moderation';
import { findIdentifyingDetails } from '../../../src-shared/moderation/identifying-details';
import type { Api } from '../../api';
import { DetailsEditor } from './details-editor';
import { HighlightedText, knownNamesFrom } from './highlighted-text';
import { categoryLabel, formatWhen, moderationStateLabels, moderatorStatus, queueFilterLabels } from './moderation-labels';
import { createModerationStore, type ModerationState, type ModerationStore } from './moderation-store';
import './moderation.css';

/**
 * The moderation screen for supervisors: the queue of publishable feedback of their teams (what still needs a
 * moderator first, oldest first), and for one case the caller's words (read only, never published) beside the
 * moderated description being written, with likely identifying details highlighted in both as the moderator types.
 * Approval is the API's: a detail left in is published only with a reason, and some cases need a second moderator.
 */
export function ModerationView(props: { api: Api; userId: string | null; store?: ModerationStore }) {
  const store = useMemo(() => props.store ?? createModerationStore(props.api), [props.api, props.store]);
  const state = useStore(store);

  useEffect(() => {
    void store.getState().loadQueue();
  }, [store]);

  return (
    <main className="moderation" id="moderation-view" aria-labelledby="moderation-heading">
      <h1 id="moderation-heading">Moderation</h1>
      <div className="moderation__layout">
        <Queue state={state} />
        <div className="moderation__case">
          {state.viewProblem && (
            <div className="banner banner--error" role="alert">
              Could not open the case: {state.viewProblem}
            </div>
          )}
          {state.view ? (
            <CaseModeration state={state} view={state.view} userId={props.userId} />
          ) : (
            !state.viewProblem && <p className="panel moderation__empty">{state.busy === 'loading' ? 'Opening the case…' : 'Choose a case from the queue to moderate it.'}</p>
          )}
        </div>
      </div>
    </main>
  );
}

function Queue({ state }: { state: ModerationState }) {
  return (
    <section className="panel moderation__queue" aria-labelledby="moderation-queue-heading">
      <h2 id="moderation-queue-heading">Queue</h2>
      <label className="moderation__filter">
        Cases to show
        <select value={state.filter} onChange={(event) => void state.loadQueue(event.target.value as ModerationQueueFilter)}>
          {moderationQueueFilters.map((filter) => (
            <option key={filter} value={filter}>
              {queueFilterLabels[filter]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button--small button--secondary moderation__refresh" disabled={state.queueStatus === 'loading'} onClick={() => void state.loadQueue()}>
        Refresh the queue
      </button>
      <p className="hint" role="status" data-testid="moderation-queue-status">
        {state.queueStatus === 'loading' ? 'Loading…' : state.queueStatus === 'ready' ? `${state.queue.length} ${state.queue.length === 1 ? 'case' : 'cases'}, oldest first.` : ''}
      </p>
      {state.queueProblem && (
        <div className="banner banner--error" role="alert">
          <p>Could not load the queue: {state.queueProblem}</p>
          <button type="button" className="button button--small" onClick={() => void state.loadQueue()}>
            Try again
          </button>
        </div>
      )}
      <ul className="moderation__items">
        {state.queue.map((item) => (
          <li key={item.caseId}>
            <QueueItem item={item} current={item.caseId === state.openCaseId} onOpen={() => void state.open(item.caseId)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function QueueItem({ item, current, onOpen }: { item: ModerationQueueItem; current: boolean; onOpen(): void }) {
  return (
    <button type="button" className="moderation-item" aria-current={current ? 'true' : undefined} onClick={onOpen} data-testid={`moderation-item-${item.reference}`}>
      <span className="moderation-item__top">
        <span className="moderation-item__ref">{item.reference}</span>
        <span className={`moderation-state moderation-state--${item.state}`}>{moderationStateLabels[item.state]}</span>
      </span>
      <span className="moderation-item__meta">
        {item.providerName ?? 'Unknown provider'} · {categoryLabel(item.category)}
      </span>
      <span className="moderation-item__meta">Received {formatWhen(item.createdAt)}</span>
      {item.needsSecondModeration && (
        <span className="moderation-item__meta">{item.firstModeratorName ? `Approved once by ${item.firstModeratorName}; needs a second moderator` : 'Needs two moderators'}</span>
      )}
    </button>
  );
}

function CaseModeration({ state, view, userId }: { state: ModerationState; view: View; userId: string | null }) {
  const knownNames = useMemo(() => knownNamesFrom(view.callerWords, view.callerWordsHighlights), [view.callerWords, view.callerWordsHighlights]);
  const found = useMemo(() => findIdentifyingDetails(state.description.text, { knownNames }), [state.description.text, knownNames]);
  const responseFound = useMemo(() => findIdentifyingDetails(state.response.text, { knownNames }), [state.response.text, knownNames]);
  const busy = state.busy !== null;
  /** What the editor of one text (the moderated description, the provider's response) shows and changes. */
  const editing = (which: 'description' | 'response', detailsFound: typeof found) => ({
    text: state[which].text,
    found: detailsFound,
    refused: state[which].refused,
    refusal: state[which].refusal,
    reasons: state[which].reasons,
    disabled: busy,
    onChange: (text: string) => state.setText(which, text),
    onReason: (key: string, reason: string) => state.setReason(which, key, reason),
  });
  const canApprove = view.state !== 'published' && view.state !== 'rejected';
  const secondMine = view.state === 'awaiting-second' && view.firstModerator?.id === userId;

  return (
    <article className="moderation-case" aria-labelledby="moderation-case-heading">
      <header className="panel moderation-case__header">
        <h2 id="moderation-case-heading">
          Feedback {view.case.reference} <span className={`moderation-state moderation-state--${view.state}`}>{moderationStateLabels[view.state]}</span>
        </h2>
        <dl className="facts moderation-case__facts">
          <dt>Provider</dt>
          <dd>{view.providerName ?? view.case.providerId ?? 'None chosen'}{view.case.department ? `, ${view.case.department}` : ''}</dd>
          <dt>Category</dt>
          <dd>{categoryLabel(view.case.category)}</dd>
          <dt>Received</dt>
          <dd>{formatWhen(view.case.createdAt)}</dd>
        </dl>
        <p className="moderation-case__moderators" data-testid="moderator-status">
          {moderatorStatus(view, userId)}
        </p>
      </header>

      {state.outcome && (
        <p className={`moderation__outcome moderation__outcome--${state.outcome.tone}`} role={state.outcome.tone === 'refused' ? 'alert' : 'status'} data-testid="moderation-outcome">
          {state.outcome.text}
        </p>
      )}

      <div className="moderation-case__texts">
        <section className="panel caller-words" aria-labelledby="caller-words-heading">
          <h3 id="caller-words-heading">
            Caller’s words <span className="never-published">never published</span>
          </h3>
          <p className="hint">Read only. Likely identifying details are marked.</p>
          <blockquote className="caller-words__text" data-testid="caller-words">
            <HighlightedText text={view.callerWords} spans={view.callerWordsHighlights} />
          </blockquote>
        </section>

        <section className="panel moderated" aria-labelledby="moderated-heading">
          <h3 id="moderated-heading">Moderated description</h3>
          {canApprove ? (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void state.approve(found);
              }}
            >
              <DetailsEditor
                id="moderated-description"
                label="Moderated description (published)"
                hint="In your own words, without names, NHS numbers, dates of birth, phone numbers, email addresses or anything else that could identify someone."
                {...editing('description', found)}
              />
              <div className="moderated__actions">
                <button type="submit" className="button" disabled={busy || state.description.text.trim() === ''}>
                  {state.busy === 'approve' ? 'Approving…' : view.state === 'awaiting-second' && !secondMine ? 'Approve as second moderator' : 'Approve'}
                </button>
                <button type="button" className="button button--secondary" disabled={busy} onClick={() => void state.saveDraft()}>
                  {state.busy === 'save' ? 'Saving…' : 'Save draft'}
                </button>
              </div>
            </form>
          ) : (
            <div>
              <p className="moderated__text" data-testid="published-description">
                {view.publication?.description ?? view.approvedText ?? view.draft ?? ''}
              </p>
            </div>
          )}
        </section>
      </div>

      {view.providerResponse && view.publication && (
        <section className="panel moderated" aria-labelledby="response-heading">
          <h3 id="response-heading">Provider’s response</h3>
          <p className="hint">
            The provider agreed this may be published ({formatWhen(view.providerResponse.at)}).
            {view.publication.response ? ' A response is already published; publishing again replaces it.' : ''}
          </p>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void state.publishResponse(responseFound);
            }}
          >
            <DetailsEditor
              id="provider-response"
              label="Response to publish"
              hint="Edit out anything that could identify someone before publishing."
              {...editing('response', responseFound)}
            />
            <button type="submit" className="button" disabled={busy || state.response.text.trim() === ''}>
              {state.busy === 'response' ? 'Publishing…' : 'Publish response'}
            </button>
          </form>
        </section>
      )}

      {view.state !== 'rejected' && (
        <section className="panel moderation-reject" aria-labelledby="reject-heading">
          <h3 id="reject-heading">{view.state === 'published' ? 'Withdraw from the public feed' : 'Do not publish'}</h3>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void state.reject();
            }}
          >
            <label className="field__label" htmlFor="reject-reason">
              Reason
            </label>
            <p className="hint" id="reject-reason-hint">
              Kept on the case for the team; never published.
            </p>
            <textarea id="reject-reason" rows={2} value={state.rejectReason} maxLength={1000} disabled={busy} aria-describedby="reject-reason-hint" onChange={(event) => state.setRejectReason(event.target.value)} />
            <button type="submit" className="button button--secondary" disabled={busy || state.rejectReason.trim().length < 5}>
              {state.busy === 'reject' ? 'Working…' : view.state === 'published' ? 'Withdraw' : 'Reject'}
            </button>
          </form>
        </section>
      )}
    </article>
  );
}
