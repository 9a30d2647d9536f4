import fs from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AppError } from '../../common/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';

export type { Database };

export interface OpenOptions {
  /** Stop at this schema version; tests use it to check one migration at a time. */
  targetVersion?: number;
  readonly?: boolean;
}

/**
 * Opens the registry database: WAL so readers never wait for the writer, synchronous=FULL so a
 * committed document survives a power cut, foreign keys on, and a busy timeout so a second
 * process (the CLI beside the app) waits instead of failing.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  if (!options.readonly) restrictToOwner(file);
  const db = new BetterSqlite3(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, options.targetVersion ?? SCHEMA_VERSION);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The registry and its -wal and -shm files, readable by their owner only (0600), whatever the
 * umask. SQLite creates the -wal and -shm files later, with the database file's own permission
 * bits (set by fchmod, so the umask does not matter): a database file made 0600 before SQLite
 * opens it is enough for new ones; those an earlier version left (0644) are tightened here.
 * POSIX only, as for the data folder (paths/dataDir.ts).
 */
function restrictToOwner(file: string): void {
  if (process.platform === 'win32' || file === ':memory:') return;
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const part of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(part).mode & 0o777) !== 0o600) fs.chmodSync(part, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs the pending migrations in one transaction: a crash leaves the old schema, never half of the new one. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new AppError(
      'DATABASE_TOO_NEW',
      `The database was written by a newer version of eOffice (schema ${current}; this version knows up to ${SCHEMA_VERSION}). Update eOffice to open it.`,
      { found: current, supported: SCHEMA_VERSION },
    );
  }
  if (current >= target) return;
  if (db.readonly) throw new AppError('DATABASE_TOO_NEW', `The database needs migrating from schema ${current}; open it read-write first.`);
  db.transaction(() => {
    for (let version = current; version < target; version++) {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    }
  }).immediate();
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/**
 * A prepared statement, compiled once per database handle. Preparing anew on every call costs
 * time and native memory that is only freed when the garbage collector gets to it.
 */
export function prepared(db: Database, sql: string): BetterSqlite3.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
