import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve('test-results', 'screenshots');

/** The flags this machine (and CI) needs: no sandbox as root, no GPU, and no calls home on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}. Install Debian's chromium package or set CHROMIUM_PATH.`);
  return path;
}

/**
 * Chromium as the desk's window shows the app: in British English, so a date field reads dd/mm/yyyy (the Electron
 * main process sets `lang`; Chromium on Linux takes its locale from the environment instead, and needs Debian's
 * chromium-l10n for any locale but en-US).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, env: { ...process.env, LANG: 'en_GB.UTF-8', LANGUAGE: 'en_GB' } });
}

export interface RunningApp {
  url: string;
  origin: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the built app in browser mode (`dist/browser-mode/start.cjs`) as `npm run start:browser` would, in a
 * fresh data folder, and waits for the line with its address.
 */
export async function startBrowserMode(env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  const entry = resolve('dist', 'browser-mode', 'start.cjs');
  if (!existsSync(entry)) throw new Error('Build first: npm run build');
  const dataDir = mkdtempSync(join(tmpdir(), 'care-desk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, CARE_DESK_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+\/#secret=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name);
}

/** Signs in on the sign-in screen as the demo organisation's handler (or another demo user). */
export async function signIn(page: Page, email = 'handler@demo.careconnect.test', password = 'demo-handler-2026'): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The central API's address as the signed-in desk shows it. */
export async function shownApiUrl(page: Page): Promise<string> {
  return (await page.getByText(/^http:\/\/127\.0\.0\.1:\d+/).first().textContent())!.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
}

/**
 * A page of its own (a new browser context with `context`), on the app, signed in as `email`; `errors` collects the
 * page's uncaught errors and, unless `consoleErrors` is false, its console errors, for a test to find empty at the end.
 */
export async function openSignedIn(
  browser: Browser,
  app: RunningApp,
  options: { email: string; password: string; context?: BrowserContextOptions; consoleErrors?: boolean },
): Promise<{ page: Page; errors: string[]; apiUrl: string }> {
  const page = await (await browser.newContext(options.context)).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.consoleErrors !== false) page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(app.url);
  await signIn(page, options.email, options.password);
  return { page, errors, apiUrl: await shownApiUrl(page) };
}
