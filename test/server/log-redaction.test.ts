import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src-shared/logging/logger-options';
import { createTestSchema, type TestSchema } from '../postgres';

const PHONE = '+447700900123';

/** The central API's logger (its own options), writing into a string instead of stdout. */
function capturedLogger() {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: pino(loggerOptions('central-api'), sink), text: () => text };
}

/** The error `query` fails with on the real server. */
async function failure(client: pg.Client, query: string, values: unknown[]): Promise<Error> {
  const error = await client.query(query, values).then(
    () => null,
    (thrown: unknown) => thrown as Error,
  );
  if (!error) throw new Error(`expected ${query} to fail`);
  return error;
}

describe('a database error in a log line', () => {
  let schema: TestSchema;
  let client: pg.Client;

  beforeAll(async () => {
    schema = await createTestSchema('log_redaction');
    client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    await client.query(`CREATE TABLE callers (id uuid PRIMARY KEY, phone text NOT NULL, name text NOT NULL CHECK (length(name) < 20))`);
    await client.query(`CREATE UNIQUE INDEX callers_by_phone ON callers (phone)`);
    await client.query(`INSERT INTO callers (id, phone, name) VALUES ('00000000-0000-4000-8000-000000000001', $1, 'Ann Patel')`, [PHONE]);
  });

  afterAll(async () => {
    await client?.end();
    await schema?.drop();
  });

  it('says which constraint and code failed, never the values PostgreSQL quotes in it', async () => {
    const duplicate = await failure(client, `INSERT INTO callers (id, phone, name) VALUES ('00000000-0000-4000-8000-000000000002', $1, 'Ann Patel')`, [PHONE]);
    const tooLong = await failure(client, `INSERT INTO callers (id, phone, name) VALUES ('00000000-0000-4000-8000-000000000003', '+447700900999', $1)`, ['Margaret Ann Patel-Whitfield']);
    const badId = await failure(client, `SELECT * FROM callers WHERE id = $1`, [PHONE]);
    // What PostgreSQL sends: the values are in the error, so a plain log line would carry them.
    expect(`${(duplicate as { detail?: string }).detail}`).toContain(PHONE);
    expect(`${(tooLong as { detail?: string }).detail}`).toContain('Whitfield');
    expect(badId.message).toContain(PHONE);

    const { logger, text } = capturedLogger();
    for (const err of [duplicate, tooLong, badId]) logger.error({ err }, 'request error');
    const lines = text().trim().split('\n').map((line) => JSON.parse(line) as { err: Record<string, unknown> });

    expect(text()).not.toContain(PHONE);
    expect(text()).not.toContain('Patel');
    expect(text()).not.toContain('Whitfield');
    expect(lines.map((line) => [line.err.code, line.err.constraint ?? null])).toEqual([
      ['23505', 'callers_by_phone'],
      ['23514', 'callers_name_check'],
      ['22P02', null],
    ]);
    // The message reaches the log as the first line of the stack (the field itself is censored by pino's paths).
    const firstLine = (line: { err: Record<string, unknown> }) => String(line.err.stack).split('\n')[0];
    expect(lines.map((line) => line.err.type)).toEqual(['error', 'error', 'error']);
    expect(firstLine(lines[0]!)).toBe('error: duplicate key value violates unique constraint "callers_by_phone"');
    expect(firstLine(lines[2]!)).toBe('error: invalid input syntax for type uuid: "[redacted]"');
  });

  it('keeps the words of a body that would not parse out of the log', () => {
    const { logger, text } = capturedLogger();
    let err: unknown;
    try {
      JSON.parse(`Mrs Patel on ward 7, ${PHONE}`);
    } catch (thrown) {
      err = thrown;
    }
    logger.info({ err }, 'request refused');
    const line = JSON.parse(text()) as { err: { type: string; message: string; stack: string } };
    expect(line.err.type).toBe('SyntaxError');
    expect(line.err.stack.split('\n')[0]).toBe(`SyntaxError: Unexpected token 'M', "[redacted]" is not valid JSON`);
    expect(text()).not.toContain(PHONE);
  });
});
