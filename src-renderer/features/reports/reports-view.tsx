import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { caseTypeLabels, channelLabels, channels, type CaseType } from '../../../src-shared/domain/case-types';
import { categories, categoryLabels } from '../../../src-shared/domain/categories';
import type { ReportQuery, ReportSummary } from '../../../src-shared/reports/report-schema';
import type { Api } from '../../api';
import { barChartConfig, ChartFigure, lineChartConfig, type ChartRow } from './report-charts';
import { costBasis, definitions } from './report-definitions';
import { formatChange, formatCount, formatDuration, formatPence, formatRange, formatShare, formatShortDay, lastDays, rangeProblem } from './report-format';
import { createReportsStore, saveTextFile, type ReportsStore } from './reports-store';
import './reports.css';

export interface ReportTeam {
  id: string;
  label: string;
}

/** The teams a person may pick: their own (numbered as the live view numbers them); an administrator also sees the whole organisation. */
export function reportTeams(teamIds: readonly string[]): ReportTeam[] {
  return [...new Set(teamIds)].sort().map((id, index) => ({ id, label: `Team ${index + 1}` }));
}

/**
 * The supervisor's reports: a date range (London days) and team; the headline cost per resolved query with its trend
 * against the previous period of the same length and per day; then the queue and handling figures with what each
 * counts; then contacts by channel, case type, category, provider and hour. Every chart has its numbers in a table.
 * "Export CSV" saves the central API's CSV of the same query, so the file's totals are the screen's.
 */
export function ReportsView(props: {
  api: Api;
  /** The signed-in person's teams; an administrator with none sees the whole organisation. */
  teamIds: readonly string[];
  role: 'supervisor' | 'admin';
  now?: number;
  store?: ReportsStore;
  save?: (csv: string, fileName: string) => void;
}) {
  const { api } = props;
  // Read once: the default range is the last 7 days as of opening the screen, and it must not move on a re-render.
  const [now] = useState(() => props.now ?? Date.now());
  const initial = useMemo<ReportQuery>(() => lastDays(now), [now]);
  const store = useMemo(() => props.store ?? createReportsStore(api, initial), [api, props.store, initial]);
  const state = useStore(store);
  const teams = useMemo(() => reportTeams(props.teamIds), [props.teamIds]);
  const [from, setFrom] = useState(state.query.from);
  const [to, setTo] = useState(state.query.to);
  const [teamId, setTeamId] = useState(state.query.teamId ?? '');
  const problem = rangeProblem(from, to);

  // The chosen range and team, asked for as soon as they make a valid query.
  useEffect(() => {
    if (rangeProblem(from, to) !== null) return;
    void store.getState().load({ from, to, ...(teamId === '' ? {} : { teamId }) });
  }, [store, from, to, teamId]);

  const everyone = props.role === 'admin' ? 'Whole organisation' : teams.length > 1 ? 'All your teams' : 'Your team';
  const teamName = teamId === '' ? everyone : (teams.find((team) => team.id === teamId)?.label ?? teamId);
  const setPreset = (days: number) => {
    const range = lastDays(now, days);
    setFrom(range.from);
    setTo(range.to);
  };

  const summary = state.summary;
  const shown = summary ? `${formatRange(summary.range.from, summary.range.to)} (${summary.range.days} ${summary.range.days === 1 ? 'day' : 'days'}), ${teamName.toLowerCase()}` : null;

  return (
    <main className="reports" id="reports-view" aria-labelledby="reports-heading">
      <div className="reports__header">
        <h1 id="reports-heading">Reports</h1>
        <button
          type="button"
          className="button"
          disabled={state.exporting || problem !== null || state.status !== 'ready'}
          onClick={() => void state.exportCsv(props.save ?? ((csv, name) => saveTextFile(csv, name)))}
        >
          {state.exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>

      <form className="reports__filters panel" aria-label="Report range and team" onSubmit={(event) => event.preventDefault()}>
        <label>
          First day
          <input type="date" value={from} max={to || undefined} onChange={(event) => setFrom(event.target.value)} aria-invalid={problem !== null} aria-describedby="report-range-help" />
        </label>
        <label>
          Last day
          <input type="date" value={to} min={from || undefined} onChange={(event) => setTo(event.target.value)} aria-invalid={problem !== null} aria-describedby="report-range-help" />
        </label>
        <div className="reports__presets" role="group" aria-label="Quick ranges">
          <button type="button" className="button button--small button--secondary" onClick={() => setPreset(7)}>
            Last 7 days
          </button>
          <button type="button" className="button button--small button--secondary" onClick={() => setPreset(30)}>
            Last 30 days
          </button>
        </div>
        <label>
          Team
          <select value={teamId} onChange={(event) => setTeamId(event.target.value)} disabled={teams.length === 0 || (teams.length === 1 && props.role !== 'admin')}>
            <option value="">{everyone}</option>
            {(teams.length > 1 || props.role === 'admin') &&
              teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.label}
                </option>
              ))}
          </select>
        </label>
        <p id="report-range-help" className={problem ? 'reports__range-problem' : 'hint reports__range-help'} role={problem ? 'alert' : undefined}>
          {problem ?? 'Days are London days, both included. The trend compares with the same number of days just before.'}
        </p>
      </form>

      <p className="reports__status" role="status" data-testid="report-status">
        {state.status === 'loading'
          ? `Loading the report for ${rangeProblem(state.query.from, state.query.to) === null ? formatRange(state.query.from, state.query.to) : 'the chosen days'}…`
          : state.status === 'ready' && shown
            ? `Showing ${shown}.`
            : ''}
      </p>
      {state.problem && (
        <div className="banner banner--error" role="alert" data-testid="report-problem">
          <p>Could not load the report: {state.problem}</p>
          <button type="button" className="button button--small" onClick={() => void state.load(state.query)}>
            Try again
          </button>
        </div>
      )}
      {state.exportOutcome && (
        <p className={`reports__outcome reports__outcome--${state.exportOutcome.tone}`} role={state.exportOutcome.tone === 'refused' ? 'alert' : 'status'} data-testid="export-outcome">
          {state.exportOutcome.text}
        </p>
      )}

      {summary && (
        <div className="reports__body" aria-busy={state.status === 'loading'}>
          <Headline summary={summary} />
          {summary.contacts.total === 0 && summary.calls.queued === 0 ? (
            <p className="panel reports__empty" data-testid="report-empty">
              No contacts between {formatRange(summary.range.from, summary.range.to)} for {teamName.toLowerCase()}: no cases were opened and no calls were queued. Choose other days or another team.
            </p>
          ) : (
            <>
              <CallFigures summary={summary} />
              <ContactCharts summary={summary} />
            </>
          )}
        </div>
      )}
    </main>
  );
}

