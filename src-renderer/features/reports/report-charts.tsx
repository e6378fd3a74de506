import type { ChartConfiguration } from 'chart.js';
import { useId, type ReactNode } from 'react';
import { ChartCanvas, type ReportChartConfig } from './chart-canvas';

/** The app's blue (styles.css `--blue`); Chart.js takes colours from script, not from CSS. */
const BAR_COLOUR = '#005eb8';
const LINE_COLOUR = '#003087';
const GRID_COLOUR = '#d8dde0';
const INK = '#4c6272';

export interface ChartRow {
  label: string;
  value: number | null;
  /** How the value reads in the table (and the tooltip); the number itself by default. */
  text?: string;
}

/** A bar chart of counts: vertical bars for a few short labels, horizontal for long ones (categories, providers). */
export function barChartConfig(rows: readonly ChartRow[], seriesLabel: string, horizontal = false): ChartConfiguration<'bar'> {
  const valueAxis = horizontal ? 'x' : 'y';
  const labelAxis = horizontal ? 'y' : 'x';
  return {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.label),
      datasets: [{ label: seriesLabel, data: rows.map((row) => row.value ?? 0), backgroundColor: BAR_COLOUR, maxBarThickness: 36 }],
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { tooltip: { enabled: true } },
      scales: {
        [valueAxis]: { beginAtZero: true, ticks: { precision: 0, color: INK }, grid: { color: GRID_COLOUR } },
        [labelAxis]: { ticks: { color: INK, autoSkip: !horizontal }, grid: { display: false } },
      },
    },
  };
}

/** A line over days (the headline's trend); a day with nothing to divide by is a gap, not a zero. */
export function lineChartConfig(rows: readonly ChartRow[], seriesLabel: string, formatTick: (value: number) => string): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: rows.map((row) => row.label),
      datasets: [{ label: seriesLabel, data: rows.map((row) => row.value), borderColor: LINE_COLOUR, backgroundColor: LINE_COLOUR, pointRadius: 4, pointHoverRadius: 6, spanGaps: false, tension: 0 }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { tooltip: { enabled: true, callbacks: { label: (item) => formatTick(Number(item.parsed.y)) } } },
      scales: {
        y: { beginAtZero: true, ticks: { color: INK, callback: (value) => formatTick(Number(value)) }, grid: { color: GRID_COLOUR } },
        x: { ticks: { color: INK }, grid: { display: false } },
      },
    },
  };
}

/**
 * A chart with its numbers: a caption, the canvas (hidden from assistive technology), and the same figures as a table
 * in a disclosure a screen-reader user (or anyone) can open. The table is always in the page, so nothing is drawn
 * that cannot be read.
 */
export function ChartFigure(props: {
  title: string;
  config: ReportChartConfig;
  rows: readonly ChartRow[];
  labelHeader: string;
  valueHeader: string;
  size?: 'short' | 'tall' | 'wide';
  testId?: string;
  note?: ReactNode;
}) {
  const captionId = useId();
  return (
    <figure className="report-chart" aria-labelledby={captionId} data-testid={props.testId}>
      <figcaption id={captionId} className="report-chart__title">
        {props.title}
      </figcaption>
      <ChartCanvas config={props.config} className={`report-chart__canvas--${props.size ?? 'short'}`} />
      {props.note}
      <details className="report-chart__data">
        <summary>Table of these figures</summary>
        <table className="live-table report-table">
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.labelHeader}</th>
              <th scope="col" className="live-table__number">
                {props.valueHeader}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td className="live-table__number">{row.text ?? (row.value === null ? '–' : String(row.value))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
