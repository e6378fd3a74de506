import { sql } from 'kysely';
import { categoryLabels, isCategory } from '../../src-shared/domain/categories';
import { publishConsentSql } from '../moderation/case-timeline';
import type { CentralStore } from '../store/central-store';

/**
 * One piece of published feedback, as the public sees it. This is the whole of what leaves the API publicly: the
 * moderated description, the category, the provider, the month, the provider's published response, whether the case
 * is open, and a public id that is not the case's id or reference. Nothing else of the case is ever read into it.
 */
export interface PublishedFeedback {
  id: string;
  provider: { code: string; name: string };
  category: string;
  categoryLabel: string;
  /** 'YYYY-MM': the month the feedback was given. */
  month: string;
  description: string;
  response: { text: string; month: string } | null;
  status: 'open' | 'closed';
  /** 'YYYY-MM-DD': the day it was published or last changed. */
  updated: string;
}

export interface FeedPage {
  items: PublishedFeedback[];
  page: number;
  pageSize: number;
  total: number;
}

export const FEED_PAGE_SIZE = 20;

function labelOf(category: string): string {
  return isCategory(category) ? categoryLabels[category] : category;
}

/**
 * Reads of the published feedback, from the publications table joined only to the provider (for its code and name)
 * and to the case for two things: whether it is closed, and whether the caller still agrees to publication (a
 * consent taken back hides the feedback at once, before a moderator withdraws it).
 */
export function createPublicationStore(store: CentralStore) {
  const { db } = store;

  function base() {
    return db
      .selectFrom('publications')
      .innerJoin('providers', 'providers.id', 'publications.provider_id')
      .innerJoin('cases', 'cases.id', 'publications.case_id')
      .where(publishConsentSql(store.dialect));
  }

  function select(query: ReturnType<typeof base>) {
    return query.select([
      'publications.public_id',
      'publications.category',
      'publications.experience_month',
      'publications.description',
      'publications.response',
      'publications.response_month',
      'publications.updated_at',
      'providers.ods_code',
      'providers.name as provider_name',
      sql<number>`CASE WHEN cases.closed_at IS NULL THEN 0 ELSE 1 END`.as('closed'),
    ]);
  }

  type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];

  function toItem(row: Row): PublishedFeedback {
    return {
      id: row.public_id,
      provider: { code: row.ods_code, name: row.provider_name },
      category: row.category,
      categoryLabel: labelOf(row.category),
      month: row.experience_month,
      description: row.description,
      response: row.response !== null ? { text: row.response, month: row.response_month ?? row.experience_month } : null,
      status: Number(row.closed) === 1 ? 'closed' : 'open',
      updated: row.updated_at.slice(0, 10),
    };
  }

  return {
    /** A page of published feedback, newest first, for one provider (by organisation code) or all. */
    async page(filter: { providerCode?: string | undefined; page: number; pageSize?: number }): Promise<FeedPage> {
      const pageSize = filter.pageSize ?? FEED_PAGE_SIZE;
      let query = base();
      if (filter.providerCode) query = query.where('providers.ods_code', '=', filter.providerCode);
      const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await select(query)
        .orderBy('publications.published_at', 'desc')
        .orderBy('publications.public_id')
        .limit(pageSize)
        .offset((filter.page - 1) * pageSize)
        .execute();
      return { items: rows.map(toItem), page: filter.page, pageSize, total: Number(counted.n) };
    },

    /** Providers with published feedback, for the page's filter. */
    async providers(): Promise<{ code: string; name: string }[]> {
      const rows = await base().select(['providers.ods_code', 'providers.name']).distinct().orderBy('providers.name').execute();
      return rows.map((row) => ({ code: row.ods_code, name: row.name }));
    },

    async providerByCode(code: string): Promise<{ code: string; name: string } | null> {
      const row = await db.selectFrom('providers').select(['ods_code', 'name']).where('ods_code', '=', code).executeTakeFirst();
      return row ? { code: row.ods_code, name: row.name } : null;
    },

    /**
     * Published feedback for Open311: by public ids (which override every other filter, as GeoReport says), or by
     * category, status and a range of months.
     */
    async open311(filter: { ids?: string[]; categories?: string[]; statuses?: ('open' | 'closed')[]; fromMonth?: string; toMonth?: string; limit: number }): Promise<PublishedFeedback[]> {
      let query = base();
      if (filter.ids) query = query.where('publications.public_id', 'in', filter.ids.length ? filter.ids : ['']);
      else {
        if (filter.categories?.length) query = query.where('publications.category', 'in', filter.categories);
        if (filter.statuses?.length === 1) query = query.where('cases.closed_at', filter.statuses[0] === 'open' ? 'is' : 'is not', null);
        if (filter.fromMonth) query = query.where('publications.experience_month', '>=', filter.fromMonth);
        if (filter.toMonth) query = query.where('publications.experience_month', '<=', filter.toMonth);
      }
      const rows = await select(query).orderBy('publications.published_at', 'desc').orderBy('publications.public_id').limit(filter.limit).execute();
      return rows.map(toItem);
    },
  };
}

export type PublicationStore = ReturnType<typeof createPublicationStore>;