function Headline({ summary }: { summary: ReportSummary }) {
  const cost = summary.cost;
  const change = formatChange(cost.change);
  const previousDays = formatRange(cost.previous.from, cost.previous.to);
  const trendRows: ChartRow[] = useMemo(
    () => cost.trend.map((day) => ({ label: formatShortDay(day.day), value: day.costPerResolvedPence === null ? null : Math.round(day.costPerResolvedPence) / 100, text: formatPence(day.costPerResolvedPence) })),
    [cost.trend],
  );
  const trendConfig = useMemo(() => lineChartConfig(trendRows, 'Cost per resolved query', (pounds) => formatPence(pounds * 100)), [trendRows]);
  const channelRows = channels.filter((channel) => cost.byChannel[channel].contacts > 0 || cost.byChannel[channel].resolved > 0);

  return (
    <section className="panel reports__headline" aria-labelledby="headline-heading">
      <div className="headline__figures">
        <div>
          <h2 id="headline-heading">Cost per resolved query</h2>
          <p className="headline__figure" data-testid="cost-per-resolved">
            {formatPence(cost.costPerResolvedPence)}
          </p>
          <p className="headline__trend" data-testid="cost-trend">
            {cost.costPerResolvedPence === null
              ? 'No query was resolved in these days, so there is no cost per resolved query yet.'
              : change === null
                ? `No figure for the previous ${summary.range.days} days (${previousDays}) to compare with.`
                : change === 'no change'
                  ? `The same as the previous ${summary.range.days} days (${previousDays}).`
                  : `${change.replace(/^(down|up)/, (word) => (word === 'down' ? 'Down' : 'Up'))} on the previous ${summary.range.days} days (${formatPence(cost.previous.costPerResolvedPence)}, ${previousDays}): ${cost.change! < 0 ? 'each resolution cost less' : 'each resolution cost more'}.`}
          </p>
          <p className="headline__sum">
            <span data-testid="total-cost">{formatPence(cost.totalCostPence)}</span> total cost ÷ <span data-testid="resolved-total">{formatCount(summary.resolved.total)}</span> resolved{' '}
            {summary.resolved.total === 1 ? 'query' : 'queries'} ({formatCount(Math.round(cost.paidHours * 10) / 10)} paid handler hours, {formatPence(cost.platformCostPence)} platform).
          </p>
          <p className="hint">{definitions.costPerResolved}</p>
          <p className="hint">{definitions.resolved}</p>
          <p className="hint">{costBasis(summary.settings)}</p>
        </div>
        <div className="headline__side">
          <ChartFigure
            title="Cost per resolved query by day"
            config={trendConfig }
            rows={trendRows}
            labelHeader="Day"
            valueHeader="Cost per resolved query"
            size="short"
            testId="chart-trend"
            note={
              <p className="hint">
                Each day’s cost over the queries resolved that day; a day on which nothing was resolved has no figure and is left as a gap.
              </p>
            }
          />
          <table className="live-table report-table" data-testid="cost-by-channel">
            <caption>Cost per resolved query by channel</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col" className="live-table__number">
                  Contacts
                </th>
                <th scope="col" className="live-table__number">
                  Resolved
                </th>
                <th scope="col" className="live-table__number">
                  Cost per resolved
                </th>
              </tr>
            </thead>
            <tbody>
              {channelRows.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    No contacts on any channel.
                  </td>
                </tr>
              ) : (
                channelRows.map((channel) => (
                  <tr key={channel}>
                    <th scope="row">{channelLabels[channel]}</th>
                    <td className="live-table__number">{formatCount(cost.byChannel[channel].contacts)}</td>
                    <td className="live-table__number">{formatCount(cost.byChannel[channel].resolved)}</td>
                    <td className="live-table__number">{formatPence(cost.byChannel[channel].costPerResolvedPence)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function Figure(props: { testId: string; title: string; value: string; detail: string; definition: string; verdict?: { met: boolean | null; text: string } }) {
  return (
    <div className="report-figure" data-testid={props.testId}>
      <h3 className="report-figure__title">{props.title}</h3>
      <p className="report-figure__value">{props.value}</p>
      {props.verdict && props.verdict.met !== null && (
        <p className={`report-figure__verdict report-figure__verdict--${props.verdict.met ? 'met' : 'missed'}`}>{props.verdict.text}</p>
      )}
      <p className="report-figure__detail">{props.detail}</p>
      <p className="report-figure__definition">{props.definition}</p>
    </div>
  );
}

function CallFigures({ summary }: { summary: ReportSummary }) {
  const calls = summary.calls;
  const sl = calls.serviceLevel;
  const after = summary.settings.abandonedAfterSeconds;
  return (
    <section className="panel" aria-labelledby="figures-heading">
      <h2 id="figures-heading">Calls</h2>
      <div className="report-figures">
        <Figure
          testId="figure-asa"
          title="Average speed of answer"
          value={formatDuration(calls.averageSpeedOfAnswerMs)}
          detail={`${formatCount(calls.answered)} of ${formatCount(calls.queued)} queued calls answered.`}
          definition={definitions.averageSpeedOfAnswer}
        />
        <Figure
          testId="figure-aht"
          title="Average handle time"
          value={formatDuration(calls.averageHandleMs)}
          detail={`Talk ${formatDuration(calls.averageTalkMs)}, hold ${formatDuration(calls.averageHoldMs)}, wrap-up ${formatDuration(calls.averageWrapUpMs)}, over ${formatCount(calls.handled)} calls handled.`}
          definition={definitions.averageHandleTime}
        />
        <Figure
          testId="figure-abandonment"
          title="Abandonment"
          value={formatShare(calls.abandonmentRate)}
          detail={`${formatCount(calls.abandoned)} of ${formatCount(calls.queued)} queued callers hung up before an answer; ${formatCount(calls.abandonedAfterThreshold)} after waiting over ${after} s (${formatShare(calls.abandonmentRateAfterThreshold)}).`}
          definition={definitions.abandonment}
        />
        <Figure
          testId="figure-fcr"
          title="First-contact resolution"
          value={formatShare(calls.firstContactResolution.rate)}
          detail={`${formatCount(calls.firstContactResolution.resolved)} of ${formatCount(calls.firstContactResolution.eligible)} answered calls settled on the call.`}
          definition={definitions.firstContactResolution}
        />
        <Figure
          testId="figure-service-level"
          title="Service level"
          value={formatShare(sl.share)}
          verdict={{ met: sl.met, text: sl.met ? `Target met (${formatShare(sl.targetShare)})` : `Below target (${formatShare(sl.targetShare)})` }}
          detail={`${formatCount(sl.answeredWithinTarget)} of ${formatCount(calls.answered)} answered within ${sl.targetSeconds} s; the target is ${formatShare(sl.targetShare)}.`}
          definition={definitions.serviceLevel}
        />
      </div>
    </section>
  );
}

/** Providers beyond this many are drawn as one bar; the table lists them all. */
const PROVIDER_BARS = 10;

function ContactCharts({ summary }: { summary: ReportSummary }) {
  const contacts = summary.contacts;
  const charts = useMemo(() => {
    const channelRows: ChartRow[] = channels.map((channel) => ({ label: channelLabels[channel], value: contacts.byChannel[channel] }));
    const typeRows: ChartRow[] = (Object.keys(contacts.byType) as (CaseType | 'unknown')[]).map((type) => ({
      label: type === 'unknown' ? 'Not known' : caseTypeLabels[type],
      value: contacts.byType[type],
    }));
    const categoryRows: ChartRow[] = [...categories.map((category) => ({ label: categoryLabels[category], value: contacts.byCategory[category] })), { label: 'No category', value: contacts.byCategory.none }];
    const providerRows: ChartRow[] = contacts.byProvider.map((row) => ({ label: row.providerId === null ? 'No provider' : (row.name ?? `Unknown provider (${row.providerId})`), value: row.count }));
    const providerBars =
      providerRows.length > PROVIDER_BARS
        ? [...providerRows.slice(0, PROVIDER_BARS), { label: `${providerRows.length - PROVIDER_BARS} other providers`, value: providerRows.slice(PROVIDER_BARS).reduce((sum, row) => sum + (row.value ?? 0), 0) }]
        : providerRows;
    const hourRows: ChartRow[] = contacts.byHour.map((count, hour) => ({ label: `${String(hour).padStart(2, '0')}:00`, value: count }));
    return {
      channel: { rows: channelRows, config: barChartConfig(channelRows, 'Contacts') },
      type: { rows: typeRows, config: barChartConfig(typeRows, 'Contacts') },
      category: { rows: categoryRows, config: barChartConfig(categoryRows, 'Contacts', true) },
      provider: { rows: providerRows, config: barChartConfig(providerBars, 'Contacts', true) },
      hour: { rows: hourRows, config: barChartConfig(hourRows, 'Contacts') },
    };
  }, [contacts]);

  return (
    <section className="panel" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">
        Contacts: <span data-testid="contacts-total">{formatCount(contacts.total)}</span>
      </h2>
      <p className="hint">{definitions.contacts}</p>
      <div className="report-charts">
        <ChartFigure title="Contacts by channel" config={charts.channel.config } rows={charts.channel.rows} labelHeader="Channel" valueHeader="Contacts" testId="chart-channel" />
        <ChartFigure title="Contacts by case type" config={charts.type.config } rows={charts.type.rows} labelHeader="Case type" valueHeader="Contacts" testId="chart-type" />
        <ChartFigure title="Contacts by category" config={charts.category.config } rows={charts.category.rows} labelHeader="Category" valueHeader="Contacts" size="tall" testId="chart-category" />
        <ChartFigure
          title="Contacts by provider"
          config={charts.provider.config }
          rows={charts.provider.rows}
          labelHeader="Provider"
          valueHeader="Contacts"
          size="tall"
          testId="chart-provider"
          note={charts.provider.rows.length === 0 ? <p className="muted">No contacts named a provider.</p> : undefined}
        />
        <ChartFigure title="Contacts by hour of day (London time)" config={charts.hour.config } rows={charts.hour.rows} labelHeader="Hour" valueHeader="Contacts" size="wide" testId="chart-hour" />
      </div>
    </section>
  );
}
