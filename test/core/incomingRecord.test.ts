// An incoming document's record on a real registry, from the six real government PDFs: what is
// read off each file (the printed text, what the signature fields print into the blanks of the
// number and date lines, the signers' certificates) and from where, marked as a guess until the
// clerk confirms it; tiếp nhận refusing a số đến while the register lacks something and taking it
// from the clerk; the register's số đến apart from the sender's number; the handling due date and
// the notes typed when assigning and finishing; electronic files counted apart from paper.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { isGuessed, missingRegisterFields } from '../../main/common/capture.js';
import { vnDate } from '../../main/common/dates.js';
import { interopPdf, makeVietnamesePdf, tempDir } from '../support/fixtures.js';

const cores: Core[] = [];
after(() => {
  for (const c of cores) c.close();
});

function openRegistry(): Core {
  const core = openCore({ dataDir: tempDir('eoffice-record-'), shell: 'web', actor: 'văn thư' });
  cores.push(core);
  return core;
}

type Answer<M extends MethodName> = { ok: true; result: Output<M> } | { ok: false; code: string; message: string; details: Record<string, unknown> };

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Answer<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  return envelope.ok ? { ok: true, result: envelope.result as Output<M> } : { ok: false, code: envelope.error.code, message: envelope.error.message, details: (envelope.error.details ?? {}) as Record<string, unknown> };
}

async function ok<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const answer = await call(core, method, input);
  if (!answer.ok) assert.fail(`${method}: ${answer.code} ${answer.message}`);
  return answer.result;
}

async function importReal(core: Core, name: string): Promise<Output<'documents.get'>> {
  const { document } = await ok(core, 'documents.import', { direction: 'in', fileName: name, bytes: new Uint8Array(fs.readFileSync(interopPdf(name))) });
  return ok(core, 'documents.get', { id: document.id });
}

function recordOf(d: Output<'documents.get'>) {
  return { number: d.number, notation: d.notation, documentDate: d.documentDate, typeCode: d.typeCode, authorAgency: d.authorAgency, signerName: d.signerName };
}

const HANOI = 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI';

