import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { createContext, useContext, useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

/** A drawn chart as the screen holds it: it only ever has to let go of its canvas. */
export interface DrawnChart {
  destroy(): void;
}

/** The charts the reports draw. */
export type ReportChartConfig = ChartConfiguration<'bar'> | ChartConfiguration<'line'>;

/** Draws a chart on a canvas. Chart.js in the app; tests give their own (jsdom has no canvas). */
export type ChartFactory = (canvas: HTMLCanvasElement, config: ReportChartConfig) => DrawnChart;

export const drawWithChartJs: ChartFactory = (canvas, config) => new Chart(canvas, config as ChartConfiguration);

export const ChartFactoryContext = createContext<ChartFactory>(drawWithChartJs);

/**
 * One Chart.js chart on a canvas that assistive technology skips (`aria-hidden`): every chart on the reports screen
 * has its numbers in a table next to it. Chart.js styles the canvas from script (allowed by the CSP, unlike a style
 * attribute in markup); the wrapper's size comes from reports.css. The chart is destroyed when the figures change or
 * the screen goes, so no Chart.js instance or resize observer outlives its canvas.
 */
export function ChartCanvas({ config, className }: { config: ReportChartConfig; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const draw = useContext(ChartFactoryContext);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = draw(canvas.current, config);
    return () => chart.destroy();
  }, [draw, config]);
  return (
    <div className={`report-chart__canvas ${className ?? ''}`}>
      <canvas ref={canvas} aria-hidden="true" />
    </div>
  );
}
