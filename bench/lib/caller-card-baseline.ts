import { build } from 'esbuild';

/**
 * A browser script (an expression for `page.evaluate`) that mounts the app's own `CallerCard` component, with its
 * own production React, into a fixed box over the page and exposes `window.__benchCard.render(lookup)` and
 * `.clear()`. The screen-pop benchmark's baseline: the same card, in the same page with the app's styles, from a
 * lookup already in memory, so no event, no contract request and no store: React's render and the browser's paint
 * only. Built when the benchmark runs (esbuild is how the app's Node side is built too).
 */
export async function callerCardBaselineScript(): Promise<string> {
  const entry = `
    import { createElement } from 'react';
    import { createRoot } from 'react-dom/client';
    import { CallerCard } from './src-renderer/features/callers/caller-card';
    const host = document.createElement('div');
    host.dataset.bench = 'caller-card-baseline';
    host.style.cssText = 'position:fixed;top:0;right:0;width:360px;z-index:9999;background:#fff';
    document.body.appendChild(host);
    const root = createRoot(host);
    const noop = () => {};
    window.__benchCard = {
      render(lookup) { root.render(createElement(CallerCard, { lookup, currentCaseId: null, onOpenCase: noop })); },
      clear() { root.render(null); },
    };
  `;
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'tsx', sourcefile: 'caller-card-baseline.tsx' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export const BASELINE_CARD_SELECTOR = '[data-bench="caller-card-baseline"] .caller-card__phone';
