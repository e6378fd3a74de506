import { INTAKE_USER } from '../intake/intake-store';
import { rowToCase } from '../moderation/case-timeline';
import { StoreRefusal, type Actor, type CentralStore, type ServerCase } from '../store/central-store';

/**
 * Claiming a contact from the shared inbox: the case passes from the intake account ("Online contact") to the handler
 * who claimed it. The owner changes in one conditional UPDATE (`WHERE owner_id = 'intake'`), so of two handlers who
 * claim the same contact at the same moment exactly one wins: on PostgreSQL the second UPDATE waits for the first's
 * row lock and then finds the owner changed; SQLite runs one writer at a time. The case's change row is written in the
 * same transaction through the store's `recordChanges`, so every desk of the team pulls the new owner.
 */
export function createClaimStore(store: CentralStore, clock: { now(): number }) {
  const { db } = store;
  const now = () => new Date(clock.now()).toISOString();

  return {
    /**
     * The case, now the actor's. Claiming a contact one already has is answered with it again (a retried request);
     * one someone else has is refused with 409 and their name; a closed one with 409 as well.
     */
    async claim(actor: Actor, caseId: string): Promise<ServerCase> {
      return db.transaction().execute(async (tx) => {
        const at = now();
        const taken = await tx
          .updateTable('cases')
          .set((eb) => ({ owner_id: actor.userId, updated_at: at, version: eb('version', '+', 1) }))
          .where('id', '=', caseId)
          .where('team_id', 'in', actor.teamIds.length > 0 ? actor.teamIds : ['-'])
          .where('owner_id', '=', INTAKE_USER.id)
          .where('closed_at', 'is', null)
          .executeTakeFirst();
        const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
        if (!row || actor.role === 'admin' || !actor.teamIds.includes(row.team_id)) throw new StoreRefusal(404, 'There is no such contact in your teams.');
        const current = rowToCase(row);
        if (Number(taken.numUpdatedRows) === 0) {
          if (current.ownerId === actor.userId) return current;
          if (current.closedAt !== null) throw new StoreRefusal(409, 'This contact is already closed.');
          const owner = await tx.selectFrom('users').select('name').where('id', '=', current.ownerId).executeTakeFirst();
          throw new StoreRefusal(409, `Already taken by ${owner?.name ?? 'someone else'}.`);
        }
        await store.recordChanges(tx, [{ teamId: current.teamId, entity: 'case', entityId: current.id, data: current, at }]);
        return current;
      });
    },
  };
}

export type ClaimStore = ReturnType<typeof createClaimStore>;
