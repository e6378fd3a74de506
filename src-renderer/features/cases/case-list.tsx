import { forwardRef, useState } from 'react';
import type { CaseSummary, Provider } from '../../../src-shared/contract/cases';
import { caseTypeLabels, caseTypes, type CaseType } from '../../../src-shared/domain/case-types';
import { statusLabels } from '../../../src-shared/domain/statuses';
import { formatWhen } from './case-labels';
import type { CaseListState } from './case-list-store';
import { ProviderPicker } from './provider-picker';

/** The handler's cases: a search box (references, numbers, words) and filters over a newest-first list. */
export const CaseList = forwardRef<
  HTMLInputElement,
  {
    state: Pick<CaseListState, 'filters' | 'items' | 'nextCursor' | 'view' | 'query' | 'loading' | 'problem'>;
    currentCaseId: string | null;
    onSearch: (query: string) => void;
    onFilters: (filters: CaseListState['filters']) => void;
    onMore: () => void;
    onOpen: (caseId: string) => void;
    searchProviders: (text: string) => Promise<Provider[]>;
  }
>(function CaseList({ state, ...props }, searchRef) {
  const [provider, setProvider] = useState<Provider | null>(null);
  const { filters, view } = state;
  return (
    <section className="panel case-list" aria-labelledby="case-list-title">
      <h2 id="case-list-title">Cases</h2>
      <form role="search" className="case-list__search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="case-search">Search cases</label>
        <input
          id="case-search"
          ref={searchRef}
          type="search"
          placeholder="Reference, phone number or words"
          value={state.query}
          onChange={(e) => props.onSearch(e.target.value)}
          aria-describedby="case-search-hint"
        />
        <p id="case-search-hint" className="hint">
          Alt+S to search from anywhere.
        </p>
      </form>
      {view.kind === 'list' && (
        <div className="case-list__filters">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status ?? 'all'}
            onChange={(e) => {
              const { status: _status, ...rest } = filters;
              props.onFilters(e.target.value === 'all' ? rest : { ...filters, status: e.target.value as 'open' | 'closed' });
            }}
          >
            <option value="open">Open</option>
            <option value="closed">Closed</option>
            <option value="all">All</option>
          </select>
          <label htmlFor="filter-type">Type</label>
          <select
            id="filter-type"
            value={filters.type ?? ''}
            onChange={(e) => {
              const { type: _type, ...rest } = filters;
              props.onFilters(e.target.value === '' ? rest : { ...filters, type: e.target.value as CaseType });
            }}
          >
            <option value="">All types</option>
            {caseTypes.map((type) => (
              <option key={type} value={type}>
                {caseTypeLabels[type]}
              </option>
            ))}
          </select>
          <label htmlFor="filter-from">From</label>
          <input
            id="filter-from"
            type="date"
            value={filters.from ?? ''}
            max={filters.to}
            onChange={(e) => {
              const { from: _from, ...rest } = filters;
              props.onFilters(e.target.value ? { ...filters, from: e.target.value } : rest);
            }}
          />
          <label htmlFor="filter-to">To</label>
          <input
            id="filter-to"
            type="date"
            value={filters.to ?? ''}
            min={filters.from}
            onChange={(e) => {
              const { to: _to, ...rest } = filters;
              props.onFilters(e.target.value ? { ...filters, to: e.target.value } : rest);
            }}
          />
          <label htmlFor="filter-provider">
            Provider <span className="visually-hidden">filter</span>
          </label>
          <ProviderPicker
            id="filter-provider"
            provider={provider}
            search={props.searchProviders}
            onChoose={(chosen) => {
              setProvider(chosen);
              const { providerId: _providerId, ...rest } = filters;
              props.onFilters(chosen ? { ...filters, providerId: chosen.id } : rest);
            }}
          />
          <label className="case-list__mine">
            <input type="checkbox" checked={filters.mine ?? false} onChange={(e) => props.onFilters({ ...filters, mine: e.target.checked })} />
            Only mine
          </label>
        </div>
      )}
      <p className="case-list__summary" role="status">
        {state.loading
          ? 'Loading…'
          : view.kind === 'search'
            ? `${state.items.length} ${state.items.length === 1 ? 'case' : 'cases'} found${view.matchedBy === 'reference' ? ' by reference' : view.matchedBy === 'phone' ? ' by phone number' : ''}${view.capped ? '. That word is in very many cases: showing the newest. Add another word to narrow it.' : '.'}`
            : `${state.items.length}${state.nextCursor ? '+' : ''} ${state.items.length === 1 ? 'case' : 'cases'}`}
      </p>
      {state.problem && <p className="field__error">{state.problem}</p>}
      <ul className="case-list__items">
        {state.items.map((item) => (
          <li key={item.id}>
            <CaseRowButton item={item} current={item.id === props.currentCaseId} onOpen={props.onOpen} />
          </li>
        ))}
      </ul>
      {state.nextCursor && (
        <button type="button" className="button button--secondary button--small" onClick={props.onMore}>
          Show more cases
        </button>
      )}
    </section>
  );
});

function CaseRowButton({ item, current, onOpen }: { item: CaseSummary & { snippet?: string }; current: boolean; onOpen: (id: string) => void }) {
  return (
    <button type="button" className="case-row" aria-current={current ? 'true' : undefined} onClick={() => onOpen(item.id)}>
      <span className="case-row__top">
        <span className="case-row__ref">{item.reference}</span>
        <span className={`status-pill status-pill--${item.status}`}>{statusLabels[item.status]}</span>
      </span>
      <span className="case-row__meta">
        {caseTypeLabels[item.type]}
        {item.priority === 'high' ? ' · High priority' : ''}
        {item.callerName ? ` · ${item.callerName}` : ''} · {formatWhen(item.createdAt)}
      </span>
      <span className="case-row__preview">{item.snippet || item.preview || 'Nothing written yet'}</span>
    </button>
  );
}
