import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesktopCore, DATABASE_FILE_NAME, type DesktopCore } from '../../../src-main/core/desktop-core';
import { startEmbeddedApi } from '../../../src-server/embedded';
import type { EventName } from '../../../src-shared/contract/desktop-contract';
import { capturingLogger, manualClock, tempDir } from '../../helpers';
import { testCoreDeps } from './test-core';

describe('the desktop core', () => {
  let dir: ReturnType<typeof tempDir>;
  let api: Awaited<ReturnType<typeof startEmbeddedApi>>;
  let core: DesktopCore | undefined;
  const log = capturingLogger();

  beforeEach(async () => {
    dir = tempDir();
    api = await startEmbeddedApi({ dataDir: dir.path, version: '9.9.9', logger: log.logger });
  });
  afterEach(async () => {
    core?.close();
    core = undefined;
    await api.close();
    dir.remove();
  });

  function build(centralApiUrl = api.url, clock = manualClock()) {
    core = createDesktopCore(testCoreDeps({ dataDir: join(dir.path, 'desk'), centralApiUrl, centralApiEmbedded: true, clock, logger: log.logger, appVersion: '1.2.3' }));
    return core;
  }

  it('creates its data folder and local cache, and reports where they are', () => {
    const desk = build();
    const info = desk.getAppInfo();
    expect(info.databasePath).toBe(join(dir.path, 'desk', DATABASE_FILE_NAME));
    expect(existsSync(info.databasePath)).toBe(true);
    expect(info).toMatchObject({ version: '1.2.3', shell: 'browser', centralApiUrl: api.url, centralApiEmbedded: true });
    expect(info.schemaVersion).toBeGreaterThan(0);
  });

  it('keeps the same install id across restarts', () => {
    const first = build().installId;
    core?.close();
    expect(build().installId).toBe(first);
  });

  it('reports the central API online, with its version, over real HTTP', async () => {
    const desk = build();
    const seen: EventName[] = [];
    desk.events.subscribe((name) => seen.push(name));
    const health = await desk.checkCentralHealth();
    expect(health).toMatchObject({ state: 'online', serverVersion: '9.9.9', problem: null, url: api.url });
    expect(seen).toContain('central.healthChanged');
  });

  it('reports the central API offline with a reason a handler can read when nothing answers', async () => {
    await api.close();
    const desk = build(api.url);
    const health = await desk.checkCentralHealth();
    expect(health.state).toBe('offline');
    expect(health.problem).toMatch(/cannot be reached/);
  });

  it('syncs by itself once signed in: a case logged on the desk reaches the central API and the outbox empties', async () => {
    const desk = build(api.url, { now: () => Date.now() } as ReturnType<typeof manualClock>);
    desk.start();
    expect(desk.syncState().status).toBe('signed-out');
    await desk.signIn('handler@demo.careconnect.test', 'demo-handler-2026');
    const created = desk.cases.create({ type: 'question', channel: 'phone' });
    desk.cases.appendNote(created.id, 'Asked about visiting hours.');
    await vi.waitFor(() => expect(desk.syncState()).toMatchObject({ status: 'online', pending: 0 }), { timeout: 5000 });
    expect(desk.outbox.count()).toBe(0);
    const token = await desk.session.accessToken();
    const read = await fetch(`${api.url}/cases/${created.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain('Asked about visiting hours.');
  });

  it('lets a second handler use the desk once nothing of the first one’s is waiting (hot desking)', async () => {
    const desk = build(api.url, { now: () => Date.now() } as ReturnType<typeof manualClock>);
    await desk.signIn('handler@demo.careconnect.test', 'demo-handler-2026');
    await desk.session.signOut();
    const state = await desk.signIn('handler2@demo.careconnect.test', 'demo-handler2-2026');
    expect(state).toMatchObject({ status: 'signed-in', user: { email: 'handler2@demo.careconnect.test' } });
  });

  it('starts offline, so opening the app never offers calls, and announces each change of state', () => {
    const clock = manualClock();
    const desk = build(api.url, clock);
    expect(desk.getAgentState()).toMatchObject({ state: 'offline', reason: null });
    const events: unknown[] = [];
    desk.events.subscribe((name, payload) => events.push({ name, payload }));
    clock.advance(5000);
    const onBreak = desk.setAgentState({ state: 'break', reason: 'Lunch' });
    expect(onBreak).toEqual({ state: 'break', reason: 'Lunch', since: new Date(clock.now()).toISOString() });
    expect(events).toEqual([{ name: 'agent.stateChanged', payload: onBreak }]);
    desk.setAgentState({ state: 'break', reason: 'Lunch' });
    expect(events).toHaveLength(1);
  });
});
