// The directory of agencies comes from the axis (domain: "take the directory of agencies from the
// axis"): their names go into the packages' To blocks and into what the clerk reads. Codes stay
// opaque strings; the local agency's own row is never touched.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { Agency } from '../axis/adapter.js';

const LOOSE_CODE = /^[A-Za-z0-9][A-Za-z0-9.\-_]{0,31}$/;

/** The directory as last fetched, by name; this agency's own row is not in it. */
export function listAgencyDirectory(db: Database): { code: string; name: string }[] {
  return prepared(db, "SELECT code, name FROM agencies WHERE is_local = 0 AND name != '' ORDER BY name, code").all() as { code: string; name: string }[];
}

/** Adds the agencies the axis lists and renames those whose name changed; returns how many changed. */
export function mergeAgencyDirectory(db: Database, agencies: readonly Agency[]): number {
  let changed = 0;
  const upsert = prepared(
    db,
    `INSERT INTO agencies (code, name, is_local) VALUES (?, ?, 0)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE agencies.is_local = 0 AND agencies.name != excluded.name`,
  );
  db.transaction(() => {
    for (const agency of agencies) {
      if (!LOOSE_CODE.test(agency.code)) continue;
      changed += upsert.run(agency.code, agency.name.trim().slice(0, 300)).changes;
    }
  }).immediate();
  return changed;
}
