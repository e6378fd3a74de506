import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { CaseOpenedFrom, ReferenceData } from '../../../src-shared/contract/cases';
import type { SessionState, SyncState } from '../../../src-shared/contract/session';
import type { CaseType, Channel } from '../../../src-shared/domain/case-types';
import type { Api } from '../../api';
import { AgentBar } from '../../components/agent-bar';
import { useNow } from '../../components/use-now';
import { useShortcuts } from '../../components/use-shortcuts';
import type { Call } from '../../../src-shared/telephony/model';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import type { CaseSummary } from '../../../src-shared/contract/cases';
import { CallerCard } from '../callers/caller-card';
import { createCallerStore } from '../callers/caller-store';
import { CaseList } from '../cases/case-list';
import { createCaseListStore } from '../cases/case-list-store';
import { CaseWorkspace } from '../cases/case-workspace';
import { createCaseWorkspaceStore } from '../cases/case-workspace-store';
import { createDraftStorage, memoryDraftStorage } from '../cases/draft-storage';
import { NewCasePanel } from '../cases/new-case-panel';
import { AgentStateSelector, SoftphonePanel, SoftphoneStoreContext } from '../softphone';
import { ringtoneUrl } from '../softphone/ringtone';
import { useSoftphone } from '../softphone/use-softphone';
import { ReportsView } from '../reports';
import { ModerationView, ProviderReferral } from '../moderation';
import { supervises, SupervisorView, ViewSwitch, type DeskView } from '../supervisor';
import { ConversationPanel, createInboxStore, hasConversation, InboxView } from '../inbox';
import { CallChoice } from './call-choice';
import { CaseArea, LineCaseArea } from './case-area';
import { DeskPanel } from './desk-panel';
import { createHomeStore } from './home-store';

const OPEN_CASE_KEY = 'care-desk.open-case';

/**
 * The handler's one screen: agent bar; cases on the left; the open case in the middle; the caller and the desk on
 * the right. The open case is remembered, so a reload (or a restart) comes back to it with nothing lost.
 */
