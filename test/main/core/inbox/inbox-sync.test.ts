import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../../src-main/core/db/migrations';
import { createDesktopCore, type DesktopCore } from '../../../../src-main/core/desktop-core';
import { PASSWORD } from '../../../server/api-harness';
import { smsParams, startIntakeApi, type IntakeHarness } from '../../../server/intake/intake-harness';
import { capturingLogger, manualClock, tempDir } from '../../../helpers';

/** Desks on the real central API (SQLite, loopback), with intake on and a fake Twilio for SMS replies. */
describe('the inbox against the central API', () => {
  let api: IntakeHarness;
  const opened: DesktopCore[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];
  beforeEach(async () => {
    api = await startIntakeApi();
  });
  afterEach(async () => {
    for (const core of opened.splice(0)) core.close();
    for (const dir of dirs.splice(0)) dir.remove();
    await api.close();
  });

  function openDesk(dataDir: string): DesktopCore {
    const core = createDesktopCore({
      dataDir,
      centralApiUrl: api.base,
      centralApiEmbedded: false,
      fetch: globalThis.fetch,
      clock: manualClock(api.clock.now()),
      logger: capturingLogger('core').logger,
      appName: 'Care Connect Desk',
      appVersion: '0.0.0-test',
      shell: 'browser',
      platform: 'linux',
      autoSync: false,
      liveEvents: false,
    });
    opened.push(core);
    return core;
  }

  async function desk(email: string, dir = tempDir()) {
    dirs.push(dir);
    const core = openDesk(dir.path);
    await core.signIn(email, PASSWORD);
    await core.syncNow();
    return { core, dir };
  }

  async function smsConversation(): Promise<void> {
    expect((await api.smsWebhook(smsParams(1, 'Is the walk-in centre open on Sunday?'))).status).toBe(200);
    api.clock.advance(60_000);
    expect((await api.smsWebhook(smsParams(2, 'It is for my son, he has a rash.'))).status).toBe(200);
  }

  it('pulls an SMS conversation into the inbox and the case thread, both messages in order', async () => {
    await smsConversation();
    const { core } = await desk(api.users.handler.email);
    const page = core.inbox.list({});
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ channel: 'sms', claimed: false, preview: 'It is for my son, he has a rash.', lastMessageDirection: 'inbound' });
    const messages = core.cases.get(page.items[0]!.id).timeline.filter((event) => event.kind === 'message');
    expect(messages.map((event) => [event.body, (event.newValue as { direction: string }).direction, event.authorName])).toEqual([
      ['Is the walk-in centre open on Sunday?', 'inbound', 'Patient (SMS)'],
      ['It is for my son, he has a rash.', 'inbound', 'Patient (SMS)'],
    ]);
  });

  it('claims for one handler only, replies by SMS into the thread at once, and both reach the other desk by sync', async () => {
    await smsConversation();
    const mine = await desk(api.users.handler.email);
    const theirs = await desk(api.users.supervisor.email);
    const caseId = mine.core.inbox.list({}).items[0]!.id;

    await expect(mine.core.inbox.claim(caseId)).resolves.toEqual({ caseId, ownerId: api.users.handler.id });
    expect(mine.core.inbox.list({}).items[0]).toMatchObject({ claimed: true, ownerId: api.users.handler.id });
    await expect(theirs.core.inbox.claim(caseId)).rejects.toThrow('Already taken by handler.');

    const reply = await mine.core.inbox.reply(caseId, 'Yes, 8am to 8pm. If the rash does not fade under a glass, call 999.');
    expect(api.sms.sent.map((message) => message.body)).toEqual(['Yes, 8am to 8pm. If the rash does not fade under a glass, call 999.']);
    expect(reply).toMatchObject({ kind: 'message', newValue: { direction: 'outbound', channel: 'sms' }, authorId: api.users.handler.id });
    expect(mine.core.cases.get(caseId).timeline.filter((event) => event.kind === 'message').map((event) => event.id).at(-1)).toBe(reply.id);

    await mine.core.syncNow();
    expect(mine.core.cases.get(caseId).timeline.filter((event) => event.id === reply.id)).toHaveLength(1);
    await theirs.core.syncNow();
    expect(theirs.core.inbox.list({}).items[0]).toMatchObject({ claimed: true, ownerName: 'handler', lastMessageDirection: 'outbound' });
    expect(theirs.core.cases.get(caseId).timeline.filter((event) => event.kind === 'message')).toHaveLength(3);
  });

  it('shows the central API’s refusal of a reply in its words and records nothing', async () => {
    await smsConversation();
    const mine = await desk(api.users.handler.email);
    const caseId = mine.core.inbox.list({}).items[0]!.id;
    api.sms.failNext(true);
    await expect(mine.core.inbox.reply(caseId, 'Hello')).rejects.toThrow(/The text message was not sent/);
    await expect(mine.core.inbox.reply(caseId, '   ')).rejects.toThrow('Write the reply before sending it.');
    expect(mine.core.cases.get(caseId).timeline.filter((event) => event.kind === 'message')).toHaveLength(2);
  });

  it('gets the messages a desk skipped before it was upgraded, once, and still pushes what was waiting', async () => {
    await smsConversation();
    const { core, dir } = await desk(api.users.handler.email);
    const caseId = core.inbox.list({}).items[0]!.id;
    // What a desk at schema 120 held: the case but none of its messages (it skipped them), its cursor at the end.
    core.db.transaction(() => {
      core.db.prepare('INSERT INTO desk_handover (id, started_at) VALUES (1, ?)').run(new Date().toISOString());
      core.db.prepare("DELETE FROM case_events WHERE kind = 'message'").run();
      core.db.prepare('DELETE FROM desk_handover').run();
    })();
    core.db.exec('DROP INDEX cases_inbox; DROP INDEX cases_inbox_by_owner; DROP INDEX case_events_messages; DROP INDEX outbox_by_name; DROP TABLE caller_aliases; PRAGMA user_version = 120');
    const cursor = (core.db.prepare("SELECT value FROM settings WHERE key = 'syncCursor'").get() as { value: string }).value;
    expect(Number(cursor)).toBeGreaterThan(0);
    core.cases.appendNote(caseId, 'Typed before the upgrade, not sent yet');
    // The note, and the inbox's report of the contact it showed (for the audit log).
    expect(core.outbox.count()).toBe(2);
    core.close();
    opened.splice(opened.indexOf(core), 1);

    const upgraded = openDesk(dir.path);
    expect(upgraded.getAppInfo().schemaVersion).toBe(migrations.at(-1)!.version);
    expect(upgraded.outbox.count()).toBe(2);
    expect(upgraded.cases.get(caseId).timeline.filter((event) => event.kind === 'message')).toHaveLength(0);
    await upgraded.signIn(api.users.handler.email, PASSWORD);
    await upgraded.syncNow();

    const timeline = upgraded.cases.get(caseId).timeline;
    expect(timeline.filter((event) => event.kind === 'message').map((event) => event.body)).toEqual(['Is the walk-in centre open on Sunday?', 'It is for my son, he has a rash.']);
    expect(timeline.filter((event) => event.kind === 'note').map((event) => event.body)).toEqual(['Typed before the upgrade, not sent yet']);
    expect(upgraded.outbox.count()).toBe(0);
    const token = await api.tokenFor(api.users.handler.email);
    const onServer = (await (await api.call('GET', `/cases/${caseId}`, { token })).json()) as { events: { kind: string; body: string | null }[] };
    expect(onServer.events.filter((event) => event.kind === 'note').map((event) => event.body)).toEqual(['Typed before the upgrade, not sent yet']);
  });
});
