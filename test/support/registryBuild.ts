// A registry of `count` documents built in a process of its own through the app's own write paths,
// for registryMemory.test.ts: the registration of each document's metadata (insertDocument, as an
// import commits it: search entry and audit entry), the issuing columns of outgoing drafts
// (updateDraftDetails), and the incoming register's steps (acceptIncoming, assignIncoming,
// startIncoming, finishIncoming), whose updates the report's triggers follow (issued_on,
// handling_seconds). The documents are the registry benchmark's (test/bench/corpus.ts).
// Arguments: the data folder, the count. Prints one JSON line: the peak memory before and after,
// the database's size, and what was built.
import fs from 'node:fs';
import path from 'node:path';

// Loaded after turning source maps off: under tsx, Node would keep pdf.js's map (which the
// issuing and incoming modules load) parsed on the heap, some 60 MB that the bundled app never
// holds and that let the garbage collector wait longer, so that the peak moved by a hundred
// megabytes from run to run.
process.setSourceMapsEnabled(false);
const { openDatabase } = await import('../../main/core/storage/database.js');
const { BlobStore } = await import('../../main/core/storage/blobStore.js');
const { insertDocument } = await import('../../main/core/registry/documents.js');
const { updateDraftDetails } = await import('../../main/core/issuing/outgoing.js');
const { acceptIncoming } = await import('../../main/core/incoming/register.js');
const { assignIncoming, finishIncoming, startIncoming } = await import('../../main/core/incoming/handling.js');
const { addHandler } = await import('../../main/core/incoming/handlersDirectory.js');
const { Corpus } = await import('../bench/corpus.js');
const { ownPeakRssMB } = await import('../bench/childRss.js');

const [dataDir, countArg] = process.argv.slice(2) as [string, string];
const count = Number(countArg);
const ACTOR = 'văn thư';
/** Steps committed together: a commit per step would spend the run in fsync, not in the code measured. */
const BATCH = 1_000;

// Everything is loaded: from here on, memory grows only with what the registry holds and does.
const peakBeforeMB = ownPeakRssMB();
const file = path.join(dataDir, 'eoffice.sqlite');
const db = openDatabase(file);
const blobs = new BlobStore(path.join(dataDir, 'files'));
const ctx = { db, blobs, actor: ACTOR, separateConfidentialSeries: false };

function inBatches<T>(items: readonly T[], step: (item: T, index: number) => void): void {
  for (let start = 0; start < items.length; start += BATCH) {
    db.transaction(() => items.slice(start, start + BATCH).forEach((item, i) => step(item, start + i)))();
  }
}

// 1. Registration, in the benchmark's transactions of 5,000 (one batch of documents held at a time).
const corpus = new Corpus({ count });
const drafts: number[] = [];
const received: number[] = [];
const registered: number[] = [];
while (corpus.remaining > 0) {
  const docs = Array.from({ length: Math.min(5_000, corpus.remaining) }, () => corpus.next());
  db.transaction(() => {
    for (const doc of docs) {
      const id = insertDocument(db, doc, ACTOR);
      if (doc.direction === 'out' && doc.state === 'draft') drafts.push(id);
      if (doc.direction === 'in') (doc.state === 'received' ? received : registered).push(id);
    }
  })();
}

// 2. The issuing columns of every outgoing draft.
inBatches(drafts, (id, i) => updateDraftDetails(ctx, id, { draftingUnit: 'VP', copies: 2 + (i % 5), archiveHolder: 'Lưu: VT, VP', notes: i % 3 ? '' : 'Gửi kèm phụ lục', recipientCodes: ['000.00.32.H41'] }));

// 3. The incoming register: each document received is taken in (số đến); those registered are
// assigned to a handler with a due date, three in four started and half of them done.
const handlers = Array.from({ length: 20 }, (_, h) => addHandler(db, ACTOR, { name: `Cán bộ ${h + 1}`, unit: 'Phòng Tổng hợp', kind: 'person' }).id);
inBatches(received, (id) => acceptIncoming(ctx, id));
const dueOf = (id: number) => {
  const arrived = (db.prepare('SELECT substr(registered_at, 1, 10) AS day FROM documents WHERE id = ?').get(id) as { day: string }).day;
  return new Date(Date.parse(`${arrived}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
};
inBatches(registered, (id, i) => assignIncoming(ctx, id, { handlerId: handlers[i % handlers.length]!, due: dueOf(id) }));
const started = registered.filter((_, i) => i % 4 !== 0);
inBatches(started, (id) => startIncoming(ctx, id));
inBatches(started.filter((_, i) => i % 2 === 0), (id) => finishIncoming(ctx, id));

const figures = db
  .prepare(
    `SELECT count(*) AS documents, count(issued_on) AS issued, count(handling_seconds) AS handled, count(incoming_number) AS numbered,
            count(handler_id) AS assigned, sum(drafting_unit = 'VP') AS withDraftDetails FROM documents`,
  )
  .get();
db.close();
const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
process.stdout.write(
  `${JSON.stringify({ peakBeforeMB, peakAfterMB: ownPeakRssMB(), databaseMB: (size(file) + size(`${file}-wal`)) / 1048576, built: figures, steps: { drafts: drafts.length, received: received.length, registered: registered.length, started: started.length } })}\n`,
);
