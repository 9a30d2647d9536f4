// The record a register keeps is locked once the document is numbered (Decree 30 Appendix VI 5d, 8a),
// and the document identifier code is shown wherever the document is (1c). Two agencies on the
// reference axis: the commune numbers, issues and recalls; the district receives, registers and
// accepts a recall. Every path that can change a document — the API's methods, the commands of
// the built CLI, an import of the same file, an update package from the sender — is tried on a
// numbered, an issued and a recalled document: the locked fields are refused with RECORD_LOCKED,
// the register's line and the document's row stay as they were, and the audit trail records
// each refusal; notes stay editable until a recall freezes the document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from './support/agencies.js';
import { makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { runEoffice as eoffice } from './support/cliRun.js';
import { invoke } from '../main/core/api/invoke.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { vnDate, vnYear } from '../main/common/dates.js';
import type { MethodName } from '../main/common/contract.js';
import type { ApiErrorShape } from '../main/common/errors.js';

let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-record-lock-');
const year = vnYear();
/** The commune's documents: numbered (not issued), issued and sent, issued then recalled. */
const out = { numbered: 0, issued: 0, recalled: 0 };
/** The district's: the issued one, registered; another, recalled at the sender's request. */
const inc = { registered: 0, recalled: 0 };

/** The code Decree 30 gives an outgoing document: the agency's identifier code, the date, the number and notation. */
const codeOf = (notation: string, isoDate: string) => `${COMMUNE.code},${isoDate.replaceAll('-', '/')},${notation}`;

async function refusal(agency: TestAgency, method: MethodName, input: unknown): Promise<ApiErrorShape> {
  const envelope = await invoke(agency.core.handlers, method, input, () => undefined);
  assert.equal(envelope.ok, false, `${method} should have been refused`);
  return envelope.ok ? ({} as ApiErrorShape) : envelope.error;
}

/** What the register holds of a document: its row and its recipients. */
function record(agency: TestAgency, id: number) {
  const db = agency.core.db;
  return {
    row: db
      .prepare(
        `SELECT type_code, number, notation, document_date, subject, author_agency, signer_name, signer_position, signer_competence, priority, due_date,
                file_sha256, state, drafting_unit, confidential, copies, archive_holder, notes, incoming_number FROM documents WHERE id = ?`,
      )
      .get(id),
    recipients: db.prepare('SELECT name FROM document_recipients WHERE document_id = ? ORDER BY position').all(id),
    codes: db.prepare('SELECT code FROM document_recipient_agencies WHERE document_id = ? ORDER BY position').all(id),
    places: db.prepare('SELECT * FROM number_places WHERE document_id = ? ORDER BY kind').all(id),
  };
}

async function bookLine(agency: TestAgency, id: number): Promise<string[] | undefined> {
  const book = agency === commune ? await agency.ok('outgoing.book', { year }) : await agency.ok('incoming.book', { year });
  return book.rows.find((r) => r.id === id)?.cells;
}

function refusalsOf(agency: TestAgency, id: number): { fields: string[]; state: string }[] {
  return (agency.core.db.prepare("SELECT details FROM audit_events WHERE document_id = ? AND kind = 'change-refused' ORDER BY id").all(id) as { details: string }[]).map(
    (r) => JSON.parse(r.details) as { fields: string[]; state: string },
  );
}

/**
 * Runs `attempt`, which must be refused with RECORD_LOCKED naming `fields`: the document's record
 * and its line in the register are unchanged, and one more refusal is in the audit trail.
 */
async function refusedAndUnchanged(agency: TestAgency, id: number, fields: string[], attempt: () => Promise<ApiErrorShape>): Promise<void> {
  const before = { record: record(agency, id), line: await bookLine(agency, id), refusals: refusalsOf(agency, id).length };
  const error = await attempt();
  assert.equal(error.code, 'RECORD_LOCKED', `${error.code}: ${error.message}`);
  for (const field of fields) assert.ok(String(error.details?.fields).split(', ').includes(field), `${field} named in ${JSON.stringify(error.details)}`);
  assert.equal(error.details?.id, id);
  assert.deepEqual(record(agency, id), before.record, 'the record is unchanged');
  assert.deepEqual(await bookLine(agency, id), before.line, 'the register’s line is unchanged');
  const refusals = refusalsOf(agency, id);
  assert.equal(refusals.length, before.refusals + 1, 'the refusal is in the audit trail');
  for (const field of fields) assert.ok(refusals.at(-1)!.fields.includes(field), JSON.stringify(refusals.at(-1)));
  assert.equal(refusals.at(-1)!.state, (before.record.row as { state: string }).state);
}

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });

  // Numbered, not issued: draft, the leader's signature, "Cấp số".
  const [leader] = commune.tokens;
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', 'Về việc khóa số']);
  const draft = await commune.ok('outgoing.create', {
    fileName: 'khoa-so.pdf',
    bytes,
    details: { typeCode: 'QD', subject: 'Về việc khóa số', signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['UBND huyện Thử Nghiệm'], recipientCodes: [DISTRICT.code] },
  });
  await commune.ok('documents.sign', { ids: [draft.document.id], label: leader!.label, certificateId: leader!.ids.signer, pin: leader!.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  out.numbered = (await commune.ok('outgoing.number', { id: draft.document.id })).document.id;

  out.issued = (await issueTo(commune, [DISTRICT.code], 'Về việc ban hành quy chế khóa sổ')).document.id;
  out.recalled = (await issueTo(commune, [DISTRICT.code], 'Về việc sẽ thu hồi')).document.id;
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 2);
  assert.equal((await district.ok('exchange.syncNow', {})).received, 2);
  const received = (subject: string) => (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' AND subject = ?").get(subject) as { id: number }).id;
  inc.registered = received('Về việc ban hành quy chế khóa sổ');
  inc.recalled = received('Về việc sẽ thu hồi');
  await district.ok('incoming.accept', { id: inc.registered });
  await district.ok('incoming.accept', { id: inc.recalled });
  await commune.ok('outgoing.afterIssue', { id: out.recalled, action: 'recall', reason: 'Ban hành sai thẩm quyền' });
  await commune.ok('exchange.syncNow', {});
  await district.ok('exchange.syncNow', {});
  await district.ok('incoming.answerRecall', { id: inc.recalled, accept: true });
});

