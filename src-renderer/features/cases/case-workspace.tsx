import type { ReactNode, RefObject } from 'react';
import { useStore } from 'zustand';
import type { Caller, Provider, ReferenceData } from '../../../src-shared/contract/cases';
import type { StoreApi } from 'zustand/vanilla';
import { caseTypeLabels, channelLabels } from '../../../src-shared/domain/case-types';
import { CallerLink } from '../callers/caller-link';
import type { CallerState } from '../callers/caller-store';
import { CaseForm } from './case-form';
import { ConflictNotice } from './conflict-notice';
import type { CaseWorkspaceState } from './case-workspace-store';
import { NoteComposer, Timeline } from './notes-timeline';
import { ReferenceBadge } from './reference-badge';
import { SaveIndicator } from './save-indicator';
import { StatusControl } from './status-control';

/** The open case: reference, status, the form with autosave, the caller, and the notes timeline. */
export function CaseWorkspace({
  workspace,
  callers,
  reference,
  searchProviders,
  noteInput,
  conversation,
  providerReferral,
  onClose,
}: {
  workspace: StoreApi<CaseWorkspaceState>;
  callers: StoreApi<CallerState>;
  reference: ReferenceData | null;
  searchProviders: (text: string) => Promise<Provider[]>;
  /** The note box, so the Alt+O shortcut can focus it. */
  noteInput: RefObject<HTMLTextAreaElement | null>;
  /** The messages with the patient, the reply box and Resolve, for a contact by web, SMS, email or social media. */
  conversation?: ReactNode;
  /** "Send to provider" for the case (it needs the central API, which this component does not hold). */
  providerReferral?: (caseId: string, providerId: string | null, providerName: string | null) => ReactNode;
  onClose: () => void;
}) {
  const state = useStore(workspace);
  const callerState = useStore(callers);
  const { detail, values } = state;
  if (!detail || !values) return null;
  const required = new Set(state.missing.map((issue) => issue.path));

  async function link(caller: Caller | null) {
    state.setField('callerId', caller?.id ?? null);
    await callers.getState().showCaller(caller);
  }

  return (
    <section className="panel workspace-case" aria-labelledby="case-title">
      <header className="workspace-case__header">
        <div>
          <h2 id="case-title">
            {caseTypeLabels[values.type]} <span className="muted">by {channelLabels[values.channel].toLowerCase()}</span>
          </h2>
          <ReferenceBadge reference={detail.reference} />
        </div>
        <SaveIndicator state={state.saveState} />
      </header>
      <div className="workspace-case__toolbar">
        <StatusControl
          status={detail.status}
          allowed={detail.allowedStatuses}
          missing={state.missing}
          busy={state.statusBusy}
          error={state.fieldErrors.status}
          onChange={(status) => void state.changeStatus(status)}
        />
        <button type="button" className="button button--small button--secondary" onClick={onClose}>
          Close view <span className="visually-hidden">of case {detail.reference}</span>
        </button>
      </div>

      <ConflictNotice conflicts={detail.conflicts} names={detail.names} />

      {conversation}

      <CaseForm
        caseId={detail.id}
        values={values}
        errors={state.fieldErrors}
        required={required}
        provider={state.provider}
        categories={reference?.categories ?? []}
        onChange={state.setField}
        onChooseProvider={state.chooseProvider}
        searchProviders={searchProviders}
        callerSlot={
          <CallerLink
            caller={detail.caller && values.callerId === detail.caller.id ? detail.caller : callerState.lookup?.caller?.id === values.callerId ? (callerState.lookup?.caller ?? null) : null}
            busy={callerState.busy}
            problem={callerState.problem}
            onFind={(phone) => callers.getState().find(phone)}
            onLink={(caller) => void link(caller)}
            onSaveNew={(input) => callers.getState().save({ phone: input.phone, name: input.name || null, flags: input.flags })}
          />
        }
      />

      {providerReferral?.(detail.id, detail.fields.providerId, state.provider?.name ?? null)}

      <section className="workspace-case__notes" aria-labelledby="notes-title">
        <h3 id="notes-title">Notes and history</h3>
        <NoteComposer ref={noteInput} busy={state.noteBusy} error={state.fieldErrors.note} onAdd={state.addNote} />
        <Timeline events={detail.timeline} names={detail.names} />
      </section>
    </section>
  );
}
