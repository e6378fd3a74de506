import { z } from 'zod';
import { createTeamRequestSchema, createUserRequestSchema, teamSchema, updateUserRequestSchema, userSchema } from '../../src-shared/api/people';
import { problemTypes } from '../../src-shared/problem';
import type { AccessState } from '../auth/access-state';
import { hashPassword, type PasswordCost } from '../auth/passwords';
import type { TokenService } from '../auth/tokens';
import { sendProblem } from '../problem';
import type { CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

/** People and teams, and the audit trail: administrators only. The audit trail can be read, never changed. */
export function adminRoutes(deps: { store: CentralStore; access: Pick<AccessState, 'forget'>; tokens: Pick<TokenService, 'signInKey'>; passwordCost?: PasswordCost }): RouteSpec[] {
  const admin = ['admin'] as const;
  return [
    defineRoute({ method: 'GET', url: '/admin/users', summary: 'List users', tag: 'admin', access: admin, response: z.array(userSchema), handler: () => deps.store.listUsers() }),
    defineRoute({
      method: 'POST',
      url: '/admin/users',
      summary: 'Create a user',
      tag: 'admin',
      access: admin,
      body: createUserRequestSchema,
      response: userSchema,
      status: 201,
      refusals: { 409: 'That email is already in use', 422: 'A team given does not exist' },
      async handler({ body, reply }) {
        if (await deps.store.findUserByEmail(body.email)) {
          return sendProblem(reply, { type: problemTypes.validation, title: 'That email is already in use', status: 409 });
        }
        const { password, ...rest } = body;
        return deps.store.createUser({ ...rest, passwordHash: await hashPassword(password, deps.passwordCost) });
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/admin/users/:id',
      summary: 'Change a user, set a new password or lift a lock-out',
      tag: 'admin',
      access: admin,
      params: z.object({ id: z.string().min(1).max(128) }).strict(),
      body: updateUserRequestSchema,
      response: userSchema,
      refusals: { 404: 'No such user', 422: 'A team given does not exist' },
      async handler({ params, body, reply }) {
        const { password, unlock, ...change } = body;
        const user = await deps.store.updateUser(params.id, password === undefined ? change : { ...change, passwordHash: await hashPassword(password, deps.passwordCost) });
        if (user && (unlock || password !== undefined)) await deps.store.clearSignInFailures(deps.tokens.signInKey(user.email));
        // The user's next request acts on the change, not on what their access token still says.
        deps.access.forget(params.id);
        return user ?? sendProblem(reply, { type: problemTypes.notFound, title: 'No such user', status: 404 });
      },
    }),
    defineRoute({ method: 'GET', url: '/admin/teams', summary: 'List teams', tag: 'admin', access: admin, response: z.array(teamSchema), handler: () => deps.store.listTeams() }),
    defineRoute({
      method: 'POST',
      url: '/admin/teams',
      summary: 'Create a team',
      tag: 'admin',
      access: admin,
      body: createTeamRequestSchema,
      response: teamSchema,
      status: 201,
      refusals: { 409: 'There is already a team with that name' },
      handler: ({ body }) => deps.store.createTeam(body.name),
    }),
    defineRoute({
      method: 'GET',
      url: '/admin/audit',
      summary: 'Read who read a case',
      tag: 'admin',
      access: admin,
      query: z.object({ caseId: z.string().min(1).max(128) }).strict(),
      response: z.object({ items: z.array(z.object({ userId: z.string(), caseId: z.string(), reason: z.string(), at: z.string() })) }),
      handler: async ({ query }) => ({ items: await deps.store.auditFor(query.caseId) }),
    }),
  ];
}
