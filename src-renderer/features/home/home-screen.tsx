import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Api } from '../../api';
import { AgentBar } from '../../components/agent-bar';
import { useNow } from '../../components/use-now';
import { CaseArea } from './case-area';
import { DeskPanel } from './desk-panel';
import { createHomeStore } from './home-store';

/** The handler's home: agent bar, the case area and the desk panel, fed by the home store. */
export function HomeScreen({ api }: { api: Api }) {
  const store = useMemo(() => createHomeStore(api), [api]);
  useEffect(() => {
    void store.getState().load();
    return () => store.dispose();
  }, [store]);
  const state = useStore(store);
  const now = useNow();

  return (
    <div className="app-shell">
      <AgentBar
        agent={state.agent}
        health={state.health}
        busy={state.changingState}
        now={now}
        onChangeState={(input) => void state.setAgentState(input)}
      />
      {state.problem && (
        <div className="banner banner--error" role="alert">
          {state.problem}
        </div>
      )}
      <main className="workspace" id="main">
        <CaseArea agent={state.agent} />
        <aside className="sidebar" aria-label="Desk details">
          <DeskPanel appInfo={state.appInfo} health={state.health} transport={api.transport} onCheckNow={() => void state.checkHealth()} />
        </aside>
      </main>
    </div>
  );
}
