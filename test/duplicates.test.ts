// Trùng văn bản (Decree 30, Appendix VI 1h; issue 20.3): an incoming document with the same
// identifier code, or the same number, notation and issuing agency, as one already in the register
// is stored — never refused — and the clerk is warned: in the import result, in the axis inbox's
// result and record, at tiếp nhận (API and the built `eoffice` command), and may link the two.
// Real parts: a real registry on disk, the real KH 173/KH-UBND of Hà Nội, packages sent through
// the reference axis over HTTP, the CLI bundle run as a process on the same data folder.
//
// Bad inputs tried: the same notation in another case (173/kh-ubnd), the agency without accents
// and in lower case, "Uỷ" written the old way, another agency, another notation (174/KH-UBND),
// the same notation in another year, an empty notation or agency, linking a document to itself,
// to an outgoing document, to one that does not exist, linking twice, `in link` without --to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { freePort, openAgency, type TestAgency } from './support/agencies.js';
import { handPackage } from './support/edxmlSamples.js';
import { interopPdf, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE, runEoffice } from './support/cliRun.js';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { invoke } from '../main/core/api/invoke.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { openDatabase } from '../main/core/storage/database.js';
import type { MethodName } from '../main/common/contract.js';

const RECEIVER = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', abbreviation: 'UBND' };
// Senders known to the axis only (they need no registry of their own here).
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', systemId: 'sys-vpcp', secret: 'bí mật VPCP' };
const NEIGHBOUR = { code: '000.00.00.H40', name: 'UBND Tỉnh Nghệ Tĩnh', systemId: 'sys-h40', secret: 'bí mật H40' };
const HANOI = { code: '000.00.00.H01', name: 'UBND Thành phố Hà Nội', systemId: 'sys-h01', secret: 'bí mật H01' };
const HANOI_AGENCY = 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI';

let receiver: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-duplicates-');

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  receiver = await openAgency(RECEIVER, endpoint);
  axis = await startAxisServer({
    port,
    dbPath: path.join(work, 'axis.sqlite'),
    agencies: [GOVERNMENT, NEIGHBOUR, HANOI, { code: receiver.code, name: receiver.name, systemId: receiver.systemId, secret: receiver.secret }],
  });
});

after(async () => {
  await axis?.close();
  receiver?.close();
});

async function refused(method: MethodName, input: unknown): Promise<{ code: string; message: string }> {
  const envelope = await invoke(receiver.core.handlers, method, input, () => undefined);
  assert.ok(!envelope.ok, `${method} should have been refused`);
  return envelope.error;
}

/** A scanned Hà Nội plan: its own bytes, the record printed on its first page. */
function scan(notation: string, options: { agency?: string[]; date?: string; subject?: string } = {}): Promise<Uint8Array> {
  return makeVietnamesePdf([...(options.agency ?? ['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HÀ NỘI']), `Số: ${notation}`, options.date ?? 'Hà Nội, ngày 28 tháng 4 năm 2026', 'KẾ HOẠCH', options.subject ?? 'Tổ chức Festival Thăng Long - Hà Nội lần thứ II, năm 2026']);
}

async function importIn(fileName: string, bytes: Uint8Array) {
  return receiver.ok('documents.import', { direction: 'in', fileName, bytes });
}

const ids = { real: 0, scan: 0, otherAgency: 0, outgoing: 0 };

