import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { Api } from '../../api';
import { useNow } from '../../components/use-now';
import { windowIsHidden, type Notifier } from '../softphone/notifier';
import { createAlertNotifier } from './alert-notifier';
import { AlertsPanel } from './alerts-panel';
import { HandlersBoard } from './handlers-board';
import { LinkStatus } from './link-status';
import { DEFAULT_LIVE_SETTINGS, liveAlerts, type LiveSettings } from './live-figures';
import { LiveSettingsForm } from './live-settings-form';
import { QueuesPanel } from './queues-panel';
import { ReassignForm, type PickedCase } from './reassign-form';
import { SimulatorPanel } from './simulator-panel';
import { createSupervisorStore, type SupervisorStore } from './supervisor-store';
import { useAlertAnnouncements } from './use-alert-announcements';
import './supervisor.css';

/**
 * The supervisor's live view: queues, handlers, alerts, actions and the call simulator, all from the desk's live
 * picture plus live events (a snapshot after a reconnect replaces everything, so the view is right again).
 * `now` ticks the waits and times in state; tests pass their own.
 */
export function SupervisorView(props: { api: Api; now?: number; notifier?: Notifier; isHidden?: () => boolean; store?: SupervisorStore; simulatorPollMs?: number }) {
  const { api } = props;
  const store = useMemo(() => props.store ?? createSupervisorStore(api, props.simulatorPollMs === undefined ? {} : { simulatorPollMs: props.simulatorPollMs }), [api, props.store, props.simulatorPollMs]);
  const notifier = useMemo(() => props.notifier ?? createAlertNotifier(), [props.notifier]);
  const ticking = useNow();
  const now = props.now ?? ticking;
  const state = useStore(store);
  const [settings, setSettings] = useState<LiveSettings>(DEFAULT_LIVE_SETTINGS);
  const [picked, setPicked] = useState<PickedCase | null>(null);

  useEffect(() => store.getState().connect(), [store]);
  // Asked while the supervisor is at the window, never from an alert.
  useEffect(() => notifier.prepare(), [notifier]);

  const queues = useMemo(() => Object.values(state.queues).sort((a, b) => a.name.localeCompare(b.name)), [state.queues]);
  const handlers = useMemo(() => Object.values(state.handlers), [state.handlers]);
  const queueNames = useMemo(() => Object.fromEntries(queues.map((q) => [q.queueId, q.name])), [queues]);
  const alerts = liveAlerts(queues, handlers, now, settings);
  const announcement = useAlertAnnouncements(alerts, { notifier, isHidden: props.isHidden ?? windowIsHidden });

  return (
    <main className="supervisor" id="live-view" aria-labelledby="supervisor-heading">
      <div className="supervisor__header">
        <h1 id="supervisor-heading">Live view</h1>
        <LinkStatus link={state.link} />
      </div>
      {state.outcome && (
        <p className={`supervisor__outcome supervisor__outcome--${state.outcome.tone}`} role={state.outcome.tone === 'refused' ? 'alert' : 'status'} data-testid="action-outcome">
          {state.outcome.text}
        </p>
      )}
      <div className="supervisor__grid">
        <div className="supervisor__main">
          <QueuesPanel queues={queues} now={now} settings={settings} />
          <HandlersBoard
            handlers={handlers}
            calls={state.calls}
            queueNames={queueNames}
            now={now}
            pending={state.pending}
            onSetState={(handler, next) => void state.setHandlerState(handler, { state: next })}
            onMonitor={(call, mode) => void state.monitor(call, mode)}
            onReassign={(caseId, description) => setPicked({ caseId, description })}
          />
        </div>
        <div className="supervisor__side">
          <AlertsPanel alerts={alerts} announcement={announcement} />
          <ReassignForm users={state.users} picked={picked} busy={state.pending === 'reassign'} onClearPicked={() => setPicked(null)} onReassign={(target, ownerId) => state.reassign(target, ownerId)} />
          <SimulatorPanel
            status={state.simulator}
            problem={state.simulatorProblem}
            busy={state.simulatorBusy}
            queues={queues}
            onStart={(rates) => void state.startSimulator(rates)}
            onStop={() => void state.stopSimulator()}
            onApplyRates={(rates) => void state.setSimulatorRates(rates)}
          />
          <LiveSettingsForm settings={settings} onChange={setSettings} />
        </div>
      </div>
    </main>
  );
}
