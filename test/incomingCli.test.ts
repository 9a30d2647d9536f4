// The incoming register from the command line, on the built CLI against the reference axis: the
// district receives, lists by state, accepts (số đến), returns only with a reason, keeps a
// directory of handlers, assigns with a dd/MM/yyyy due date, starts and completes, registers a
// paper scan, answers the commune's recall, and exports the book; bad inputs exit non-zero with
// one line and change nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from './support/agencies.js';
import { interopPdf, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { formatDateVn, vnDate, vnYear } from '../main/common/dates.js';
import { runEoffice as eoffice } from './support/cliRun.js';

const work = tempDir('eoffice-cli-incoming-');
let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer;
const issued: number[] = [];


async function ok(dataDir: string, args: string[]): Promise<string> {
  const run = await eoffice(dataDir, args);
  assert.equal(run.code, 0, `eoffice ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

async function fails(dataDir: string, args: string[], reason: RegExp): Promise<void> {
  const run = await eoffice(dataDir, args);
  assert.equal(run.code, 1, `eoffice ${args.join(' ')} should fail: ${run.stdout}`);
  assert.match(run.stderr, reason);
  assert.equal(run.stderr.split('\n').length, 1, 'one line');
}

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
  // Issued through the API (it needs the tokens); then the CLI takes over both data folders.
  for (const subject of ['tổ chức hội nghị tổng kết', 'điều chỉnh kế hoạch đã ban hành']) issued.push((await issueTo(commune, [DISTRICT.code], subject)).document.id);
  commune.close();
  district.close();
});

after(async () => {
  await axis?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

interface Listed {
  total: number;
  items: { id: number; subject: string; state: string; incomingNumber: number | null; dueSoon: boolean; overdue: boolean }[];
}

const d = () => district.dataDir;
const stateOf = async (id: number) => (JSON.parse(await ok(d(), ['in', 'show', String(id), '--json'])) as { state: string }).state;

test('in: accept, handlers, assign --due dd/MM/yyyy, start, done, register a scan, answer a recall, book in', async () => {
  assert.match(await ok(commune.dataDir, ['sync', '--once']), /sent 2/);
  assert.match(await ok(d(), ['sync', '--once']), /received 2/);
  const waiting = JSON.parse(await ok(d(), ['in', 'list', '--state', 'received', '--json'])) as Listed;
  assert.equal(waiting.total, 2);
  const idOf = (subject: string) => waiting.items.find((i) => i.subject === subject)!.id;
  const a = idOf('tổ chức hội nghị tổng kết');
  const b = idOf('điều chỉnh kế hoạch đã ban hành');
  assert.match(await ok(d(), ['in', 'list', '--state', 'received']), /chờ tiếp nhận .*tổ chức hội nghị tổng kết/);
  await fails(d(), ['in', 'list', '--state', 'lost'], /--state must be one of/);

  await fails(d(), ['in', 'return', String(a)], /--reason/);
  assert.equal(await stateOf(a), 'received', 'nothing changed');
  const year = vnYear();
  assert.match(await ok(d(), ['in', 'accept', String(a)]), new RegExp(`registered số đến 01/${year}`));
  await fails(d(), ['in', 'accept', String(a)], /registered/);

  assert.match(await ok(d(), ['in', 'handlers', '--add', 'Phòng Tư pháp', '--unit', 'UBND huyện', '--kind', 'unit']), /Phòng Tư pháp \(UBND huyện\)/);
  await fails(d(), ['in', 'handlers', '--add', 'Phòng Tư pháp'], /already has an active handler/);
  await ok(d(), ['in', 'handlers', '--add', 'Lê Văn Nghỉ']);
  assert.match(await ok(d(), ['in', 'handlers', '--deactivate', 'Lê Văn Nghỉ']), /ngừng sử dụng/);
  const directory = await ok(d(), ['in', 'handlers']);
  assert.match(directory, /đơn vị .*Phòng Tư pháp \(UBND huyện\)/);
  assert.match(directory, /Lê Văn Nghỉ .*\[ngừng sử dụng\]/);

  const tomorrow = formatDateVn(vnDate(new Date(Date.now() + 86_400_000)));
  await fails(d(), ['in', 'assign', String(a), '--to', 'Không Ai', '--due', tomorrow], /no handler "Không Ai"/);
  await fails(d(), ['in', 'assign', String(a), '--to', 'Lê Văn Nghỉ', '--due', tomorrow], /no longer active/);
  await fails(d(), ['in', 'assign', String(a), '--to', 'Phòng Tư pháp', '--due', '31/02/2026'], /not a calendar date|INVALID|not a date|invalid/i);
  await fails(d(), ['in', 'assign', String(a), '--to', 'Phòng Tư pháp', '--due', '2026-05-01'], /dd\/MM\/yyyy/);
  await fails(d(), ['in', 'assign', String(a), '--to', 'Phòng Tư pháp', '--due', '01/01/2000'], /before the document arrived/);
  await fails(d(), ['in', 'done', String(b)], /received/);
  assert.equal(await stateOf(a), 'registered', 'nothing changed');

  assert.match(await ok(d(), ['in', 'assign', String(a), '--to', 'Phòng Tư pháp', '--due', tomorrow, '--note', 'Chủ trì']), /assigned/);
  const dueSoon = JSON.parse(await ok(d(), ['in', 'list', '--due-soon', '--json'])) as Listed;
  assert.deepEqual(dueSoon.items.map((i) => [i.id, i.dueSoon]), [[a, true]]);
  assert.equal((JSON.parse(await ok(d(), ['in', 'list', '--overdue', '--json'])) as Listed).total, 0);
  assert.match(await ok(d(), ['in', 'list', '--state', 'assigned']), /Phòng Tư pháp hạn .*SẮP ĐẾN HẠN/);
  assert.match(await ok(d(), ['in', 'start', String(a)]), /in_progress/);
  assert.match(await ok(d(), ['in', 'done', String(a), '--note', 'Đã tổ chức']), /done/);

  const scan = path.join(work, 'giay-moi.pdf');
  fs.writeFileSync(scan, await makeVietnamesePdf(['UBND TỈNH THỬ NGHIỆM', 'Số: 45/GM-UBND', 'GIẤY MỜI', 'V/v dự hội nghị']));
  // The scan prints no date: the register needs one before it gives a số đến, and nothing is stored meanwhile.
  await fails(d(), ['in', 'register', scan], /cannot take a số đến yet: the register needs its date\. Give them \(.*--date\)/);
  await fails(d(), ['in', 'register', scan, '--date', '30/02/2026'], /--date 30\/02\/2026 is not a calendar date/);
  assert.equal((JSON.parse(await ok(d(), ['in', 'list', '--state', 'all', '--json'])) as Listed).total, 2, 'nothing stored');
  assert.match(await ok(d(), ['in', 'register', scan, '--date', '04/03/2026']), new RegExp(`registered số đến 02/${year}`));

  // The commune recalls the second document; the district accepts the recall.
  assert.match(await ok(d(), ['in', 'accept', String(b)]), /số đến 03/);
  await fails(d(), ['in', 'recall', 'accept', String(b)], /has not asked to recall/);
  // Thu hồi cannot be undone: from a script (no terminal to ask on) it takes --yes.
  await fails(commune.dataDir, ['out', 'recall', String(issued[1]), '--reason', 'Ban hành sai thẩm quyền'], /Thu hồi: .*confirm with --yes/);
  await ok(commune.dataDir, ['out', 'recall', String(issued[1]), '--reason', 'Ban hành sai thẩm quyền', '--yes']);
  assert.match(await ok(commune.dataDir, ['sync', '--once']), /sent 1/);
  assert.match(await ok(d(), ['sync', '--once']), /received 1/);
  assert.match(await ok(d(), ['in', 'list', '--state', 'recall-pending']), /ĐỀ NGHỊ THU HỒI/);
  assert.match(await ok(d(), ['in', 'recall', 'accept', String(b)]), /recalled/);
  await fails(d(), ['in', 'assign', String(b), '--to', 'Phòng Tư pháp', '--due', tomorrow], /recalled/);
  await fails(d(), ['in', 'recall', 'refuse', String(b)], /recalled/);
  const shown = await ok(d(), ['in', 'show', String(b)]);
  assert.match(shown, /trạng thái: đã thu hồi \(Ban hành sai thẩm quyền\)/);
  assert.match(shown, /ĐẾN: số đến 03/);
  assert.match(shown, /thu hồi: Ban hành sai thẩm quyền — đã đồng ý/);

  // The statuses reach the commune (one per document per pass).
  for (let pass = 0; pass < 5; pass++) await ok(d(), ['sync', '--once']);
  await ok(commune.dataDir, ['sync', '--once']);
  assert.match(await ok(d(), ['in', 'show', String(a)]), /→ 06 .*Đã xử lý xong/);

  const csvFile = path.join(work, 'so-den.csv');
  assert.equal(await ok(d(), ['book', 'in', '--year', String(year), '--format', 'csv', '-o', csvFile]), csvFile);
  const lines = fs.readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.match(lines[0]!, /^Ngày đến,Số đến,Tác giả/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[1]), ['01', '02', '03']);
  assert.match(lines[1]!, /Phòng Tư pháp \(UBND huyện\)/);
  assert.match(lines[3]!, /Đã thu hồi: Ban hành sai thẩm quyền/);
  const pdfFile = path.join(work, 'so-den.pdf');
  await ok(d(), ['book', 'in', '--year', String(year), '--format', 'pdf', '-o', pdfFile]);
  assert.equal(fs.readFileSync(pdfFile).subarray(0, 5).toString('latin1'), '%PDF-');
  await fails(d(), ['book', 'sideways', '--year', String(year), '-o', pdfFile], /book out\|in/);
});

test('in accept: a file that does not say what the register needs is refused, naming the options to give, then accepted with them; in show marks guesses', async () => {
  const dir = tempDir('eoffice-cli-accept-');
  const imported = await eoffice(dir, ['import', interopPdf('qd-729-ttg-2026.signed.pdf'), '--book', 'in', '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const id = String((JSON.parse(imported.stdout) as { id: number }).id);
  const before = await ok(dir, ['in', 'show', id]);
  assert.match(before, /số đến — \(chưa vào sổ\)/);
  assert.match(before, /nguồn: văn bản điện tử nhận ngoài trục/);
  assert.match(before, /số, ký hiệu của văn bản: \(chưa xác định — cần nhập khi tiếp nhận\)/);
  assert.match(before, /loại văn bản: \(chưa xác định — cần nhập khi tiếp nhận\)/);
  assert.match(before, /ký số bởi: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ \(VĂN PHÒNG CHÍNH PHỦ\)/);

  await fails(dir, ['in', 'accept', id], /the register needs its number and notation, date, issuing agency, type, subject \(trích yếu\)\. Give them \(eoffice in accept\/register: --notation --date --agency --type --subject\)/);
  await fails(dir, ['in', 'accept', id, '--notation', '729/QĐ-TTg', '--type', 'QĐ'], /needs its date, issuing agency, subject/);
  await fails(dir, ['in', 'accept', id, '--type', 'XYZ'], /--type "XYZ" is not a document type/);
  assert.match(await ok(dir, ['in', 'show', id]), /số đến — \(chưa vào sổ\)/, 'nothing changed');

  const accepted = await ok(dir, ['in', 'accept', id, '--notation', '729/QĐ-TTg', '--date', '23/04/2026', '--agency', 'Thủ tướng Chính phủ', '--type', 'QĐ', '--subject', 'Phê duyệt Đề án']);
  assert.match(accepted, new RegExp(`registered số đến 01/${vnYear()}`));
  const after = await ok(dir, ['in', 'show', id]);
  assert.match(after, /số đến 01/);
  assert.match(after, /số, ký hiệu của văn bản: 729\/QĐ-TTg\n/);
  assert.match(after, /loại văn bản: Quyết định\n/);
  assert.match(after, /cơ quan ban hành: Thủ tướng Chính phủ\n/);

  // A Hà Nội PDF carries everything: accepted as it is, its guesses shown until then.
  const hanoi = await eoffice(dir, ['import', interopPdf('hanoi-tb-453-ubnd-2026.pdf'), '--book', 'in', '--json']);
  const hanoiId = String((JSON.parse(hanoi.stdout) as { id: number }).id);
  assert.match(await ok(dir, ['in', 'show', hanoiId]), /số, ký hiệu của văn bản: 453\/TB-UBND \(đoán từ chữ ký số trên văn bản\)/);
  assert.match(await ok(dir, ['in', 'accept', hanoiId]), /số đến 02/);
});