test('the Hà Nội PDFs: number, notation and date from their signature fields, type and agency from the page, the signer from the certificates, each marked as a guess', async () => {
  const core = openRegistry();
  const expected = [
    { file: 'hanoi-qd-2280-ubnd-2026.pdf', record: { number: 2280, notation: '2280/QĐ-UBND', documentDate: '2026-04-29', typeCode: 'QD', authorAgency: HANOI, signerName: 'Trương Việt Dũng' } },
    { file: 'hanoi-kh-173-ubnd-2026.pdf', record: { number: 173, notation: '173/KH-UBND', documentDate: '2026-04-28', typeCode: 'KH', authorAgency: HANOI, signerName: 'Vũ Đại Thắng' } },
    // TB 453 prints even the year of its date through a signature field.
    { file: 'hanoi-tb-453-ubnd-2026.pdf', record: { number: 453, notation: '453/TB-UBND', documentDate: '2026-04-29', typeCode: 'TB', authorAgency: HANOI, signerName: 'Võ Tuấn Anh' } },
  ];
  for (const { file, record } of expected) {
    const detail = await importReal(core, file);
    assert.deepEqual(recordOf(detail), record, file);
    assert.ok(detail.capture, `${file}: a record read off a file says where each field came from`);
    assert.deepEqual(detail.capture.sources, {
      notation: 'signature-appearance',
      documentDate: 'signature-appearance',
      authorAgency: 'page-text',
      typeCode: 'page-text',
      subject: 'page-text',
      signerName: 'certificate',
    }, file);
    assert.equal(detail.capture.confirmedAt, null);
    for (const field of ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject', 'signerName'] as const) assert.ok(isGuessed(detail.capture, field), `${file}: ${field} is a guess until confirmed`);
    assert.deepEqual(missingRegisterFields(detail, detail.capture), [], `${file}: nothing the register needs is missing`);
    assert.ok(detail.capture.signedBy.some((s) => s.name === HANOI), `${file}: the agency's own certificate is among the signers`);
    assert.equal(detail.incoming?.receivedVia, 'electronic', `${file}: a file imported by hand is electronic, received outside the axis`);
  }
});

test('the Government portal copies: ND 119 read from its scan text (Nghị định, Chính phủ); QĐ 222 and QĐ 729 carry nothing but the portal certificate, so their fields are to fill in', async () => {
  const core = openRegistry();
  const nd = await importReal(core, 'nd-119-2018-cp.signed.pdf');
  assert.deepEqual(recordOf(nd), { number: 119, notation: '119/2018/NĐ-CP', documentDate: '2018-09-12', typeCode: 'ND', authorAgency: 'Chính phủ', signerName: '' });
  assert.deepEqual(nd.capture?.sources, { notation: 'page-text', documentDate: 'page-text', authorAgency: 'page-text', typeCode: 'page-text', subject: 'file-name', signerName: null });
  assert.deepEqual(missingRegisterFields(nd, nd.capture), ['subject'], 'its trích yếu is only the PDF title');
  assert.deepEqual(nd.capture?.signedBy, [{ name: 'Cổng Thông tin điện tử Chính phủ', organization: 'Văn phòng Chính phủ' }]);

  for (const file of ['qd-222-ttg-2025.signed.pdf', 'qd-729-ttg-2026.signed.pdf']) {
    const qd = await importReal(core, file);
    assert.deepEqual(recordOf(qd), { number: null, notation: null, documentDate: null, typeCode: 'CV', authorAgency: '', signerName: '' }, file);
    assert.deepEqual(qd.capture?.sources, { notation: null, documentDate: null, authorAgency: null, typeCode: null, subject: 'file-name', signerName: null }, file);
    assert.deepEqual(missingRegisterFields(qd, qd.capture), ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject'], `${file}: a type nothing said is missing, not "Công văn"`);
    // The portal signed the copy: offered to the clerk, never taken as the issuing agency.
    assert.deepEqual(qd.capture?.signedBy, [{ name: 'CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ', organization: 'VĂN PHÒNG CHÍNH PHỦ' }], file);
  }
});

test('tiếp nhận refuses a số đến while the register lacks something, naming what, and takes it from the clerk', async () => {
  const core = openRegistry();
  const qd = await importReal(core, 'qd-729-ttg-2026.signed.pdf');
  const before = JSON.stringify(core.db.prepare('SELECT * FROM documents').all());
  const refused = await call(core, 'incoming.accept', { id: qd.id });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.code, 'INCOMING_INCOMPLETE');
    assert.equal(refused.details.missing, 'notation,documentDate,authorAgency,typeCode,subject');
    assert.match(refused.message, /notation.*date.*agency.*type.*subject/is);
  }
  assert.equal(JSON.stringify(core.db.prepare('SELECT * FROM documents').all()), before, 'nothing changed');
  // Some of it is not enough either.
  const partly = await call(core, 'incoming.accept', { id: qd.id, fields: { notation: '729/QĐ-TTg', typeCode: 'QD' } });
  assert.ok(!partly.ok && partly.code === 'INCOMING_INCOMPLETE' && partly.details.missing === 'documentDate,authorAgency,subject', JSON.stringify(partly));
  assert.equal(JSON.stringify(core.db.prepare('SELECT * FROM documents').all()), before, 'nothing changed');

  const accepted = await ok(core, 'incoming.accept', {
    id: qd.id,
    fields: { notation: '729/QĐ-TTg', documentDate: '2026-04-23', authorAgency: 'Thủ tướng Chính phủ', typeCode: 'QD', subject: 'Phê duyệt Đề án thí điểm' },
  });
  assert.equal(accepted.incomingNumber, 1);
  assert.deepEqual(recordOf(accepted.document), { number: 729, notation: '729/QĐ-TTg', documentDate: '2026-04-23', typeCode: 'QD', authorAgency: 'Thủ tướng Chính phủ', signerName: '' });
  assert.equal(accepted.document.subject, 'Phê duyệt Đề án thí điểm');
  assert.deepEqual(accepted.document.capture?.sources, { notation: 'clerk', documentDate: 'clerk', authorAgency: 'clerk', typeCode: 'clerk', subject: 'clerk', signerName: null });
  assert.ok(accepted.document.capture?.confirmedAt);

  // What was read off a Hà Nội PDF is confirmed as it stands: no longer a guess, still from where it came.
  const hanoi = await importReal(core, 'hanoi-qd-2280-ubnd-2026.pdf');
  const confirmed = await ok(core, 'incoming.accept', { id: hanoi.id });
  assert.equal(confirmed.incomingNumber, 2);
  assert.equal(confirmed.document.capture?.sources.notation, 'signature-appearance');
  assert.equal(isGuessed(confirmed.document.capture ?? null, 'notation'), false);
});