export function HomeScreen({
  api,
  storage,
  session,
  sync,
  onSignOut,
  onSyncNow,
}: {
  api: Api;
  storage?: Storage | null;
  session?: SessionState;
  sync?: SyncState | null;
  onSignOut?: () => void;
  onSyncNow?: () => void;
}) {
  const store = storage === undefined ? safeLocalStorage() : storage;
  const home = useMemo(() => createHomeStore(api), [api]);
  const list = useMemo(() => createCaseListStore(api), [api]);
  const callers = useMemo(() => createCallerStore(api), [api]);
  const inbox = useMemo(() => createInboxStore(api), [api]);
  const workspace = useMemo(
    () =>
      createCaseWorkspaceStore(api, store ? createDraftStorage(store) : memoryDraftStorage(), () => {
        // The list and the caller's history both show this case: keep them current.
        void list.getState().reload();
        const shown = callers.getState().lookup?.caller;
        if (shown) void callers.getState().showCaller(shown);
      }),
    [api, store, list, callers],
  );
  const [reference, setReference] = useState<ReferenceData | null>(null);
  const [creating, setCreating] = useState(false);
  /** A caller with open cases was answered: the handler picks one of them or a new case. */
  const [callChoice, setCallChoice] = useState<{ call: Call; openCases: CaseSummary[] } | null>(null);
  /** Supervisors and admins switch to the live view; the desk stays mounted behind it so nothing typed is lost. */
  const [view, setView] = useState<DeskView>('desk');
  const canSupervise = supervises(session?.user?.role);
  const phone = useSoftphone(api, session?.user?.id ?? null);
  const searchRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const state = useStore(home);
  const listState = useStore(list);
  const openCase = useStore(workspace, (s) => s.detail);
  const workspaceError = useStore(workspace, (s) => s.loadError);
  const callerState = useStore(callers);
  const now = useNow();

  const searchProviders = useCallback(
    async (text: string) => {
      const result = await api.request('providers.search', { query: text, limit: 8 });
      return result.ok ? result.value : [];
    },
    [api],
  );

  const open = useCallback(
    async (caseId: string, from: CaseOpenedFrom) => {
      await workspace.getState().open(caseId, from);
      const detail = workspace.getState().detail;
      if (detail?.id === caseId) {
        store?.setItem(OPEN_CASE_KEY, caseId);
        await callers.getState().showCaller(detail.caller);
      } else {
        store?.removeItem(OPEN_CASE_KEY);
      }
    },
    [workspace, callers, store],
  );

  const create = useCallback(
    async (type: CaseType, channel: Channel) => {
      setCreating(true);
      const detail = await workspace.getState().create(type, channel, callers.getState().lookup?.caller?.id ?? null);
      setCreating(false);
      if (detail) {
        store?.setItem(OPEN_CASE_KEY, detail.id);
        document.getElementById('case-description')?.focus();
      }
      return detail;
    },
    [workspace, callers, store],
  );

  // Screen pop: while a call rings, the caller card shows who it is from the local cache.
  useEffect(() => {
    if (!phone) return;
    let shown: string | null = phone.getState().offer?.call.id ?? null;
    if (shown) void callers.getState().find(phone.getState().offer!.call.from);
    return phone.subscribe((state) => {
      const offer = state.offer;
      if (offer && offer.call.id !== shown) {
        shown = offer.call.id;
        void callers.getState().find(offer.call.from);
        // A call ringing for a supervisor in the live view brings their desk (and its answer button) back.
        setView('desk');
      }
    });
  }, [phone, callers]);

  const linkCall = useCallback(
    async (callId: string, caseId: string) => {
      // The link lets the call's times and outcome be reported with the case; a failure here loses nothing typed.
      await api.request('telephony.linkCase', { callId, caseId });
    },
    [api],
  );

  const startCaseForCall = useCallback(
    async (call: Call) => {
      const detail = await create(call.caseType ?? 'question', 'phone');
      if (detail) await linkCall(call.id, detail.id);
    },
    [create, linkCall],
  );

  // Answered: a case draft opens with channel phone and the caller filled in, or, for a caller with open cases,
  // the handler chooses between carrying one on and starting a new one.
  const onAnswered = useCallback(
    async (call: Call) => {
      const lookup = await callers.getState().find(call.from);
      if (!lookup?.caller) await callers.getState().save({ phone: call.from, name: null, flags: [] });
      if (lookup && lookup.openCases.length > 0) {
        setCallChoice({ call, openCases: lookup.openCases });
        return;
      }
      await startCaseForCall(call);
    },
    [callers, startCaseForCall],
  );

  useEffect(() => {
    void home.getState().load();
    void list.getState().reload();
    void api.request('reference.get', {}).then((result) => result.ok && setReference(result.value));
    const remembered = store?.getItem(OPEN_CASE_KEY);
    if (remembered) void open(remembered, 'restored');
    const flush = () => workspace.getState().flush();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      home.dispose();
      workspace.dispose();
    };
  }, [home, list, workspace, api, store, open]);

  // Sync brought changes to cases: the open one shows them (a colleague's edit, a patient's message), and the list
  // and the caller card stay current.
  useEffect(
    () =>
      api.on('cases.changed', ({ caseIds }) => {
        const open = workspace.getState().detail?.id;
        if (open && caseIds.includes(open)) void workspace.getState().refreshFromSync(open);
        void list.getState().reload();
      }),
    [api, workspace, list],
  );

  useShortcuts({
    'Alt+KeyN': () => void create('feedback', 'phone'),
    'Alt+KeyS': () => searchRef.current?.focus(),
    'Alt+KeyO': () => noteRef.current?.focus(),
  });

  return (
    <SoftphoneStoreContext.Provider value={phone}>
    <div className="app-shell">
      <AgentBar
        agent={state.agent}
        health={state.health}
        busy={state.changingState}
        now={now}
        onChangeState={(input) => void state.setAgentState(input)}
        userName={session?.user?.name}
        sync={sync}
        onSyncNow={onSyncNow}
        onSignOut={onSignOut}
        stateControl={phone ? <AgentStateSelector store={phone} now={now} /> : undefined}
        viewSwitch={<ViewSwitch view={view} onChange={setView} moderation={session?.user?.role === 'supervisor'} supervisor={canSupervise} />}
      />
      {state.problem && (
        <div className="banner banner--error" role="alert">
          {state.problem}
        </div>
      )}
      {canSupervise && view === 'live' && <SupervisorView api={api} now={now} />}
      {canSupervise && view === 'reports' && session?.user && (
        <ReportsView api={api} teamIds={session.user.teamIds} role={session.user.role === 'admin' ? 'admin' : 'supervisor'} />
      )}
      {canSupervise && view === 'moderation' && session?.user && <ModerationView api={api} userId={session.user.id} />}
      {view === 'inbox' && (
        <InboxView
          store={inbox}
          reference={reference}
          now={now}
          onOpen={(caseId) => {
            setView('desk');
            void open(caseId, 'inbox');
          }}
        />
      )}
      <main className="workspace" id="main" hidden={view !== 'desk'}>
        <CaseList
          ref={searchRef}
          state={listState}
          currentCaseId={openCase?.id ?? null}
          onSearch={(query) => void listState.search(query)}
          onFilters={(filters) => void listState.setFilters(filters)}
          onMore={() => void listState.loadMore()}
          onOpen={(id) => void open(id, 'case-list')}
          searchProviders={searchProviders}
        />
        <div className="workspace__centre">
          {openCase ? (
            <CaseWorkspace
              workspace={workspace}
              callers={callers}
              reference={reference}
              noteInput={noteRef}
              searchProviders={searchProviders}
              conversation={
                hasConversation(openCase.fields.channel, openCase.timeline) ? (
                  <ConversationPanel api={api} workspace={workspace} reference={reference} onChanged={() => void list.getState().reload()} />
                ) : undefined
              }
              providerReferral={(caseId, providerId, providerName) => <ProviderReferral key={caseId} api={api} caseId={caseId} providerId={providerId} providerName={providerName} />}
              onClose={() => {
                void workspace.getState().close();
                store?.removeItem(OPEN_CASE_KEY);
                callers.getState().clear();
              }}
            />
          ) : callChoice ? (
            <CallChoice
              phoneLabel={formatPhoneNumber(callChoice.call.from)}
              openCases={callChoice.openCases}
              busy={creating}
              onNewCase={() => {
                const { call } = callChoice;
                setCallChoice(null);
                void startCaseForCall(call);
              }}
              onContinue={(caseId) => {
                const { call } = callChoice;
                setCallChoice(null);
                void open(caseId, 'call').then(() => linkCall(call.id, caseId));
              }}
            />
          ) : (
            <>
              {phone ? <LineCaseArea phone={phone} /> : <CaseArea state={state.agent?.state ?? null} />}
              <NewCasePanel busy={creating} problem={workspaceError} onCreate={(type, channel) => void create(type, channel)} />
            </>
          )}
        </div>
        <aside className="sidebar" aria-label="Caller and desk">
          {phone && (
            <SoftphonePanel store={phone} now={now} dispositions={reference?.dispositions ?? []} ringtoneSrc={ringtoneUrl()} onAnswered={(call) => void onAnswered(call)} />
          )}
          <CallerCard lookup={callerState.lookup} currentCaseId={openCase?.id ?? null} onOpenCase={(id) => void open(id, 'caller-card')} />
          <DeskPanel appInfo={state.appInfo} health={state.health} transport={api.transport} onCheckNow={() => void state.checkHealth()} />
        </aside>
      </main>
    </div>
    </SoftphoneStoreContext.Provider>
  );
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
