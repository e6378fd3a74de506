import { useState } from 'react';
import './inbox.css';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { CaseEvent, ReferenceData } from '../../../src-shared/contract/cases';
import type { Api } from '../../api';
import type { CaseWorkspaceState } from '../cases/case-workspace-store';
import { messageValue } from '../cases/event-words';
import { ConversationThread, ReplyBox, replyRouteHint, ResolveForm } from './conversation';
import { INTAKE_OWNER_ID } from './inbox-labels';

function hasInbound(timeline: readonly CaseEvent[]): boolean {
  return timeline.some((event) => messageValue(event)?.direction === 'inbound');
}

/** Whether the case has a conversation to show: it came by a channel with messages, or has any message. */
export function hasConversation(channel: string, timeline: readonly CaseEvent[]): boolean {
  return channel !== 'phone' || timeline.some((event) => messageValue(event) !== null);
}

/**
 * The conversation on the open case: the thread, Claim while nobody has the contact, the reply box, and Resolve with
 * a disposition. Each action's answer updates the open case at once (the same change also arrives by sync).
 */
export function ConversationPanel({
  api,
  workspace,
  reference,
  onChanged,
}: {
  api: Api;
  workspace: StoreApi<CaseWorkspaceState>;
  reference: ReferenceData | null;
  onChanged?: () => void;
}) {
  const detail = useStore(workspace, (s) => s.detail);
  const [busy, setBusy] = useState<null | 'claim' | 'reply' | 'resolve'>(null);
  const [errors, setErrors] = useState<{ claim: string | null; reply: string | null; resolve: string | null }>({ claim: null, reply: null, resolve: null });
  if (!detail) return null;
  const caseId = detail.id;
  const unclaimed = detail.ownerId === INTAKE_OWNER_ID;

  function update(patch: (current: NonNullable<CaseWorkspaceState['detail']>) => NonNullable<CaseWorkspaceState['detail']>) {
    const current = workspace.getState().detail;
    if (current && current.id === caseId) workspace.setState({ detail: patch(current) });
  }

  async function claim() {
    setBusy('claim');
    const result = await api.request('inbox.claim', { caseId });
    setBusy(null);
    setErrors((e) => ({ ...e, claim: result.ok ? null : result.error.message }));
    if (result.ok) {
      update((current) => ({ ...current, ownerId: result.value.ownerId }));
      onChanged?.();
    }
  }

  async function reply(text: string): Promise<boolean> {
    setBusy('reply');
    const result = await api.request('inbox.reply', { caseId, body: text });
    setBusy(null);
    setErrors((e) => ({ ...e, reply: result.ok ? null : (result.error.issues?.[0]?.message ?? result.error.message) }));
    if (!result.ok) return false;
    update((current) => ({ ...current, timeline: [...current.timeline, result.value] }));
    onChanged?.();
    return true;
  }

  async function resolve(dispositionId: string) {
    setBusy('resolve');
    workspace.getState().flush();
    const result = await api.request('inbox.resolve', { caseId, dispositionId });
    setBusy(null);
    setErrors((e) => ({ ...e, resolve: result.ok ? null : [result.error.message, ...(result.error.issues ?? []).map((i) => i.message)].filter((m, i, all) => all.indexOf(m) === i).join(' ') }));
    if (result.ok) {
      workspace.setState({ detail: result.value, missing: result.value.missing });
      onChanged?.();
    }
  }

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation__header">
        <h3 id="conversation-title">Conversation</h3>
        {unclaimed && detail.isOpen && (
          <button type="button" className="button button--small" disabled={busy === 'claim'} onClick={() => void claim()}>
            Claim this contact
          </button>
        )}
      </header>
      {errors.claim && (
        <p className="field__error" role="alert">
          {errors.claim}
        </p>
      )}
      <ConversationThread
        events={detail.timeline}
        opening={detail.fields.channel === 'web' && detail.createdBy === INTAKE_OWNER_ID && detail.fields.description.trim() !== '' && !hasInbound(detail.timeline) ? { text: detail.fields.description, at: detail.createdAt } : null}
      />
      {detail.isOpen && (
        <>
          <ReplyBox
            reference={detail.reference}
            hint={replyRouteHint(detail.fields.channel, detail.fields.contactMethod, Boolean(detail.fields.contactEmail))}
            busy={busy === 'reply'}
            error={errors.reply}
            onSend={reply}
          />
          <ResolveForm dispositions={reference?.dispositions ?? []} busy={busy === 'resolve'} error={errors.resolve} onResolve={(id) => void resolve(id)} />
        </>
      )}
    </section>
  );
}