test('the register’s số đến and the sender’s number are apart: QĐ 2280 as 01, ND 119 not yet registered, a paper công văn 57 as 02', async () => {
  const core = openRegistry();
  const qd = await importReal(core, 'hanoi-qd-2280-ubnd-2026.pdf');
  await ok(core, 'incoming.accept', { id: qd.id });
  const nd = await importReal(core, 'nd-119-2018-cp.signed.pdf');
  const scan = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Số: 57/UBND-VP', 'An Bình, ngày 02 tháng 3 năm 2026', 'V/v kiểm tra an toàn thực phẩm'], { title: '2026-03-02 (1)' });
  const paper = await ok(core, 'incoming.register', { fileName: 'scan.pdf', bytes: scan });

  const get = (id: number) => ok(core, 'documents.get', { id });
  const registered = await get(qd.id);
  assert.equal(registered.number, 2280, "the sender's number");
  assert.equal(registered.incoming?.incomingNumber, 1, "the register's số đến");
  assert.ok(registered.incoming?.acceptedAt);
  const waiting = await get(nd.id);
  assert.equal(waiting.number, 119);
  assert.equal(waiting.incoming?.incomingNumber, null, 'not registered: no số đến');
  const fromPaper = await get(paper.id);
  assert.equal(fromPaper.number, 57);
  assert.equal(fromPaper.notation, '57/UBND-VP');
  assert.equal(fromPaper.incoming?.incomingNumber, 2);
  assert.equal(fromPaper.incoming?.receivedVia, 'paper');
});

test('hạn giải quyết and the notes typed when assigning and finishing show in the detail and the history', async () => {
  const core = openRegistry();
  const doc = await importReal(core, 'hanoi-tb-453-ubnd-2026.pdf');
  await ok(core, 'incoming.accept', { id: doc.id });
  const handler = await ok(core, 'handlers.add', { name: 'Trần Thị Bình', unit: 'Văn phòng' });
  const due = vnDate(new Date(Date.now() + 5 * 86_400_000));
  await ok(core, 'incoming.assign', { id: doc.id, handlerId: handler.id, due, note: 'Đề nghị thông báo đến các thôn.' });
  await ok(core, 'incoming.start', { id: doc.id });
  const done = await ok(core, 'incoming.done', { id: doc.id, note: 'Đã treo cờ tại trụ sở.' });
  assert.equal(done.handlingDue, due);
  assert.equal(done.assignNote, 'Đề nghị thông báo đến các thôn.');
  assert.equal(done.doneNote, 'Đã treo cờ tại trụ sở.');
  const detail = await ok(core, 'documents.get', { id: doc.id });
  assert.equal(detail.incoming?.handlingDue, due, 'the document pane has the due date set when assigning');
  assert.equal(detail.incoming?.handler, 'Trần Thị Bình (Văn phòng)');
  assert.equal(detail.incoming?.assignNote, 'Đề nghị thông báo đến các thôn.');
  assert.equal(detail.incoming?.doneNote, 'Đã treo cờ tại trụ sở.');
  const assigned = detail.events.find((e) => e.kind === 'assigned');
  assert.equal(assigned?.details.note, 'Đề nghị thông báo đến các thôn.');
});

test('electronic files imported outside the axis are counted apart from paper in the report', async () => {
  const core = openRegistry();
  await importReal(core, 'hanoi-kh-173-ubnd-2026.pdf');
  await importReal(core, 'nd-119-2018-cp.signed.pdf');
  const scan = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Số: 12/UBND-VP', 'An Bình, ngày 02 tháng 3 năm 2026', 'V/v họp giao ban']);
  await ok(core, 'incoming.register', { fileName: 'scan.pdf', bytes: scan });
  const today = vnDate();
  const figures = await ok(core, 'report.figures', { from: today, to: today });
  assert.equal(figures.incoming.received, 3);
  assert.equal(figures.incoming.viaAxis, 0);
  assert.equal(figures.incoming.electronic, 2);
  assert.equal(figures.incoming.onPaper, 1);
  const electronic = await ok(core, 'report.list', { from: today, to: today, key: 'receivedElectronic' });
  assert.equal(electronic.total, 2);
  const paper = await ok(core, 'report.list', { from: today, to: today, key: 'receivedOnPaper' });
  assert.equal(paper.total, 1);
});

test('a file imported twice is named by its notation and trích yếu, not by an internal id', async () => {
  const core = openRegistry();
  const first = await importReal(core, 'hanoi-tb-453-ubnd-2026.pdf');
  const again = await call(core, 'documents.import', { direction: 'in', fileName: 'ban-sao.pdf', bytes: new Uint8Array(fs.readFileSync(interopPdf('hanoi-tb-453-ubnd-2026.pdf'))) });
  assert.equal(again.ok, false);
  if (!again.ok) {
    assert.equal(again.code, 'DUPLICATE_FILE');
    assert.equal(again.details.existingId, first.id);
    assert.equal(again.details.existingDocument, '453/TB-UBND — Về việc treo cờ Tổ quốc');
    assert.doesNotMatch(again.message, new RegExp(`document ${first.id}\\b`));
  }
  const vi = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../renderer/src/i18n/vi.json'), 'utf8')) as Record<string, string>;
  assert.doesNotMatch(vi['error.DUPLICATE_FILE']!, /existingId/, 'the message does not name the internal id');
  assert.match(vi['error.DUPLICATE_FILE']!, /\{existingDocument\}/);
});

