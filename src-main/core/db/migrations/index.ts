import type { Migration } from '../migration';
import { migration0010Settings } from './0010-settings';
import { migration0020ReferenceData } from './0020-reference-data';
import { migration0030Callers } from './0030-callers';
import { migration0040Cases } from './0040-cases';
import { migration0050CaseEvents } from './0050-case-events';
import { migration0060Calls } from './0060-calls';
import { migration0070Outbox } from './0070-outbox';
import { migration0080CaseSearch } from './0080-case-search';
import { migration0090OpenCasesByCaller } from './0090-open-cases-by-caller';
import { migration0100SearchMergesBetweenSaves } from './0100-search-merges-between-saves';
import { migration0110Sync } from './0110-sync';
import { migration0120TeamUsersAndHandover } from './0120-team-users-and-handover';
import { migration0140ContactEventsAndInbox } from './0140-contact-events-and-inbox';
import { migration0150OutboxByName } from './0150-outbox-by-name';
import { migration0160CallerAliases } from './0160-caller-aliases';
import { migration0170ChecksAsComparisons } from './0170-checks-as-comparisons';

/** Every migration, in order. Numbers leave gaps so a fix can slot in between two shipped steps. */
export const migrations: readonly Migration[] = [
  migration0010Settings,
  migration0020ReferenceData,
  migration0030Callers,
  migration0040Cases,
  migration0050CaseEvents,
  migration0060Calls,
  migration0070Outbox,
  migration0080CaseSearch,
  migration0090OpenCasesByCaller,
  migration0100SearchMergesBetweenSaves,
  migration0110Sync,
  migration0120TeamUsersAndHandover,
  migration0140ContactEventsAndInbox,
  migration0150OutboxByName,
  migration0160CallerAliases,
  migration0170ChecksAsComparisons,
];