test('the same number, notation and agency is warned about in the import result, at tiếp nhận, and by a typed record; another agency, notation or year is not', async () => {
  const real = await importIn('hanoi-kh-173-ubnd-2026.pdf', new Uint8Array(fs.readFileSync(interopPdf('hanoi-kh-173-ubnd-2026.pdf'))));
  assert.deepEqual([real.document.notation, real.document.authorAgency, real.document.documentDate], ['173/KH-UBND', HANOI_AGENCY, '2026-04-28']);
  assert.deepEqual(real.duplicates, [], 'the first one duplicates nothing');
  ids.real = real.document.id;

  // The same plan again, as a scan sent by e-mail: imported, and the import result names the first.
  const again = await importIn('ke-hoach-173-scan.pdf', await scan('173/KH-UBND'));
  assert.equal(again.document.notation, '173/KH-UBND');
  ids.scan = again.document.id;
  assert.equal(again.duplicates.length, 1);
  const [dup] = again.duplicates;
  assert.deepEqual(
    { id: dup!.id, notation: dup!.notation, subject: dup!.subject, agency: dup!.authorAgency, reasons: dup!.reasons, linked: dup!.linked, number: dup!.incomingNumber },
    { id: ids.real, notation: '173/KH-UBND', subject: real.document.subject, agency: HANOI_AGENCY, reasons: ['notation'], linked: false, number: null },
  );

  // Not duplicates: another notation, another agency, the same notation in another year.
  const other = await importIn('ke-hoach-174.pdf', await scan('174/KH-UBND'));
  assert.equal(other.document.notation, '174/KH-UBND');
  assert.deepEqual(other.duplicates, []);
  const nghean = await importIn('ke-hoach-173-nghe-an.pdf', await scan('173/KH-UBND', { agency: ['ỦY BAN NHÂN DÂN', 'TỈNH NGHỆ AN'], date: 'Nghệ An, ngày 28 tháng 4 năm 2026' }));
  assert.equal(nghean.document.authorAgency, 'ỦY BAN NHÂN DÂN TỈNH NGHỆ AN');
  assert.deepEqual(nghean.duplicates, []);
  ids.otherAgency = nghean.document.id;
  const lastYear = await importIn('ke-hoach-173-2025.pdf', await scan('173/KH-UBND', { date: 'Hà Nội, ngày 28 tháng 4 năm 2025' }));
  assert.equal(lastYear.document.documentDate, '2025-04-28');
  assert.deepEqual(lastYear.duplicates, [], 'numbers restart each year: 173 of 2025 is another plan');
  // An outgoing draft is never matched against the incoming register.
  const outgoing = await receiver.ok('documents.import', { direction: 'out', fileName: 'du-thao-173.pdf', bytes: await scan('173/KH-UBND', { subject: 'Dự thảo kế hoạch' }) });
  assert.deepEqual(outgoing.duplicates, []);
  ids.outgoing = outgoing.document.id;

  // Tiếp nhận: the detail the dialog opens on warns, and so does the accept step's result.
  const before = await receiver.ok('incoming.get', { id: ids.scan });
  assert.deepEqual(before.duplicates.map((d) => d.id), [ids.real]);
  const accepted = await receiver.ok('incoming.accept', { id: ids.scan, fields: { typeCode: 'KH', subject: 'Tổ chức Festival Thăng Long - Hà Nội lần thứ II, năm 2026' } });
  assert.equal(accepted.state, 'registered', 'warned, never refused');
  assert.deepEqual(accepted.duplicates.map((d) => [d.id, d.reasons]), [[ids.real, ['notation']]]);
  // And from the other side: the first document now sees the accepted one, with its số đến.
  const first = await receiver.ok('incoming.get', { id: ids.real });
  assert.deepEqual(first.duplicates.map((d) => [d.id, d.incomingNumber]), [[ids.scan, accepted.incomingNumber]]);

  // The clerk corrects the agency at tiếp nhận, without accents and in lower case: the same agency.
  const corrected = await receiver.ok('incoming.accept', { id: ids.otherAgency, fields: { authorAgency: 'uy ban nhan dan thanh pho ha noi', typeCode: 'KH', subject: 'Kế hoạch 173' } });
  assert.deepEqual(corrected.duplicates.map((d) => d.id).sort(), [ids.real, ids.scan].sort());

  // What the AcceptDialog asks while the clerk types: case and the old "Uỷ" do not hide a duplicate.
  const typed = await receiver.ok('incoming.duplicates', { notation: '173/kh-ubnd', authorAgency: 'Uỷ ban nhân dân Thành phố Hà Nội', documentDate: '2026-04-28' });
  assert.ok(typed.some((d) => d.id === ids.real));
  assert.deepEqual(await receiver.ok('incoming.duplicates', { notation: '', authorAgency: HANOI_AGENCY, documentDate: null }), [], 'no notation: nothing to match');
  assert.deepEqual(await receiver.ok('incoming.duplicates', { notation: '173/KH-UBND', authorAgency: '  ', documentDate: null }), [], 'no agency: nothing to match');
  // Being accepted, a document is left out of its own answer.
  const own = await receiver.ok('incoming.duplicates', { id: ids.real, notation: '173/KH-UBND', authorAgency: HANOI_AGENCY, documentDate: '2026-04-28' });
  assert.ok(!own.some((d) => d.id === ids.real));
  assert.ok(own.some((d) => d.id === ids.scan));
});

