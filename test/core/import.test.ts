// Import of real and made-up PDFs, and every bad input we know of: each gets a clear error and
// leaves nothing behind — no row, no stray file — and the source file is never changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { Output } from '../../main/common/contract.js';
import { verifyAudit } from '../../main/core/registry/audit.js';
import { interopPdf, listFiles, makeVietnamesePdf, tempDir } from '../support/fixtures.js';

function core(): Core {
  return openCore({ dataDir: tempDir(), shell: 'web', actor: 'tester' });
}

async function importBytes(c: Core, bytes: Uint8Array, fileName: string, direction: 'in' | 'out' = 'in') {
  return invoke(c.handlers, 'documents.import', { direction, fileName, bytes }, () => undefined);
}

function counts(c: Core) {
  const n = (sql: string) => (c.db.prepare(sql).get() as { n: number }).n;
  return {
    documents: n('SELECT count(*) AS n FROM documents'),
    files: n('SELECT count(*) AS n FROM files'),
    fts: n('SELECT count(*) AS n FROM documents_fts'),
    audit: n('SELECT count(*) AS n FROM audit_events'),
    pending: n('SELECT count(*) AS n FROM pending_files'),
    blobs: listFiles(path.join(c.dataDir, 'files')).length,
  };
}

test('a real signed government PDF imports with its text, page count and the metadata read off its first page', async () => {
  const c = core();
  const source = interopPdf('hanoi-tb-453-ubnd-2026.pdf');
  const before = createHash('sha256').update(fs.readFileSync(source)).digest('hex');
  const result = await importBytes(c, new Uint8Array(fs.readFileSync(source)), 'hanoi-tb-453-ubnd-2026.pdf');
  assert.ok(result.ok, JSON.stringify(result));
  const { document } = result.result as Output<'documents.import'>;
  assert.equal(document.typeCode, 'TB');
  assert.equal(document.subject, 'Về việc treo cờ Tổ quốc');
  assert.equal(document.authorAgency, 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI');
  assert.equal(document.pageCount, 1);
  assert.equal(document.state, 'received');
  assert.match(document.registeredAt, /\+07:00$/);
  const stored = c.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(document.id) as { file_sha256: string };
  assert.equal(stored.file_sha256, before, 'stored under its SHA-256');
  assert.equal(createHash('sha256').update(c.blobs.read(before)).digest('hex'), before, 'the stored bytes are the file');
  assert.equal(createHash('sha256').update(fs.readFileSync(source)).digest('hex'), before, 'the source is unchanged');
  assert.deepEqual(counts(c), { documents: 1, files: 1, fts: 1, audit: 1, pending: 0, blobs: 1 });
  c.close();
});

test('an outgoing PDF enters as a draft with no number, whatever its text says', async () => {
  const c = core();
  const bytes = await makeVietnamesePdf(['UBND XÃ AN BÌNH', 'Số: 05/UBND-VP', 'An Bình, ngày 12 tháng 3 năm 2026', 'V/v chuyển đổi số']);
  const result = await importBytes(c, bytes, 'du-thao.pdf', 'out');
  assert.ok(result.ok);
  const { document } = result.result as Output<'documents.import'>;
  assert.equal(document.state, 'draft');
  assert.equal(document.number, null);
  assert.equal(document.notation, null);
  assert.equal(document.subject, 'V/v chuyển đổi số');
  c.close();
});

test('an incoming PDF keeps the sender’s number, notation and date; an impossible date is left out', async () => {
  const c = core();
  const good = await makeVietnamesePdf(['UBND XÃ AN BÌNH', 'Số: 05/UBND-VP', 'An Bình, ngày 12 tháng 3 năm 2026', 'V/v chuyển đổi số']);
  const bad = await makeVietnamesePdf(['UBND XÃ AN BÌNH', 'Số: 06/UBND-VP', 'An Bình, ngày 30 tháng 02 năm 2014', 'V/v báo cáo']);
  const a = (await importBytes(c, good, 'a.pdf')) as { ok: true; result: Output<'documents.import'> };
  const b = (await importBytes(c, bad, 'b.pdf')) as { ok: true; result: Output<'documents.import'> };
  assert.equal(a.result.document.notation, '05/UBND-VP');
  assert.equal(a.result.document.number, 5);
  assert.equal(a.result.document.documentDate, '2026-03-12');
  assert.equal(a.result.document.typeCode, 'CV');
  assert.equal(b.result.document.notation, '06/UBND-VP');
  assert.equal(b.result.document.documentDate, null, '2014/02/30 is not a date');
  c.close();
});

test('bad inputs are refused with a clear reason and leave no row and no file', async () => {
  const c = core();
  const dir = tempDir();
  const real = fs.readFileSync(interopPdf('qd-729-ttg-2026.signed.pdf'));
  const encrypted = path.join(dir, 'encrypted.pdf');
  const ownerOnly = path.join(dir, 'owner-only.pdf');
  execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', interopPdf('qd-729-ttg-2026.signed.pdf'), encrypted]);
  execFileSync('qpdf', ['--encrypt', '', 'owner-pw', '256', '--', interopPdf('qd-729-ttg-2026.signed.pdf'), ownerOnly]);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const cases: Array<[string, Uint8Array, string, RegExp]> = [
    ['empty.pdf', new Uint8Array(), 'EMPTY_FILE', /empty/],
    ['notes.pdf', new TextEncoder().encode('Biên bản họp — plain text renamed to .pdf'), 'NOT_PDF', /not a PDF/],
    ['image.pdf', png, 'NOT_PDF', /not a PDF/],
    ['cut.pdf', real.subarray(0, Math.floor(real.length / 2)), 'TRUNCATED_PDF', /incomplete/],
    ['encrypted.pdf', fs.readFileSync(encrypted), 'ENCRYPTED_PDF', /password/],
    ['owner-only.pdf', fs.readFileSync(ownerOnly), 'ENCRYPTED_PDF', /encrypted/],
    ['garbage.pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj << garbage\n%%EOF\n'), 'DAMAGED_PDF', /cannot be read|damaged/],
  ];
  for (const [name, bytes, code, message] of cases) {
    const result = await importBytes(c, bytes, name);
    assert.equal(result.ok, false, name);
    if (!result.ok) {
      assert.equal(result.error.code, code, name);
      assert.match(result.error.message, message, name);
      assert.equal(result.error.details?.fileName, name);
    }
  }
  assert.deepEqual(counts(c), { documents: 0, files: 0, fts: 0, audit: 0, pending: 0, blobs: 0 });
  c.close();
});

