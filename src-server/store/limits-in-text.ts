import { LimitNode, OperationNodeTransformer, ValueNode, type KyselyPlugin, type QueryId } from 'kysely';

class LimitsInText extends OperationNodeTransformer {
  protected override transformLimit(node: LimitNode, queryId?: QueryId): LimitNode {
    const { limit } = node;
    if (ValueNode.is(limit) && !limit.immediate && typeof limit.value === 'number' && Number.isSafeInteger(limit.value) && limit.value >= 0) {
      return LimitNode.create(ValueNode.createImmediate(limit.value));
    }
    return super.transformLimit(node, queryId);
  }
}

/**
 * SQLite: every query's LIMIT written into its text, not bound. SQLite lets its planner use a bound limit, so every
 * new binding marks the statement out of date and its next run prepares it again; better-sqlite3 binds on every run,
 * so a query with `LIMIT ?` was prepared afresh each time however long it was kept (a pull's page read, the case
 * list, an inbound message's thread). Only whole numbers are written in; the statement cache keeps one statement per
 * limit, and the limits in use are few (page sizes).
 */
export const limitsInText: KyselyPlugin = {
  transformQuery: (args) => new LimitsInText().transformNode(args.node, args.queryId),
  transformResult: async (args) => args.result,
};
