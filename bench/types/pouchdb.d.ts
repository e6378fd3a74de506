// The little of PouchDB and express-pouchdb that bench/benchmarks/sync-push-vs-pouchdb.ts uses: neither ships types.

declare module 'pouchdb' {
  interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
  }
  interface PouchDatabase {
    bulkDocs(docs: readonly object[]): Promise<{ ok?: boolean; error?: string }[]>;
    info(): Promise<{ doc_count: number }>;
    replicate: { to(target: string | PouchDatabase, options?: { batch_size?: number; batches_limit?: number }): Promise<ReplicationResult> };
    destroy(): Promise<void>;
  }
  interface PouchStatic {
    new (name: string, options?: { adapter?: string }): PouchDatabase;
    plugin(plugin: unknown): PouchStatic;
    defaults(options: { adapter?: string }): PouchStatic;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  function expressPouchDB(PouchDB: unknown, options?: { mode?: 'fullCouchDB' | 'minimumForPouchDB'; inMemoryConfig?: boolean; logPath?: string }): RequestListener;
  export default expressPouchDB;
}