after(async () => {
  await axis?.close();
  commune?.close();
  district?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('documents.update ("Sửa") refuses the locked fields of a numbered, an issued and a recalled outgoing document', async () => {
  for (const id of [out.numbered, out.issued, out.recalled]) {
    await refusedAndUnchanged(commune, id, ['subject', 'signerName'], () => refusal(commune, 'documents.update', { id, patch: { subject: 'Trích yếu sửa sau khi cấp số', signerName: 'Người khác' } }));
    await refusedAndUnchanged(commune, id, ['notation', 'documentDate', 'typeCode'], () =>
      refusal(commune, 'documents.update', { id, patch: { notation: '99/QĐ-UBND', documentDate: '2026-01-01', typeCode: 'TB' } }),
    );
    await refusedAndUnchanged(commune, id, ['recipients', 'signerPosition', 'signerCompetence', 'priority', 'dueDate'], () =>
      refusal(commune, 'documents.update', { id, patch: { recipients: ['Nơi khác'], signerPosition: 'PHÓ CHỦ TỊCH', signerCompetence: 'KT.', priority: 'flash', dueDate: '2026-12-31' } }),
    );
    // A patch that gives a locked field its own value again changes nothing and is no change to refuse.
    const same = await commune.ok('documents.get', { id });
    assert.equal((await commune.ok('documents.update', { id, patch: { subject: same.subject } })).subject, same.subject);
  }
  const issued = await refusal(commune, 'documents.update', { id: out.issued, patch: { subject: 'sửa' } });
  assert.match(issued.message, /fixed/);
  assert.match(issued.message, /update|replace|recall/, 'the message says which recorded flow changes what was issued');
  assert.equal(verifyAudit(commune.core.db).ok, true);
});

test('outgoing.updateDraft keeps notes, copies and the file-copy holder editable once numbered, refuses the rest, and refuses everything once recalled', async () => {
  for (const id of [out.numbered, out.issued]) {
    await refusedAndUnchanged(commune, id, ['subject'], () => refusal(commune, 'outgoing.updateDraft', { id, details: { subject: 'đổi trích yếu' } }));
    await refusedAndUnchanged(commune, id, ['recipientCodes', 'draftingUnit', 'confidential'], () =>
      refusal(commune, 'outgoing.updateDraft', { id, details: { recipientCodes: ['000.00.09.H99'], draftingUnit: 'VP', confidential: true } }),
    );
    const edited = await commune.ok('outgoing.updateDraft', { id, details: { notes: 'Gửi kèm bản giấy', copies: 7, archiveHolder: 'Lưu: VT' } });
    assert.deepEqual([edited.draft.notes, edited.draft.copies, edited.draft.archiveHolder], ['Gửi kèm bản giấy', 7, 'Lưu: VT']);
    assert.match((await bookLine(commune, id))![9]!, /Gửi kèm bản giấy/, 'the notes reach the register');
  }
  // Thu hồi freezes the document whole (8a): its notes too.
  await refusedAndUnchanged(commune, out.recalled, ['notes', 'copies'], () => refusal(commune, 'outgoing.updateDraft', { id: out.recalled, details: { notes: 'ghi chú sau thu hồi', copies: 3 } }));
  const detail = await commune.ok('documents.get', { id: out.recalled });
  assert.equal(detail.lock?.reason, 'recalled');
  assert.ok(detail.lock?.fields.includes('notes'));
  const issued = await commune.ok('documents.get', { id: out.issued });
  assert.equal(issued.lock?.reason, 'numbered');
  assert.ok(issued.lock?.fields.includes('subject') && !issued.lock.fields.includes('notes'), JSON.stringify(issued.lock));
});

test('the files of a numbered document are fixed: marking places, signing it again and importing its file again change nothing', async () => {
  const [leader] = commune.tokens;
  const places = { number: { page: 1, rect: [60, 700, 120, 16] }, date: { page: 1, rect: [300, 700, 230, 16] } };
  for (const id of [out.numbered, out.issued, out.recalled]) {
    await refusedAndUnchanged(commune, id, ['files'], () => refusal(commune, 'outgoing.markPlaces', { id, places }));
    await refusedAndUnchanged(commune, id, ['files'], async () => {
      const signed = await commune.ok('documents.sign', { ids: [id], label: leader!.label, certificateId: leader!.ids.signer, pin: leader!.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
      assert.equal(signed.results[0]!.status, 'failed');
      return signed.results[0]!.error!;
    });
    // The issued file imported again is the same file: refused as a duplicate, the record as it was.
    const before = record(commune, id);
    const sha = (before.row as { file_sha256: string }).file_sha256;
    const again = await refusal(commune, 'documents.import', { direction: 'out', fileName: 'lai-lan-nua.pdf', bytes: new Uint8Array(commune.core.blobs.read(sha)) });
    assert.equal(again.code, 'DUPLICATE_FILE');
    assert.equal(again.details?.existingId, id);
    assert.deepEqual(record(commune, id), before);
  }
  // A draft's places still move: the lock starts at the number.
  const draft = await commune.ok('outgoing.create', {
    fileName: 'nhap.pdf',
    bytes: await makeVietnamesePdf(['CÔNG VĂN', 'Nội dung nháp']),
    details: { typeCode: 'CV', subject: 'Về việc còn là bản nháp', signerName: 'Nguyễn Văn An' },
  });
  assert.equal(draft.document.lock, null);
  assert.equal((await commune.ok('outgoing.markPlaces', { id: draft.document.id, places })).places.number?.rect[0], 60);
  assert.equal((await commune.ok('documents.update', { id: draft.document.id, patch: { subject: 'Về việc bản nháp đã sửa' } })).subject, 'Về việc bản nháp đã sửa');
});

test('an incoming document is open to the clerk until tiếp nhận, then the record as received and registered is locked; a recalled one is frozen', async () => {
  // Before tiếp nhận the clerk corrects what was read off the package.
  const { incoming } = await (async () => {
    const sent = await issueTo(commune, [DISTRICT.code], 'Về việc chờ tiếp nhận');
    await commune.ok('exchange.syncNow', {});
    await district.ok('exchange.syncNow', {});
    return { incoming: (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' AND subject = ?").get(sent.document.subject) as { id: number }).id };
  })();
  assert.equal((await district.ok('documents.get', { id: incoming })).lock, null);
  assert.equal((await district.ok('documents.update', { id: incoming, patch: { subject: 'Về việc chờ tiếp nhận (đã sửa)' } })).subject, 'Về việc chờ tiếp nhận (đã sửa)');
  // Tiếp nhận takes the clerk's last corrections with the số đến; from then on the record is fixed.
  const accepted = await district.ok('incoming.accept', { id: incoming, fields: { subject: 'Về việc chờ tiếp nhận (khi tiếp nhận)', notation: '77/QĐ-UBND' } });
  assert.deepEqual([accepted.subject, accepted.notation, accepted.state], ['Về việc chờ tiếp nhận (khi tiếp nhận)', '77/QĐ-UBND', 'registered']);
  await refusedAndUnchanged(district, incoming, ['subject'], () => refusal(district, 'documents.update', { id: incoming, patch: { subject: 'sau tiếp nhận' } }));

  await refusedAndUnchanged(district, inc.registered, ['subject', 'authorAgency'], () =>
    refusal(district, 'documents.update', { id: inc.registered, patch: { subject: 'Trích yếu viết lại', authorAgency: 'Cơ quan khác' } }),
  );
  await refusedAndUnchanged(district, inc.registered, ['notation'], () => refusal(district, 'documents.update', { id: inc.registered, patch: { notation: '99/QĐ-UBND' } }));
  assert.equal((await district.ok('documents.get', { id: inc.registered })).lock?.reason, 'registered');
  await refusedAndUnchanged(district, inc.recalled, ['subject'], () => refusal(district, 'documents.update', { id: inc.recalled, patch: { subject: 'sửa lại' } }));
  assert.equal((await district.ok('documents.get', { id: inc.recalled })).lock?.reason, 'recalled');
  // Tiếp nhận again, with fields that would rewrite the record: refused, nothing changed.
  const before = record(district, inc.registered);
  assert.equal((await refusal(district, 'incoming.accept', { id: inc.registered, fields: { subject: 'Trích yếu khác' } })).code, 'WRONG_STATE');
  assert.deepEqual(record(district, inc.registered), before);
  assert.equal(verifyAudit(district.core.db).ok, true);
});

test('an update package from the sender about a registered document leaves its record as registered and arrives as a document of its own', async () => {
  const before = { record: record(district, inc.registered), line: await bookLine(district, inc.registered) };
  await commune.ok('outgoing.afterIssue', { id: out.issued, action: 'update', reason: 'Bổ sung nơi nhận' });
  await commune.ok('exchange.syncNow', {});
  assert.equal((await district.ok('exchange.syncNow', {})).received, 1);
  assert.deepEqual(record(district, inc.registered), before.record);
  // The register's line keeps every column as registered; its notes point to the update.
  const line = (await bookLine(district, inc.registered))!;
  assert.deepEqual(line.slice(0, 9), before.line!.slice(0, 9));
  assert.match(line[9]!, /^Có văn bản cập nhật\/thay thế \(#\d+\)\. /);
  assert.ok(line[9]!.endsWith(before.line![9]!), 'what the notes said is still there');
  const later = district.core.db.prepare('SELECT id FROM documents WHERE replaces_id = ?').get(inc.registered) as { id: number } | undefined;
  assert.ok(later, 'the update is linked to the earlier document');
});

test('the identifier code: made from the numbering, the same in documents.get, the lists, the edXML and on the receiving side', async () => {
  const numbered = await commune.ok('documents.get', { id: out.numbered });
  assert.equal(numbered.identifierCode, codeOf(numbered.notation!, numbered.documentDate!), 'a numbered document has its code before it is queued');
  const issued = await commune.ok('documents.get', { id: out.issued });
  assert.equal(issued.identifierCode, codeOf(issued.notation!, issued.documentDate!));
  assert.match(issued.identifierCode!, /^000\.00\.01\.H99,\d{4}\/\d{2}\/\d{2},\d{2}\/QĐ-UBND$/);
  // The package that went out carries the same code as its DocumentId.
  const job = commune.core.db.prepare("SELECT package_sha256 FROM outbox_jobs WHERE document_id = ? AND action = 'send'").get(out.issued) as { package_sha256: string };
  const edxml = commune.core.blobs.read(job.package_sha256).toString('utf8');
  assert.ok(edxml.includes(`<edXML:DocumentId>${issued.identifierCode}</edXML:DocumentId>`), 'the edXML carries the identifier code');
  const listed = await commune.ok('documents.list', { direction: 'out' });
  assert.equal(listed.items.find((d) => d.id === out.issued)?.identifierCode, issued.identifierCode);
  const draftRow = listed.items.find((d) => d.state === 'draft');
  assert.equal(draftRow?.identifierCode, null, 'a draft has no code yet');
  const found = await commune.ok('documents.search', { query: 'khóa sổ' });
  assert.equal(found.items.find((d) => d.id === out.issued)?.identifierCode, issued.identifierCode);
  // The district holds the sender's code for what it received.
  assert.equal((await district.ok('documents.get', { id: inc.registered })).identifierCode, issued.identifierCode);
  assert.equal((await district.ok('incoming.get', { id: inc.registered })).identifierCode, issued.identifierCode);
  assert.equal((await district.ok('incoming.list', { filter: 'all' })).items.find((i) => i.id === inc.registered)?.identifierCode, issued.identifierCode);
});

test('the identifier code is in the registers’ exports: PDF, XLSX and CSV of both books', async () => {
  const codes = {
    out: [out.numbered, out.issued].map(async (id) => (await commune.ok('documents.get', { id })).identifierCode!),
    in: [(await district.ok('documents.get', { id: inc.registered })).identifierCode!],
  };
  const outCodes = await Promise.all(codes.out);
  for (const [agency, method, wanted] of [
    [commune, 'outgoing.exportBook', outCodes],
    [district, 'incoming.exportBook', codes.in],
  ] as const) {
    const exported = async (format: 'pdf' | 'xlsx' | 'csv') => (await agency.ok(method, { year, format })).bytes;
    const pdfFile = path.join(work, `${method}.pdf`);
    fs.writeFileSync(pdfFile, await exported('pdf'));
    // A long code wraps inside its cell: read back without the line breaks.
    const text = execFileSync('pdftotext', ['-raw', pdfFile, '-']).toString('utf8').normalize('NFC').replace(/\s+/g, '');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await exported('xlsx')).buffer);
    const cells: string[] = [];
    workbook.getWorksheet(String(year))!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
    const csv = Buffer.from(await exported('csv')).toString('utf8');
    for (const code of wanted) {
      assert.ok(text.includes(code), `${code} in the ${method} PDF`);
      assert.ok(cells.some((c) => c.includes(code)), `${code} in the ${method} XLSX`);
      assert.ok(csv.includes(code), `${code} in the ${method} CSV`);
    }
  }
  assert.equal(vnDate().slice(0, 4), String(year));
});

test('the command line: --json carries the identifier code, and its editing commands are refused on a numbered document with the refusal audited', async () => {
  const issued = await commune.ok('documents.get', { id: out.issued });
  const received = await district.ok('documents.get', { id: inc.registered });
  const beforeRecord = record(commune, out.issued);
  const refusals = refusalsOf(commune, out.issued).length;
  commune.close();
  district.close();

  const show = await eoffice(commune.dataDir, ['out', 'show', String(out.issued), '--json']);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).document.identifierCode, issued.identifierCode);
  const list = await eoffice(commune.dataDir, ['list', '--book', 'out', '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.equal((JSON.parse(list.stdout) as { items: { id: number; identifierCode: string | null }[] }).items.find((d) => d.id === out.issued)?.identifierCode, issued.identifierCode);
  const inShow = await eoffice(district.dataDir, ['in', 'show', String(inc.registered), '--json']);
  assert.equal(inShow.code, 0, inShow.stderr);
  assert.equal(JSON.parse(inShow.stdout).identifierCode, received.identifierCode);
  assert.equal(JSON.parse(inShow.stdout).document.identifierCode, received.identifierCode);
  const inList = await eoffice(district.dataDir, ['in', 'list', '--state', 'all', '--json']);
  assert.equal((JSON.parse(inList.stdout) as { items: { id: number; identifierCode: string | null }[] }).items.find((i) => i.id === inc.registered)?.identifierCode, received.identifierCode);
  const text = await eoffice(commune.dataDir, ['out', 'show', String(out.issued)]);
  assert.ok(text.stdout.includes(issued.identifierCode!), text.stdout);

  const places = await eoffice(commune.dataDir, ['out', 'places', String(out.issued), '--number-at', '1,60,700,120,16', '--date-at', '1,300,700,230,16']);
  assert.notEqual(places.code, 0);
  assert.match(places.stderr, /fixed/);
  // The data folder as the CLI left it.
  const { openDatabase } = await import('../main/core/storage/database.js');
  const db = openDatabase(path.join(commune.dataDir, 'eoffice.sqlite'));
  try {
    const audit = (db.prepare("SELECT details FROM audit_events WHERE document_id = ? AND kind = 'change-refused' ORDER BY id").all(out.issued) as { details: string }[]).map((r) => JSON.parse(r.details) as { fields: string[] });
    assert.equal(audit.length, refusals + 1, 'the CLI’s refusal is in the audit trail');
    assert.ok(audit.at(-1)!.fields.includes('files'));
    assert.deepEqual(db.prepare('SELECT file_sha256, state FROM documents WHERE id = ?').get(out.issued), { file_sha256: (beforeRecord.row as { file_sha256: string }).file_sha256, state: 'updated' });
  } finally {
    db.close();
  }
});
