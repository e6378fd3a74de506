import { randomBytes } from 'node:crypto';
import { withAdmin } from '../../postgres';

/** A NOTIFY channel no other test run uses. */
export function uniqueChannel(): string {
  return `live_test_${randomBytes(6).toString('hex')}`;
}

/** Cuts the connections with this application name, as a failover or a network fault would. */
export function terminateConnections(applicationName: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows[0]!.n;
  });
}