test('"Liên kết" stores the link, shows it on both documents, records it on both audit trails; bad links are refused and change nothing', async () => {
  const linksCount = () => (receiver.core.db.prepare('SELECT count(*) AS n FROM document_links').get() as { n: number }).n;
  const linked = await receiver.ok('incoming.linkDuplicate', { id: ids.scan, linkedId: ids.real });
  // Linked to the first; the plan whose agency the clerk corrected to Hà Nội's is still only a warning.
  assert.deepEqual(
    linked.duplicates.map((d) => [d.id, d.linked]).sort(),
    [
      [ids.real, true],
      [ids.otherAgency, false],
    ].sort(),
  );
  const other = await receiver.ok('incoming.get', { id: ids.real });
  assert.equal(other.duplicates.find((d) => d.id === ids.scan)?.linked, true, 'shown on the other side too');
  const row = receiver.core.db.prepare('SELECT document_id, linked_id, kind, actor FROM document_links').get() as Record<string, unknown>;
  assert.deepEqual(row, { document_id: Math.min(ids.real, ids.scan), linked_id: Math.max(ids.real, ids.scan), kind: 'duplicate', actor: `văn thư ${RECEIVER.code}` });
  for (const [self, otherId] of [
    [ids.scan, ids.real],
    [ids.real, ids.scan],
  ]) {
    const events = (await receiver.ok('documents.get', { id: self })).events.filter((e) => e.kind === 'duplicate-linked');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.details.linkedId, otherId);
    assert.equal(events[0]!.details.notation, '173/KH-UBND');
  }
  // Linking again changes nothing, not even the trail.
  const auditBefore = (receiver.core.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
  await receiver.ok('incoming.linkDuplicate', { id: ids.real, linkedId: ids.scan });
  assert.equal((receiver.core.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n, auditBefore);
  assert.equal(linksCount(), 1);

  assert.equal((await refused('incoming.linkDuplicate', { id: ids.real, linkedId: ids.real })).code, 'INVALID_INPUT');
  assert.equal((await refused('incoming.linkDuplicate', { id: ids.real, linkedId: ids.outgoing })).code, 'WRONG_STATE');
  assert.equal((await refused('incoming.linkDuplicate', { id: ids.real, linkedId: 999999 })).code, 'NOT_FOUND');
  assert.equal(linksCount(), 1, 'nothing half-made');
  assert.equal(verifyAudit(receiver.core.db).ok, true);
});

async function sendFrom(sender: typeof GOVERNMENT, xml: string, name: string): Promise<void> {
  const file = path.join(work, name);
  fs.writeFileSync(file, xml);
  const bytes = fs.readFileSync(file);
  await createAxisAdapter({ variant: 'vxp', endpoint: axis.url, systemId: sender.systemId, secret: sender.secret }).send({
    path: file,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    from: sender.code,
    to: [RECEIVER.code],
    messageType: 'edoc',
  });
}

/** The hand package as `sender` sends it: its From, and optionally its own DocumentId and Code. */
function packageFrom(sender: { code: string }, organName: string, options: { documentId?: string; code?: [string, string]; date?: string; subject: string }): string {
  const header = options.code
    ? `<edXML:Code><edXML:CodeNumber>${options.code[0]}</edXML:CodeNumber><edXML:CodeNotation>${options.code[1]}</edXML:CodeNotation></edXML:Code>` +
      `<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>${options.date ?? '2026/04/28'}</edXML:PromulgationDate></edXML:PromulgationInfo>`
    : '';
  let xml = handPackage({ subject: options.subject, extraHeader: header });
  xml = xml.replace('<edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName>', `<edXML:OrganId>${sender.code}</edXML:OrganId><edXML:OrganName>${organName}</edXML:OrganName>`);
  if (options.documentId) xml = xml.replace('000.00.00.G22,2026/01/02,12/VPCP-TTĐT', options.documentId);
  return xml;
}

test('the axis inbox stores a package with the same identifier code, or number, notation and agency, and says so in its result and its record', async () => {
  await sendFrom(GOVERNMENT, packageFrom(GOVERNMENT, GOVERNMENT.name, { code: ['12', 'VPCP-TTĐT'], date: '2026/01/02', subject: 'Về việc cập nhật danh mục dịch vụ công' }), 'p1.edxml');
  const first = await receiver.ok('exchange.syncNow', {});
  assert.deepEqual([first.received, first.possibleDuplicates], [1, 0]);
  const original = (await receiver.ok('exchange.received', {})).find((r) => r.outcome === 'accepted')!.documentId!;

  // A neighbouring province forwards the same document: same identifier code, another sender.
  await sendFrom(NEIGHBOUR, packageFrom(NEIGHBOUR, NEIGHBOUR.name, { subject: 'Chuyển tiếp: Về việc cập nhật danh mục dịch vụ công' }), 'p2.edxml');
  const forwarded = await receiver.ok('exchange.syncNow', {});
  assert.deepEqual([forwarded.received, forwarded.duplicates, forwarded.possibleDuplicates], [1, 0, 1], 'stored, and flagged');
  const copy = (await receiver.ok('exchange.received', {})).find((r) => r.sender === NEIGHBOUR.code)!.documentId!;
  const detail = await receiver.ok('incoming.get', { id: copy });
  assert.deepEqual(detail.duplicates.map((d) => [d.id, d.reasons]), [[original, ['identifier']]]);
  const receivedEvent = detail.document.events.find((e) => e.kind === 'received')!;
  assert.deepEqual(receivedEvent.details.possibleDuplicateOf, [original], 'the inbox records what it found');

  // Hà Nội's own system sends KH 173 that the clerk had imported from e-mail: "Uỷ" the old way.
  await sendFrom(HANOI, packageFrom(HANOI, 'Uỷ ban nhân dân thành phố Hà Nội', { documentId: '000.00.00.H01,2026/04/28,173/KH-UBND', code: ['173', 'KH-UBND'], subject: 'Tổ chức Festival Thăng Long - Hà Nội' }), 'p3.edxml');
  const viaAxis = await receiver.ok('exchange.syncNow', {});
  assert.deepEqual([viaAxis.received, viaAxis.possibleDuplicates], [1, 1]);
  const kh = (await receiver.ok('exchange.received', {})).find((r) => r.sender === HANOI.code)!.documentId!;
  const khDetail = await receiver.ok('incoming.get', { id: kh });
  assert.ok(khDetail.duplicates.some((d) => d.id === ids.real && d.reasons.includes('notation')));
  assert.equal(khDetail.duplicates.find((d) => d.id === ids.scan)?.linked, false, 'a link between two others is not this one’s');
});

test('eoffice import, in accept and in show warn, naming the other document; in link links; bad uses are refused', async () => {
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build (or node main/build/build.mjs --cli) makes dist/cli/eoffice.mjs');
  const dir = receiver.dataDir;
  const file = path.join(work, 'ke-hoach-173-ban-in.pdf');
  fs.writeFileSync(file, await scan('173/KH-UBND', { subject: 'Bản in lại kế hoạch 173' }));
  const imported = await runEoffice(dir, ['import', file, '--book', 'in']);
  assert.equal(imported.code, 0, imported.stderr);
  const id = Number(/→ #(\d+)/.exec(imported.stdout)![1]);
  assert.match(imported.stderr, new RegExp(`warning: .*ke-hoach-173-ban-in\\.pdf may duplicate #${ids.real} 173/KH-UBND ngày 28/04/2026 — .*chưa vào sổ \\(cùng số, ký hiệu và cơ quan ban hành\\); link them with: eoffice in link ${id} --to ${ids.real}`));
  assert.match(imported.stderr, new RegExp(`may duplicate #${ids.scan} 173/KH-UBND .*, số đến \\d\\d `));

  const plain = path.join(work, 'cong-van-khac.pdf');
  fs.writeFileSync(plain, await scan('55/UBND-VP', { subject: 'Công văn khác' }));
  const clean = await runEoffice(dir, ['import', plain, '--book', 'in', '--json']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.stderr, '', 'no warning for a document that duplicates nothing');

  const accepted = await runEoffice(dir, ['in', 'accept', String(id), '--type', 'KH', '--subject', 'Bản in lại kế hoạch 173']);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, new RegExp(`#${id} registered số đến`));
  assert.match(accepted.stderr, new RegExp(`warning: document #${id} may duplicate #${ids.real} 173/KH-UBND`));

  const shown = await runEoffice(dir, ['in', 'show', String(id)]);
  assert.match(shown.stdout, new RegExp(`CÓ THỂ TRÙNG: #${ids.real} 173/KH-UBND ngày 28/04/2026`));
  const linked = await runEoffice(dir, ['in', 'link', String(id), '--to', String(ids.real)]);
  assert.equal(linked.code, 0, linked.stderr);
  assert.match(linked.stdout, new RegExp(`trùng \\(đã liên kết\\): #${ids.real} 173/KH-UBND .*đã liên kết; cùng số, ký hiệu và cơ quan ban hành`));

  const noTarget = await runEoffice(dir, ['in', 'link', String(id)]);
  assert.equal(noTarget.code, 1);
  assert.match(noTarget.stderr, /usage: eoffice in link <id> --to <other id>/);
  const self = await runEoffice(dir, ['in', 'link', String(id), '--to', String(id)]);
  assert.equal(self.code, 1);
  assert.match(self.stderr, /cannot be linked to itself/);
  // The --json of an import carries the warning for scripts.
  const again = path.join(work, 'ke-hoach-173-ban-in-2.pdf');
  fs.writeFileSync(again, await scan('173/KH-UBND', { subject: 'Bản in thứ ba' }));
  const json = await runEoffice(dir, ['import', again, '--book', 'in', '--json']);
  assert.ok((JSON.parse(json.stdout) as { duplicates: { id: number }[] }).duplicates.some((d) => d.id === ids.real));
});

test('migration 0013: links one row per pair, read from either side; the notation lookup uses its index, not a scan', () => {
  const db = openDatabase(path.join(tempDir(), 'r.sqlite'), { targetVersion: 13 });
  db.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'in', 2026, 'Sổ đến 2026')").run();
  const insert = db.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, notation) VALUES (1, 'in', 2026, 'KH', 'x', 'received', 'now', 'now', ?)");
  insert.run('173/KH-UBND');
  insert.run('173/KH-UBND');
  db.prepare("INSERT INTO document_links (document_id, linked_id, kind, at, actor) VALUES (1, 2, 'duplicate', 'now', 'a')").run();
  assert.throws(() => db.prepare("INSERT INTO document_links (document_id, linked_id, kind, at, actor) VALUES (2, 1, 'duplicate', 'now', 'a')").run(), /CHECK/);
  assert.throws(() => db.prepare("INSERT INTO document_links (document_id, linked_id, kind, at, actor) VALUES (1, 2, 'duplicate', 'later', 'b')").run(), /UNIQUE|PRIMARY/);
  assert.throws(() => db.prepare("INSERT INTO document_links (document_id, linked_id, kind, at, actor) VALUES (1, 2, 'related', 'now', 'a')").run(), /CHECK/);
  const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM documents d WHERE d.direction = 'in' AND d.notation IS NOT NULL AND d.notation = ? COLLATE NOCASE").all('173/kh-ubnd') as { detail: string }[]).map((r) => r.detail).join(' ');
  assert.match(plan, /USING (COVERING )?INDEX documents_incoming_by_notation/);
  db.close();
});
