// Issue 20.5 (Decree 30, Appendix VI 6d): every field of the record is searchable, through the
// API as a clerk's search box calls it: the identifier code, the recipients, the notes and the
// attachments' text of an issued document; the received copy by its code and its attachment's
// text; the số đến, the handler's name (also after the directory renames them) and the notes
// typed when assigning and finishing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, openAgency, type TestAgency } from './support/agencies.js';
import { makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { vnDate } from '../main/common/dates.js';

let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-search-fields-');

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
});

after(async () => {
  await axis?.close();
  commune?.close();
  district?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function found(agency: TestAgency, query: string): Promise<number[]> {
  return (await agency.ok('documents.search', { query })).items.map((hit) => hit.id);
}

/** Drafted with an annex, signed and issued to the district: the commune's document id. */
async function issueWithAnnex(subject: string, annexLines: string[]): Promise<number> {
  const [leader, agency] = commune.tokens;
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /KH-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'KẾ HOẠCH', subject]);
  const draft = await commune.ok('outgoing.create', {
    fileName: 'ke-hoach.pdf',
    bytes,
    attachments: [{ fileName: 'phu-luc-du-toan.pdf', bytes: await makeVietnamesePdf(annexLines) }],
    details: {
      typeCode: 'KH',
      subject,
      signerName: 'Nguyễn Văn An',
      signerPosition: 'CHỦ TỊCH',
      signerCompetence: 'TM.',
      recipients: ['Ban Chỉ huy quân sự huyện', 'Lưu: VT'],
      recipientCodes: [DISTRICT.code],
      notes: 'Lưu hồ sơ phòng chống bão lũ',
    },
  });
  const id = draft.document.id;
  const signed = await commune.ok('documents.sign', { ids: [id], label: leader!.label, certificateId: leader!.ids.signer, pin: leader!.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  await commune.ok('outgoing.issue', { id, label: agency!.label, certificateId: agency!.ids.agency, pin: agency!.userPin });
  return id;
}

let sentId = 0;
let receivedId = 0;
let exchangeId = '';

test('an issued document is found by its identifier code, a recipient, its notes and the text of its annex', async () => {
  sentId = await issueWithAnnex('Kế hoạch trồng rừng năm 2026', ['PHỤ LỤC DỰ TOÁN', 'Cây giống keo lá tràm cho thôn Đồng Xuân']);
  exchangeId = (commune.core.db.prepare('SELECT exchange_id FROM documents WHERE id = ?').get(sentId) as { exchange_id: string | null }).exchange_id ?? '';
  assert.match(exchangeId, /^000\.00\.01\.H99,/, 'the identifier code was made at issue');
  assert.deepEqual(await found(commune, exchangeId), [sentId], 'the identifier code, whole');
  assert.deepEqual(await found(commune, 'ban chỉ huy quân sự'), [sentId], 'a recipient (nơi nhận)');
  assert.deepEqual(await found(commune, 'phong chong bao lu'), [sentId], 'the notes (ghi chú)');
  assert.deepEqual(await found(commune, 'keo lá tràm'), [sentId], "the annex's text");
  assert.deepEqual(await found(commune, 'thôn Đồng Xuân'), [sentId], "the annex's text, with đ");
  assert.deepEqual(await found(commune, 'phu luc du toan'), [sentId], "the annex's file name");
  assert.deepEqual(await found(commune, 'keo la tram ban chi huy'), [sentId], 'terms from two fields together');
});

test('the received copy is found by its identifier code and by the text of its annex', async () => {
  assert.ok(sentId, 'the issuing test ran first');
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 1);
  assert.equal((await district.ok('exchange.syncNow', {})).received, 1);
  receivedId = (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  assert.deepEqual(await found(district, exchangeId), [receivedId], 'the identifier code the sender made');
  assert.deepEqual(await found(district, 'keo la tram dong xuan'), [receivedId], "the received annex's text");
  assert.deepEqual(await found(district, 'trồng rừng'), [receivedId], "the received file's own text");
});

test('the số đến, the handler (as renamed) and the notes of assigning and finishing find the incoming document', async () => {
  assert.ok(receivedId, 'the receiving test ran first');
  // Another document first, so that this one's số đến is 2 and "2" cannot be some other field.
  const other = await district.ok('incoming.register', {
    fileName: 'cong-van.pdf',
    bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN TỈNH', 'Số: 14/UBND-VP', 'Về việc họp giao ban']),
    fields: { notation: '14/UBND-VP', documentDate: '2026-03-02', authorAgency: 'UBND tỉnh', typeCode: 'CV', subject: 'Về việc họp giao ban' },
  });
  assert.equal(other.incomingNumber, 1);
  const accepted = await district.ok('incoming.accept', { id: receivedId });
  assert.equal(accepted.incomingNumber, 2);
  assert.deepEqual(await found(district, '2'), [receivedId], 'số đến 2');
  assert.deepEqual(await found(district, '02'), [receivedId], 'số đến as the register prints it');
  assert.deepEqual(await found(district, 'bich ngoc'), [], 'nobody handles it yet');

  const handler = await district.ok('handlers.add', { name: 'Trần Thị Bích Ngọc', unit: 'Phòng Tài chính - Kế hoạch' });
  const due = vnDate(new Date(Date.now() + 5 * 86_400_000));
  await district.ok('incoming.assign', { id: receivedId, handlerId: handler.id, due, note: 'Khẩn trương tham mưu văn bản trả lời' });
  assert.deepEqual(await found(district, 'Bích Ngọc'), [receivedId], "the handler's name");
  assert.deepEqual(await found(district, 'phong tai chinh'), [receivedId], "the handler's unit");
  assert.deepEqual(await found(district, 'tham muu'), [receivedId], 'the note typed when assigning');
  await district.ok('incoming.done', { id: receivedId, note: 'Đã trình lãnh đạo ký duyệt' });
  assert.deepEqual(await found(district, 'trinh lanh dao'), [receivedId], 'the note typed when finishing');

  await district.ok('handlers.update', { id: handler.id, name: 'Trần Thị Bích Hạnh' });
  assert.deepEqual(await found(district, 'bich hanh'), [receivedId], 'the new name, once the directory renames them');
  assert.deepEqual(await found(district, 'bich ngoc'), [], 'the old name no longer');

  const listed = (await district.ok('documents.search', { query: 'bich hanh' })).items[0]!;
  assert.equal(listed.incomingNumber, 2);
  assert.equal(listed.handlerName, 'Trần Thị Bích Hạnh');
  assert.equal(listed.dueDate, due);
  assert.equal(listed.identifierCode, exchangeId);
});
