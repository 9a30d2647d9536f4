import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { openDatabase } from '../../main/core/storage/database.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { Corpus } from './corpus.js';
const mode = process.argv[2] ?? 'plain';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memt-'));
const db = openDatabase(path.join(dir, 'e.sqlite'));
if (mode === 'cache') {
  // memoize prepare by SQL text
  const cache = new Map<string, any>();
  const orig = db.prepare.bind(db);
  (db as any).prepare = (sql: string) => { let s = cache.get(sql); if (!s) { s = orig(sql); cache.set(sql, s); } return s; };
}
const c = new Corpus({ count: 40000 });
const tx = db.transaction((docs: any[]) => { for (const d of docs) insertDocument(db, d, 'b'); });
let n = 0; let total = 0;
while (c.remaining > 0) {
  const docs = Array.from({ length: 5000 }, () => c.next());
  const t = performance.now(); tx(docs); const ms = performance.now() - t; total += ms;
  n += 5000;
  if (mode === 'gc') (globalThis as any).gc();
}
const m = process.memoryUsage();
console.log(mode, Math.round(n/total*1000), 'docs/s; rss now', Math.round(m.rss/1048576), 'maxrss', Math.round(process.resourceUsage().maxRSS/1024));
db.close(); fs.rmSync(dir, { recursive: true });