test('a file over the size limit is refused before it is parsed', async () => {
  const c = core();
  c.settings.update({ maxImportMegabytes: 1 });
  const big = new Uint8Array(1024 * 1024 + 1);
  big.set(new TextEncoder().encode('%PDF-1.7\n'));
  const result = await importBytes(c, big, 'scan.pdf');
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.code, 'FILE_TOO_LARGE');
    assert.equal(result.error.details?.limitMb, 1);
  }
  assert.equal(counts(c).documents, 0);
  c.close();
});

test('importing the same file twice is detected and names the document already there', async () => {
  const c = core();
  const bytes = new Uint8Array(fs.readFileSync(interopPdf('qd-729-ttg-2026.signed.pdf')));
  const first = (await importBytes(c, bytes, 'qd-729.pdf')) as { ok: true; result: Output<'documents.import'> };
  assert.ok(first.ok);
  // Same bytes, other name, other register: still the same document.
  const again = await importBytes(c, bytes, 'ban-sao.pdf', 'out');
  assert.equal(again.ok, false);
  if (!again.ok) {
    assert.equal(again.error.code, 'DUPLICATE_FILE');
    assert.equal(again.error.details?.existingId, first.result.document.id);
  }
  // Two imports of one file at the same moment: exactly one wins.
  const other = await makeVietnamesePdf(['Công văn mới']);
  const both = await Promise.all([importBytes(c, other, 'x.pdf'), importBytes(c, other, 'y.pdf')]);
  assert.equal(both.filter((r) => r.ok).length, 1);
  assert.deepEqual(counts(c), { documents: 2, files: 2, fts: 2, audit: 2, pending: 0, blobs: 2 });
  assert.deepEqual(verifyAudit(c.db), { ok: true, checked: 2 });
  c.close();
});

test('a file name with folders or control characters is cleaned, never used as a path', async () => {
  const c = core();
  const bytes = await makeVietnamesePdf(['Tờ trình']);
  const result = (await importBytes(c, bytes, '..\\..\\Windows\\evil\u0007.pdf')) as { ok: true; result: Output<'documents.import'> };
  assert.equal(result.result.document.fileName, 'evil.pdf');
  c.close();
});

test('a failure after the file was written removes it again (no stray file)', async () => {
  const c = core();
  const bytes = await makeVietnamesePdf(['Thông báo']);
  const { importDocument } = await import('../../main/core/registry/importDocument.js');
  await assert.rejects(
    importDocument(
      {
        db: c.db,
        blobs: c.blobs,
        maxBytes: 1e8,
        actor: 't',
        beforeCommit: () => {
          throw new Error('disk full');
        },
      },
      { direction: 'in', fileName: 'a.pdf', bytes },
    ),
    /disk full/,
  );
  assert.deepEqual(counts(c), { documents: 0, files: 0, fts: 0, audit: 0, pending: 0, blobs: 0 });
  c.close();
});
