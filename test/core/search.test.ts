import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { bodySnippet, searchDocuments, searchTerms } from '../../main/core/registry/search.js';
import { tempDir } from '../support/fixtures.js';

function seeded(): { db: Database; ids: Record<string, number> } {
  const db = openDatabase(path.join(tempDir(), 's.sqlite'));
  const ids: Record<string, number> = {};
  const add = (key: string, fields: Partial<Parameters<typeof insertDocument>[1]>) =>
    (ids[key] = db.transaction(() => insertDocument(db, { direction: 'in', year: 2026, typeCode: 'CV', subject: '', state: 'received', ...fields }, 't'))());
  add('digital', { subject: 'Kế hoạch chuyển đổi số năm 2026', typeCode: 'KH', notation: '173/KH-UBND', authorAgency: 'UBND thành phố Hà Nội', signerName: 'Nguyễn Văn An' });
  add('flood', { subject: 'Phê duyệt kế hoạch chống úng ngập', typeCode: 'QD', notation: '2280/QĐ-UBND', bodyText: 'Căn cứ Luật Xây dựng; bảo đảm chuyển đổi số trong quản lý thoát nước đô thị.' });
  add('flag', { subject: 'Về việc treo cờ Tổ quốc', typeCode: 'TB', direction: 'out', state: 'draft', year: 2025 });
  add('party', { subject: 'Đề án đào tạo Đảng viên', typeCode: 'DEA', signerName: 'Đỗ Đức Định' });
  return { db, ids };
}

test('search ignores accents both ways', () => {
  const { db, ids } = seeded();
  for (const q of ['chuyen doi so', 'chuyển đổi số', 'CHUYỂN ĐỔI SỐ', 'Chuyen Đoi so']) {
    const hits = searchDocuments(db, q, {}, 0, 10).items.map((h) => h.id);
    assert.deepEqual(hits.sort(), [ids.digital, ids.flood].sort(), q);
  }
  assert.deepEqual(searchDocuments(db, 'treo co to quoc', {}, 0, 10).items.map((h) => h.id), [ids.flag]);
});

test('"đ" and "Đ" are found by "d", which Unicode decomposition alone would miss', () => {
  const { db, ids } = seeded();
  assert.deepEqual(searchDocuments(db, 'de an dao tao dang vien', {}, 0, 10).items.map((h) => h.id), [ids.party]);
  assert.deepEqual(searchDocuments(db, 'do duc dinh', {}, 0, 10).items.map((h) => h.id), [ids.party], 'signer');
});

test('a hit in the trích yếu ranks above a hit in the body text', () => {
  const { db, ids } = seeded();
  const hits = searchDocuments(db, 'chuyen doi so', {}, 0, 10).items;
  assert.deepEqual(hits.map((h) => h.id), [ids.digital, ids.flood]);
});

test('search covers notation, author and signer, and terms match as prefixes while typing', () => {
  const { db, ids } = seeded();
  assert.deepEqual(searchDocuments(db, '2280/QĐ-UBND', {}, 0, 10).items.map((h) => h.id), [ids.flood]);
  assert.deepEqual(searchDocuments(db, 'ha noi', {}, 0, 10).items.map((h) => h.id), [ids.digital]);
  assert.deepEqual(searchDocuments(db, 'nguyen van', {}, 0, 10).items.map((h) => h.id), [ids.digital]);
  assert.deepEqual(searchDocuments(db, 'chuy', {}, 0, 10).items.length, 2);
});

test('filters narrow the search; paging returns the rest', () => {
  const { db, ids } = seeded();
  assert.deepEqual(searchDocuments(db, 'ke hoach', { typeCode: 'QD' }, 0, 10).items.map((h) => h.id), [ids.flood]);
  assert.deepEqual(searchDocuments(db, 'treo co', { direction: 'in' }, 0, 10).items, []);
  assert.deepEqual(searchDocuments(db, 'treo co', { year: 2025 }, 0, 10).items.map((h) => h.id), [ids.flag]);
  const first = searchDocuments(db, 'chuyen doi so', {}, 0, 1);
  const second = searchDocuments(db, 'chuyen doi so', {}, 1, 1);
  assert.equal(first.total, 2);
  assert.equal(second.total, 2);
  assert.deepEqual([...first.items, ...second.items].map((h) => h.id), [ids.digital, ids.flood]);
});

test('the snippet quotes the body with its accents around the match', () => {
  const { db, ids } = seeded();
  const hit = searchDocuments(db, 'thoat nuoc', {}, 0, 10).items.find((h) => h.id === ids.flood)!;
  assert.match(hit.snippet!, /thoát nước/);
  assert.equal(bodySnippet('Không có gì', ['xyz']), null);
});

test('query syntax typed by a user cannot break or widen the search', () => {
  const { db } = seeded();
  for (const q of ['"', 'AND', 'OR NOT', 'NEAR(a b)', '*', 'col:ke', "'; DROP TABLE documents; --", '(((']) {
    const result = searchDocuments(db, q, {}, 0, 10);
    assert.ok(Array.isArray(result.items), q);
  }
  assert.equal(searchDocuments(db, 'chuyen OR treo', {}, 0, 10).items.length, 0, 'OR is a word, not an operator');
  assert.deepEqual(searchTerms('  '), []);
  assert.equal(searchDocuments(db, '   ', {}, 0, 10).total, 4, 'an empty query lists everything');
});

test('past the newest 500 ranked matches, paging goes on newest first without repeats or gaps', () => {
  const db = openDatabase(path.join(tempDir(), 'many.sqlite'));
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < 620; i++) {
      // Every tenth one has the words in its trích yếu, the rest only in the text.
      const inSubject = i % 10 === 0;
      ids.push(
        insertDocument(
          db,
          { direction: 'in', year: 2026, typeCode: 'BC', subject: inSubject ? `Báo cáo tháng ${i}` : `Văn bản ${i}`, bodyText: inSubject ? '' : `Nội dung báo cáo tháng ${i}`, state: 'received' },
          't',
        ),
      );
    }
  })();
  const seen: number[] = [];
  for (let offset = 0; offset < 700; offset += 100) {
    const page = searchDocuments(db, 'bao cao thang', {}, offset, 100);
    assert.equal(page.total, 620);
    seen.push(...page.items.map((h) => h.id));
  }
  assert.equal(seen.length, 620);
  assert.equal(new Set(seen).size, 620, 'no document twice');
  // Among the newest 500, trích yếu hits come first (newest first), then text-only hits.
  const newest500 = ids.slice(-500);
  const subjectHits = newest500.filter((id) => (id - ids[0]!) % 10 === 0).reverse();
  assert.deepEqual(seen.slice(0, subjectHits.length), subjectHits);
  assert.deepEqual(seen.slice(500), ids.slice(0, 120).reverse(), 'the older rest follows newest first');
});
