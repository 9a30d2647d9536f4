// Issue 20.5 (Decree 30, Appendix VI 6đ, 6e, 6g, 6h): results in the order asked for, searches
// saved by name that survive a restart, the results exported whole to PDF and XLSX with the
// columns chosen, and migration 0012 making the documents already in the register searchable
// by the new fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { openDatabase } from '../../main/core/storage/database.js';
import { searchDocuments } from '../../main/core/registry/search.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { tempDir } from '../support/fixtures.js';

async function ok<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) assert.fail(`${method}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result as Output<M>;
}

async function refused(core: Core, method: MethodName, input: unknown): Promise<string> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  assert.equal(envelope.ok, false, `${method} should have been refused`);
  return envelope.ok ? '' : envelope.error.code;
}

/** Four incoming documents about "đê điều", with numbers, dates and deadlines in no common order. */
function seed(core: Core): Record<string, number> {
  const add = (fields: Partial<Parameters<typeof insertDocument>[1]>) =>
    core.db.transaction(() => insertDocument(core.db, { direction: 'in', year: 2026, typeCode: 'CV', subject: '', state: 'received', ...fields }, 't'))();
  return {
    b: add({ subject: 'Tu bổ đê điều xã Đông', number: 30, notation: '30/UBND', documentDate: '2026-02-10', dueDate: '2026-04-01', authorAgency: 'UBND huyện' }),
    a: add({ subject: 'Kiểm tra đê điều trước mùa mưa', number: 7, notation: '7/SNN', documentDate: '2026-03-05', dueDate: null, authorAgency: 'Sở Nông nghiệp' }),
    d: add({ subject: 'Báo cáo đê điều quý I', number: 112, notation: '112/BC', documentDate: '2026-01-20', dueDate: '2026-03-15', authorAgency: 'Chi cục Thủy lợi', recipients: ['Phòng Kinh tế'] }),
    c: add({ subject: 'Họp bàn về đê điều', number: null, notation: null, documentDate: '2026-02-28', dueDate: '2026-05-30', authorAgency: 'UBND tỉnh' }),
  };
}

test('results come in the order asked for: relevance, date, number or deadline, either way; what has no number or deadline comes last', async () => {
  const core = openCore({ dataDir: tempDir(), shell: 'web', actor: 't' });
  try {
    const ids = seed(core);
    const order = async (input: Record<string, unknown>) => (await ok(core, 'documents.search', { query: 'đê điều', ...input })).items.map((h) => h.id);
    const listed = async (input: Record<string, unknown>) => (await ok(core, 'documents.list', input)).items.map((h) => h.id);
    assert.deepEqual(await order({ sort: 'date', order: 'asc' }), [ids.d, ids.b, ids.c, ids.a]);
    assert.deepEqual(await order({ sort: 'date', order: 'desc' }), [ids.a, ids.c, ids.b, ids.d]);
    assert.deepEqual(await order({ sort: 'number', order: 'asc' }), [ids.a, ids.b, ids.d, ids.c]);
    assert.deepEqual(await order({ sort: 'number', order: 'desc' }), [ids.d, ids.b, ids.a, ids.c]);
    assert.deepEqual(await order({ sort: 'due', order: 'asc' }), [ids.d, ids.b, ids.c, ids.a]);
    assert.deepEqual(await order({ sort: 'due', order: 'desc' }), [ids.c, ids.b, ids.d, ids.a]);
    assert.deepEqual(await order({ sort: 'number', order: 'asc', offset: 1, limit: 2 }), [ids.b, ids.d], 'paged in the same order');
    assert.deepEqual(await listed({ sort: 'number', order: 'asc' }), [ids.a, ids.b, ids.d, ids.c], 'the list without a query too');
    assert.deepEqual(await listed({ sort: 'due', order: 'desc' }), [ids.c, ids.b, ids.d, ids.a]);
    assert.deepEqual(await listed({}), [ids.c, ids.d, ids.a, ids.b], 'the list by default: newest registered first, as before');
    assert.equal(await refused(core, 'documents.search', { query: 'đê', sort: 'size' }), 'INVALID_INPUT');
    assert.equal(await refused(core, 'documents.list', { order: 'up' }), 'INVALID_INPUT');
  } finally {
    core.close();
  }
});

test('a saved search (query, filters, order, columns) survives a restart, runs again, is replaced under its name and removed', async () => {
  const dataDir = tempDir();
  let core = openCore({ dataDir, shell: 'web', actor: 't' });
  try {
    const ids = seed(core);
    const search = { query: 'đê điều', direction: 'in' as const, year: 2026, sort: 'number' as const, order: 'asc' as const, columns: ['notation', 'subject', 'dueDate'] };
    const saved = await ok(core, 'searches.save', { name: '  Đê điều 2026 ', search });
    assert.equal(saved.name, 'Đê điều 2026', 'the name as typed, trimmed');
    await ok(core, 'searches.save', { name: 'Báo cáo', search: { query: 'báo cáo' } });
    core.close();

    core = openCore({ dataDir, shell: 'web', actor: 't' });
    const list = await ok(core, 'searches.list', {});
    assert.deepEqual(list.map((s) => s.name), ['Báo cáo', 'Đê điều 2026'], 'by name, after a restart');
    const again = list.find((s) => s.name === 'Đê điều 2026')!.search;
    assert.deepEqual({ ...again }, { ...search, query: 'đê điều' });
    assert.deepEqual((await ok(core, 'documents.search', { ...again, columns: undefined })).items.map((h) => h.id), [ids.a, ids.b, ids.d, ids.c], 'run again, in its order');

    await ok(core, 'searches.save', { name: 'Đê điều 2026', search: { ...search, order: 'desc' } });
    const replaced = await ok(core, 'searches.list', {});
    assert.equal(replaced.length, 2, 'the same name replaces, not adds');
    assert.equal(replaced.find((s) => s.name === 'Đê điều 2026')!.search.order, 'desc');

    assert.deepEqual(await ok(core, 'searches.remove', { name: 'Báo cáo' }), { removed: true });
    assert.deepEqual((await ok(core, 'searches.list', {})).map((s) => s.name), ['Đê điều 2026']);
    assert.equal(await refused(core, 'searches.remove', { name: 'Báo cáo' }), 'NOT_FOUND');
    // Bad inputs: no name, a name of spaces, a column that does not exist, a query too long.
    assert.equal(await refused(core, 'searches.save', { name: '', search }), 'INVALID_INPUT');
    assert.equal(await refused(core, 'searches.save', { name: '   ', search }), 'INVALID_INPUT');
    assert.equal(await refused(core, 'searches.save', { name: 'x', search: { ...search, columns: ['salary'] } }), 'INVALID_INPUT');
    assert.equal(await refused(core, 'searches.save', { name: 'x', search: { query: 'a'.repeat(501) } }), 'INVALID_INPUT');
    assert.deepEqual((await ok(core, 'searches.list', {})).map((s) => s.name), ['Đê điều 2026'], 'nothing half-saved');
  } finally {
    core.close();
  }
});

function pdfText(bytes: Uint8Array): string {
  const file = path.join(tempDir(), 'r.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

test('the results export whole, in their order, to PDF and XLSX with the chosen columns only, and say how many', async () => {
  const core = openCore({ dataDir: tempDir(), shell: 'web', actor: 't' });
  try {
    const ids = seed(core);
    const spec = { query: 'đê điều', sort: 'number', order: 'asc', columns: ['notation', 'subject', 'dueDate'] };
    const pdf = await ok(core, 'documents.exportSearch', { ...spec, format: 'pdf' });
    assert.equal(pdf.rows, 4);
    assert.equal(pdf.total, 4);
    assert.match(pdf.fileName, /^ket-qua-tim-kiem-.*\.pdf$/);
    const text = pdfText(pdf.bytes);
    for (const label of ['Số, ký hiệu', 'Trích yếu', 'Hạn giải quyết']) assert.ok(text.includes(label), `column ${label}`);
    for (const label of ['Người ký', 'Cơ quan ban hành']) assert.ok(!text.includes(label), `no column ${label}`);
    assert.ok(text.includes('4 văn bản'), 'the count');
    assert.ok(text.includes('đê điều'), 'the query');
    const order = ['7/SNN', '30/UBND', '112/BC', 'Họp bàn về đê điều'].map((s) => text.indexOf(s));
    assert.ok(order.every((at) => at >= 0), JSON.stringify(order));
    assert.deepEqual([...order].sort((x, y) => x - y), order, 'in the order asked for');
    assert.ok(text.includes('15/03/2026'), 'dates as dd/MM/yyyy');

    const xlsx = await ok(core, 'documents.exportSearch', { ...spec, columns: ['subject', 'authorAgency', 'recipients'], format: 'xlsx' });
    assert.equal(xlsx.rows, 4);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes.buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    const header = rows.findIndex((r) => r[0] === 'Trích yếu');
    assert.ok(header >= 0, JSON.stringify(rows.slice(0, 6)));
    assert.deepEqual(rows[header], ['Trích yếu', 'Cơ quan ban hành', 'Nơi nhận']);
    assert.deepEqual(rows[header + 1], ['(1)', '(2)', '(3)'], 'the columns numbered, as in the register');
    assert.deepEqual(
      rows.slice(header + 2).map((r) => r[0]),
      ['Kiểm tra đê điều trước mùa mưa', 'Tu bổ đê điều xã Đông', 'Báo cáo đê điều quý I', 'Họp bàn về đê điều'],
    );
    assert.deepEqual(rows[header + 4], ['Báo cáo đê điều quý I', 'Chi cục Thủy lợi', 'Phòng Kinh tế']);
    assert.ok(rows.slice(0, header).some((r) => r.join(' ').includes('4 văn bản')), 'the count above the table');
    void ids;

    // Bad inputs: no columns, a format not offered; nothing is written anywhere.
    assert.equal(await refused(core, 'documents.exportSearch', { ...spec, columns: [], format: 'pdf' }), 'INVALID_INPUT');
    assert.equal(await refused(core, 'documents.exportSearch', { ...spec, format: 'docx' }), 'INVALID_INPUT');
  } finally {
    core.close();
  }
});

test('migration 0012 makes the documents already in the register searchable by số đến, handler, recipients, notes and identifier code', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v11 = openDatabase(file, { targetVersion: 11 });
  v11.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'in', 2026, 'Sổ đến 2026')").run();
  v11.prepare("INSERT INTO handlers (id, name, unit, created_at, updated_at) VALUES (1, 'Lê Văn Đức', 'Phòng Nội vụ', 'now', 'now')").run();
  v11.prepare(
    `INSERT INTO documents (id, register_id, direction, year, type_code, subject, state, registered_at, updated_at, incoming_number, handler_id, notes, exchange_id)
     VALUES (1, 1, 'in', 2026, 'CV', 'Về việc tuyển dụng', 'assigned', '2026-03-01T09:00:00+07:00', 'now', 57, 1, 'Bản sao gửi kèm', '000.00.09.H99,2026/03/01,57/SNV')`,
  ).run();
  v11.prepare("INSERT INTO document_recipients (document_id, position, name) VALUES (1, 0, 'Trường Tiểu học Hòa Bình')").run();
  v11.prepare("INSERT INTO documents_fts (rowid, subject, notation, author, signer, body) VALUES (1, 've viec tuyen dung', '', '', '', '')").run();
  v11.close();
  const db = openDatabase(file);
  try {
    const found = (q: string) => searchDocuments(db, q, {}, 0, 10).items.map((h) => h.id);
    assert.deepEqual(found('tuyen dung'), [1], 'what was searchable before still is');
    assert.deepEqual(found('57'), [1], 'số đến');
    assert.deepEqual(found('le van duc'), [1], 'handler');
    assert.deepEqual(found('phong noi vu'), [1], "handler's unit");
    assert.deepEqual(found('hoa binh'), [1], 'recipient');
    assert.deepEqual(found('ban sao gui kem'), [1], 'notes');
    assert.deepEqual(found('000.00.09.H99,2026/03/01,57/SNV'), [1], 'identifier code');
    assert.equal((db.prepare('SELECT count(*) AS n FROM saved_searches').get() as { n: number }).n, 0, 'saved searches start empty');
  } finally {
    db.close();
  }
});
