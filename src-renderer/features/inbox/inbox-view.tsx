import { useEffect } from 'react';
import './inbox.css';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ReferenceData } from '../../../src-shared/contract/cases';
import { inboxAges, type InboxItem } from '../../../src-shared/contract/inbox';
import { caseTypeLabels, channelLabels, type CaseType, type Channel } from '../../../src-shared/domain/case-types';
import { statusLabels } from '../../../src-shared/domain/statuses';
import { dueText, formatMinutes, inboxChannels, type ServiceTargets } from '../../../src-shared/inbox/service-targets';
import type { InboxFilterValues, InboxState } from './inbox-store';

const ageLabels: Record<(typeof inboxAges)[number], string> = {
  any: 'Any age',
  'over-1h': 'Older than 1 hour',
  'over-4h': 'Older than 4 hours',
  'over-24h': 'Older than 24 hours',
  overdue: 'Past its target',
};
const openStatuses = ['open', 'in-progress', 'escalated', 'referred-to-ombudsman'] as const;

/** "3 open contacts, oldest first", "1,000+ open contacts, oldest first (the oldest 100 shown)". */
export function inboxCountText(total: number, capped: boolean, shown: number): string {
  const count = `${total.toLocaleString('en-GB')}${capped ? '+' : ''} open contact${total === 1 && !capped ? '' : 's'}`;
  return `${count}, oldest first${total > shown || capped ? ` (the oldest ${shown} shown)` : ''}`;
}

/** How old the contact is: "35 min", "1 h 20", "3 d 2 h". */
export function ageText(createdAt: string, now: number): string {
  return formatMinutes((now - Date.parse(createdAt)) / 60_000);
}

/** One contact in the inbox: channel, queue, age against its target, who has it, the newest message's first words. */
export function InboxRow({
  item,
  targets,
  now,
  claiming,
  claimError,
  onClaim,
  onOpen,
}: {
  item: InboxItem;
  targets: ServiceTargets;
  now: number;
  claiming: boolean;
  claimError: string | undefined;
  onClaim: () => void;
  onOpen: () => void;
}) {
  const due = dueText(item.createdAt, item.channel, targets, now);
  return (
    <li className={`inbox-row${due.overdue ? ' inbox-row--overdue' : ''}`} aria-label={`${channelLabels[item.channel]} contact ${item.reference}`}>
      <div className="inbox-row__main">
        <p className="inbox-row__meta">
          <span className={`channel-tag channel-tag--${item.channel}`}>{channelLabels[item.channel]}</span>
          <span>{caseTypeLabels[item.type]}</span>
          <span className="muted">{item.reference}</span>
          {item.status !== 'open' && <span className="muted">{statusLabels[item.status]}</span>}
        </p>
        <p className="inbox-row__preview">
          {item.lastMessageDirection === 'outbound' && <span className="muted">You replied: </span>}
          {item.preview || <span className="muted">No words yet</span>}
        </p>
      </div>
      <div className="inbox-row__age">
        <p>
          <span className="visually-hidden">Waiting </span>
          {ageText(item.createdAt, now)}
        </p>
        <p className={due.overdue ? 'inbox-row__due inbox-row__due--overdue' : 'inbox-row__due'}>{due.text}</p>
      </div>
      <div className="inbox-row__owner">
        <p>{item.claimed ? item.ownerName : <span className="inbox-row__unclaimed">Unclaimed</span>}</p>
        {claimError && (
          <p className="field__error" role="alert">
            {claimError}
          </p>
        )}
      </div>
      <div className="inbox-row__actions">
        {!item.claimed && (
          <button type="button" className="button button--small" disabled={claiming} onClick={onClaim}>
            Claim <span className="visually-hidden">{item.reference}</span>
          </button>
        )}
        <button type="button" className="button button--small button--secondary" onClick={onOpen}>
          Open <span className="visually-hidden">{item.reference}</span>
        </button>
      </div>
    </li>
  );
}