test('the types that come from above are there for incoming documents, not for drafting; an abbreviation that lost its Đ is read when it can be one type only', async () => {
  const { documentTypeByAbbreviation, DOCUMENT_TYPES, OUTGOING_TYPE_CODES } = await import('../../main/common/doctypes.js');
  for (const [abbreviation, code] of [['NĐ', 'ND'], ['ND', 'ND'], ['TT', 'TT'], ['TTLT', 'TTLT'], ['QD', 'QD'], ['HD', 'HD'], ['HĐ', 'HDO'], ['DA', 'DA'], ['ĐA', 'DEA'], ['TTr', 'TTR']] as const) {
    assert.equal(documentTypeByAbbreviation(abbreviation)?.code, code, abbreviation);
  }
  for (const code of ['LUAT', 'BLUAT', 'PL', 'LENH', 'ND', 'TT', 'TTLT', 'NQLT']) {
    assert.ok(DOCUMENT_TYPES.some((t) => t.code === code), `${code} is a type`);
    assert.ok(!(OUTGOING_TYPE_CODES as readonly string[]).includes(code), `${code} is not drafted here`);
  }
  assert.ok((OUTGOING_TYPE_CODES as readonly string[]).includes('NQ') && (OUTGOING_TYPE_CODES as readonly string[]).includes('QD'), 'a commune issues its own Nghị quyết and Quyết định');

  // A draft typed Nghị định is refused by the contract, before anything is read or stored.
  const core = openRegistry();
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Số:    /NĐ-UBND']);
  const refused = await call(core, 'outgoing.create', { fileName: 'du-thao.pdf', bytes, details: { typeCode: 'ND', subject: 'Thử', signerName: 'Nguyễn Văn An', signerPosition: 'Chủ tịch', signerCompetence: 'TM.', recipients: [] } });
  assert.ok(!refused.ok && refused.code === 'INVALID_INPUT', JSON.stringify(refused));
  assert.equal((core.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n, 0);
});

test('a paper scan is read before it is registered, nothing stored; bad files are refused with their reason', async () => {
  const core = openRegistry();
  const count = () => (core.db.prepare('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM files) AS n').get() as { n: number }).n;
  const scan = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Số: 57/UBND-VP', 'V/v kiểm tra an toàn thực phẩm'], { title: '2026-04-23 (1)' });
  const read = await ok(core, 'incoming.readRecord', { fileName: 'scan.pdf', bytes: scan });
  assert.deepEqual(
    { notation: read.notation, documentDate: read.documentDate, authorAgency: read.authorAgency, typeCode: read.typeCode, subject: read.subject, missing: read.missing },
    { notation: '57/UBND-VP', documentDate: null, authorAgency: 'ỦY BAN NHÂN DÂN XÃ AN BÌNH', typeCode: 'CV', subject: 'V/v kiểm tra an toàn thực phẩm', missing: ['documentDate'] },
  );
  assert.equal(count(), 0, 'reading stores nothing');
  // Registering without the date is refused before anything is stored; with it, the number and the record are the clerk's and the scan's.
  const refused = await call(core, 'incoming.register', { fileName: 'scan.pdf', bytes: scan });
  assert.ok(!refused.ok && refused.code === 'INCOMING_INCOMPLETE' && refused.details.missing === 'documentDate');
  assert.equal(count(), 0, 'a refused registration leaves nothing');
  const registered = await ok(core, 'incoming.register', { fileName: 'scan.pdf', bytes: scan, fields: { notation: '57/UBND-VP', documentDate: '2026-04-21', authorAgency: 'ỦY BAN NHÂN DÂN XÃ AN BÌNH', typeCode: 'CV', subject: 'V/v kiểm tra an toàn thực phẩm' } });
  assert.equal(registered.incomingNumber, 1);
  assert.deepEqual(registered.document.capture?.sources, { notation: 'page-text', documentDate: 'clerk', authorAgency: 'page-text', typeCode: 'page-text', subject: 'page-text', signerName: null }, 'what the scan said, given back as it was, keeps where it came from');
  assert.ok(registered.document.capture?.confirmedAt);

  for (const [name, bytes, code] of [
    ['empty.pdf', new Uint8Array(), 'EMPTY_FILE'],
    ['not-a-pdf.pdf', new TextEncoder().encode('Công văn số 5, không phải PDF'), 'NOT_PDF'],
    ['truncated.pdf', scan.slice(0, 200), 'TRUNCATED_PDF'],
  ] as const) {
    const answer = await call(core, 'incoming.readRecord', { fileName: name, bytes });
    assert.ok(!answer.ok && answer.code === code, `${name}: ${JSON.stringify(answer)}`);
  }
});
