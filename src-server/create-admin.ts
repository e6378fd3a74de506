import { createUserRequestSchema } from '../src-shared/api/people';
import { hashPassword } from './auth/passwords';
import { readServerConfig } from './config';
import { openStore } from './store/open-store';

/**
 * `npm run server:create-admin -- --email you@trust.nhs.uk --name "Your Name"` with the password in ADMIN_PASSWORD:
 * creates the first administrator on the store the server would use (DATABASE_URL or SQLITE_PATH).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const parsed = createUserRequestSchema.safeParse({
    email: value('--email'),
    name: value('--name'),
    role: 'admin',
    teamIds: [],
    password: process.env.ADMIN_PASSWORD,
  });
  if (!parsed.success) {
    throw new Error(`Cannot create the administrator:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}\n` +
      'Usage: ADMIN_PASSWORD=… npm run server:create-admin -- --email you@example.org --name "Your Name"');
  }
  const config = readServerConfig(process.env);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH });
  try {
    if (await store.findUserByEmail(parsed.data.email)) throw new Error(`A user with ${parsed.data.email} already exists.`);
    const { password, ...user } = parsed.data;
    const created = await store.createUser({ ...user, passwordHash: await hashPassword(password) });
    process.stdout.write(`Created administrator ${created.email} (${created.id}) on the ${store.dialect} store.\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