function InboxFiltersForm({ filters, reference, onChange }: { filters: InboxFilterValues; reference: ReferenceData | null; onChange: (next: InboxFilterValues) => void }) {
  const queues = (reference?.queues ?? []).filter((queue) => queue.caseType !== null);
  // One option per case type: a type with two queues (feedback and urgent concerns) is one list here.
  const types = [...new Map(queues.map((queue) => [queue.caseType as CaseType, queue.name])).entries()];
  const set = <K extends keyof InboxFilterValues>(key: K, value: InboxFilterValues[K] | '') => {
    const next = { ...filters };
    if (value === '') delete next[key];
    else next[key] = value as InboxFilterValues[K];
    onChange(next);
  };
  return (
    <form className="inbox-filters" aria-label="Filter the inbox" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span className="field__label">Channel</span>
        <select value={filters.channel ?? ''} onChange={(event) => set('channel', event.target.value as Channel | '')}>
          <option value="">All channels</option>
          {inboxChannels.map((channel) => (
            <option key={channel} value={channel}>
              {channelLabels[channel]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field__label">Queue</span>
        <select value={filters.type ?? ''} onChange={(event) => set('type', event.target.value as CaseType | '')}>
          <option value="">All queues</option>
          {(types.length > 0 ? types : (Object.keys(caseTypeLabels) as CaseType[]).map((type) => [type, caseTypeLabels[type]] as const)).map(([type, name]) => (
            <option key={type} value={type}>
              {type === 'feedback' ? caseTypeLabels.feedback : name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field__label">Status</span>
        <select value={filters.status ?? ''} onChange={(event) => set('status', event.target.value as (typeof openStatuses)[number] | '')}>
          <option value="">Any open status</option>
          {openStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field__label">Age</span>
        <select value={filters.age ?? 'any'} onChange={(event) => set('age', event.target.value as InboxFilterValues['age'])}>
          {inboxAges.map((age) => (
            <option key={age} value={age}>
              {ageLabels[age]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field__label">Who has it</span>
        <select value={filters.owner ?? 'any'} onChange={(event) => set('owner', event.target.value as InboxFilterValues['owner'])}>
          <option value="any">Anyone or no one</option>
          <option value="unclaimed">Unclaimed</option>
          <option value="mine">Mine</option>
        </select>
      </label>
    </form>
  );
}

/**
 * The shared inbox: open contacts by web form, SMS, email and social media, and general enquiries, oldest first, each
 * with its age against its channel's target and who has it. Claim one, or open it to read the conversation and reply.
 */
export function InboxView({
  store,
  reference,
  now,
  onOpen,
}: {
  store: StoreApi<InboxState>;
  reference: ReferenceData | null;
  now: number;
  onOpen: (caseId: string) => void;
}) {
  const state = useStore(store);
  useEffect(() => {
    void store.getState().reload();
    return store.getState().follow();
  }, [store]);
  const page = state.page;
  return (
    <main className="inbox" aria-labelledby="inbox-title">
      <header className="inbox__header">
        <h2 id="inbox-title">Inbox</h2>
        <p className="muted" aria-live="polite">
          {page ? inboxCountText(page.total, page.totalCapped, page.items.length) : state.loading ? 'Loading…' : ''}
        </p>
      </header>
      <InboxFiltersForm filters={state.filters} reference={reference} onChange={(next) => void state.setFilters(next)} />
      {state.problem && (
        <p className="banner banner--error" role="alert">
          {state.problem}
        </p>
      )}
      {page && page.items.length === 0 && <p className="inbox__empty">No open contacts match these filters.</p>}
      {page && page.items.length > 0 && (
        <ol className="inbox__list" aria-label="Open contacts, oldest first">
          {page.items.map((item) => (
            <InboxRow
              key={item.id}
              item={item}
              targets={page.targets}
              now={now}
              claiming={state.claiming === item.id}
              claimError={state.claimErrors[item.id]}
              onClaim={() => void state.claim(item.id)}
              onOpen={() => onOpen(item.id)}
            />
          ))}
        </ol>
      )}
      {page && (
        <p className="hint">
          Targets: {inboxChannels.filter((channel) => channel !== 'phone').map((channel) => `${channelLabels[channel]} ${formatMinutes(page.targets[channel])}`).join(' · ')}.
        </p>
      )}
    </main>
  );
}
