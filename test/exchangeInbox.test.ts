// Hostile and broken packages arriving over the axis: malformed XML, an XXE attempt, a
// billion-laughs entity, an oversized attachment, bad base64 and a path-traversal attachment name.
// Each is refused with its reason, kept for the clerk, acknowledged "fail" on the axis and answered
// with status 02; the good package that follows is still received, and nothing is left half-made.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { axisAgency, freePort, openAgency, type TestAgency } from './support/agencies.js';
import { handPackage, zipOf } from './support/edxmlSamples.js';
import { tempDir } from './support/fixtures.js';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { receiveWaiting } from '../main/core/exchange/inbox.js';
import { sendDueJobs } from '../main/core/exchange/outbox.js';
import { verifyAudit } from '../main/core/registry/audit.js';

// The hand-made packages come from the Government Office to Nghệ An.
const SENDER = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', abbreviation: 'VPCP' };
const RECEIVER = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', abbreviation: 'UBND' };

let sender: TestAgency;
let receiver: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-inbox-');

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  sender = await openAgency(SENDER, endpoint);
  receiver = await openAgency(RECEIVER, endpoint);
  // This axis passes on what it cannot read, as real ones do: the refusals are the receiver's to make.
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(sender), axisAgency(receiver)], carryUnreadable: true });
});

after(async () => {
  await axis?.close();
  sender?.close();
  receiver?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function adapterOf(agency: TestAgency) {
  return createAxisAdapter({ variant: 'vxp', endpoint: axis.url, systemId: agency.systemId, secret: agency.secret });
}

/** Each package its own DocumentId, so that the axis does not take one for a resend of another. */
function numbered(xml: string, n: number): string {
  return xml.replace('12/VPCP-TTĐT', `${n}/VPCP-TTĐT`);
}

const LAUGHS = `<!DOCTYPE edXML [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
`;

const BAD: { name: string; xml: string; reason: string }[] = [
  { name: 'malformed XML', xml: numbered(handPackage(), 101).replace('</edXML:Subject>', ''), reason: 'malformed-xml' },
  { name: 'XXE', xml: numbered(handPackage({ prolog: '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', subject: '&xxe;' }), 102), reason: 'doctype-forbidden' },
  { name: 'billion laughs', xml: numbered(handPackage({ prolog: LAUGHS, subject: '&lol3;' }), 103), reason: 'doctype-forbidden' },
  { name: 'oversized attachment', xml: numbered(handPackage({ attachments: [{ name: 'lon.pdf', base64: Buffer.alloc(5000, 7).toString('base64') }] }), 104), reason: 'too-large' },
  { name: 'bad base64', xml: numbered(handPackage({ attachments: [{ name: 'hong.pdf', base64: '@@@@!!!!' }] }), 105), reason: 'bad-base64' },
  { name: 'path traversal', xml: numbered(handPackage({ attachments: [{ name: '../../etc/passwd', base64: Buffer.from('%PDF-1.4 x').toString('base64') }] }), 106), reason: 'bad-attachment-name' },
];

async function send(xml: string, index: number): Promise<void> {
  const file = path.join(work, `p${index}.edxml`);
  fs.writeFileSync(file, xml);
  const bytes = fs.readFileSync(file);
  await adapterOf(sender).send({ path: file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), from: SENDER.code, to: [RECEIVER.code], messageType: 'edoc' });
}

test('bad packages are refused with their reason, kept, acknowledged "fail" and answered 02; the next good package is received', async () => {
  for (const [i, bad] of BAD.entries()) await send(bad.xml, i);
  await send(numbered(handPackage({ subject: 'Văn bản hợp lệ sau các gói hỏng' }), 107), BAD.length);

  const ctx = { db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' };
  // A small attachment limit makes the 5000-byte attachment "oversized" without a 300 MB test file.
  const result = await receiveWaiting(ctx, adapterOf(receiver), RECEIVER.code, { limits: { maxAttachmentBytes: 1000 } });
  assert.equal(result.refused, BAD.length, JSON.stringify(result));
  assert.equal(result.received, 1);

  const refused = await receiver.ok('exchange.received', { outcome: 'refused' });
  assert.deepEqual(
    refused.map((r) => r.refusalReason).sort(),
    BAD.map((b) => b.reason).sort(),
  );
  for (const r of refused) {
    assert.ok(r.refusalDetail, `${r.refusalReason} has a detail for the clerk`);
    const kept = receiver.core.db.prepare('SELECT package_sha256 AS s FROM received_packages WHERE id = ?').get(r.id) as { s: string | null };
    assert.ok(kept.s && receiver.core.blobs.has(kept.s), 'the refused package is kept for the clerk to see');
  }
  // The XXE's target was never read into anything the receiver stored.
  const texts = receiver.core.db.prepare('SELECT subject FROM documents').all() as { subject: string }[];
  assert.ok(texts.every((t) => !t.subject.includes('root:')));
  const [good] = await receiver.ok('exchange.received', { outcome: 'accepted' });
  assert.equal(good!.subject, 'Văn bản hợp lệ sau các gói hỏng');

  // On the axis: the six acknowledged "fail", the good one "done"; nothing left in the inbox.
  const axisDb = new BetterSqlite3(path.join(work, 'axis.sqlite'), { readonly: true });
  const states = axisDb.prepare('SELECT state, count(*) AS n FROM deliveries WHERE recipient = ? GROUP BY state ORDER BY state').all(RECEIVER.code);
  axisDb.close();
  assert.deepEqual(states, [
    { state: 'done', n: 1 },
    { state: 'fail', n: BAD.length },
  ]);

  // The answers go back: 02 with the reason for each refused package, 01 for the good one.
  const answers = await sendDueJobs(ctx, adapterOf(receiver), RECEIVER.code);
  assert.equal(answers.sent, BAD.length + 1);
  const back = await receiveWaiting({ db: sender.core.db, blobs: sender.core.blobs, actor: 'văn thư' }, adapterOf(sender), SENDER.code);
  assert.equal(back.statuses, BAD.length + 1);
  const codes = (sender.core.db.prepare('SELECT status_code AS c FROM received_packages ORDER BY id').all() as { c: string }[]).map((r) => r.c);
  assert.deepEqual(codes.filter((c) => c === '02').length, BAD.length);

  // Nothing half-made: no pending journal rows, no temporary files, the audit trail intact.
  assert.equal((receiver.core.db.prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n, 0);
  assert.deepEqual(fs.readdirSync(path.join(receiver.dataDir, 'files', 'tmp')), []);
  assert.equal(verifyAudit(receiver.core.db).ok, true);
});

test('a package larger than the receiver accepts is stopped while it downloads, refused and answered 02', async () => {
  await send(numbered(handPackage({ subject: 'Gói tin quá lớn', attachments: [{ name: 'lon.pdf', base64: Buffer.alloc(6000, 1).toString('base64') }] }), 201), 201);
  const ctx = { db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' };
  const result = await receiveWaiting(ctx, adapterOf(receiver), RECEIVER.code, { limits: { maxPackageBytes: 4000 } });
  assert.equal(result.refused, 1, JSON.stringify(result));
  const row = receiver.core.db.prepare("SELECT refusal_reason, package_sha256 FROM received_packages ORDER BY id DESC LIMIT 1").get() as { refusal_reason: string; package_sha256: string | null };
  assert.deepEqual(row, { refusal_reason: 'too-large', package_sha256: null }, 'nothing of it was kept');
  assert.deepEqual(fs.readdirSync(path.join(receiver.dataDir, 'files', 'tmp')), [], 'the partial download is gone');
});

test('a package naming another sender than the one the axis authenticated is refused', async () => {
  await send(numbered(handPackage({ subject: 'Giả danh cơ quan khác' }), 301), 301);
  // The reference axis checks the sender itself; an axis that lists another sender is simulated by
  // wrapping the real adapter and changing what its inbox listing says.
  const real = adapterOf(receiver);
  const lying = { ...real, listInbox: async (type: 'edoc' | 'status') => (await real.listInbox(type)).map((i) => ({ ...i, from: '000.00.00.H14' })), fetch: real.fetch.bind(real), acknowledge: real.acknowledge.bind(real), send: real.send.bind(real), listAgencies: real.listAgencies.bind(real) };
  const result = await receiveWaiting({ db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' }, lying, RECEIVER.code);
  assert.equal(result.refused, 1, JSON.stringify(result));
  const row = receiver.core.db.prepare('SELECT refusal_reason FROM received_packages ORDER BY id DESC LIMIT 1').get() as { refusal_reason: string };
  assert.equal(row.refusal_reason, 'sender-mismatch');
  assert.equal((receiver.core.db.prepare("SELECT count(*) AS n FROM documents WHERE subject = 'Giả danh cơ quan khác'").get() as { n: number }).n, 0);
});

/** The axis's deliveries to the receiver that are still waiting (listed again on the next pass). */
function waitingOnAxis(): number {
  const axisDb = new BetterSqlite3(path.join(work, 'axis.sqlite'), { readonly: true });
  try {
    return (axisDb.prepare("SELECT count(*) AS n FROM deliveries WHERE recipient = ? AND state IN ('pending', 'processing')").get(RECEIVER.code) as { n: number }).n;
  } finally {
    axisDb.close();
  }
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

test('attachment names the file system or Windows would not take are stored under a safe name or refused, never left on the axis', async () => {
  const pdf = Buffer.from('%PDF-1.4 tên tệp').toString('base64');
  // 200 characters of Vietnamese: over 255 bytes of UTF-8, though only 200 UTF-16 units.
  const vietnamese = `${'Tờ trình đề nghị phê duyệt kế hoạch tổ chức hội nghị tổng kết '.repeat(4).slice(0, 196)}.pdf`;
  // 251 characters in 255 bytes: fits alone, but not once " (2)" tells it from its twin.
  const twin = `Báo cáo tổng ${'x'.repeat(251 - 'Báo cáo tổng '.length - 4)}.pdf`;
  assert.equal(vietnamese.length, 200);
  assert.ok(utf8Bytes(vietnamese) > 255);
  assert.equal(twin.length, 251);
  assert.equal(utf8Bytes(twin), 255);
  const trailingSpaceZip = await zipOf([{ name: 'ho so.pdf ', data: Buffer.from('%PDF-1.4 x') }]);

  const stored: { what: string; attachments: { name: string; base64: string; contentType?: string }[]; check: (names: string[]) => void }[] = [
    {
      what: '200-character Vietnamese name',
      attachments: [{ name: vietnamese, base64: pdf }],
      check: ([name]) => {
        assert.ok(utf8Bytes(name!) <= 249, `${utf8Bytes(name!)} bytes`);
        assert.ok(name!.endsWith('.pdf'), 'the extension is kept');
        assert.ok(vietnamese.startsWith(name!.slice(0, -4)), 'shortened from the end, whole characters only');
        assert.equal(name, name!.normalize('NFC'));
      },
    },
    {
      what: '251-character name sent twice in one package',
      attachments: [
        { name: twin, base64: pdf },
        { name: twin, base64: Buffer.from('%PDF-1.4 thứ hai').toString('base64') },
      ],
      check: (names) => {
        assert.equal(names.length, 2);
        for (const name of names) assert.ok(utf8Bytes(name) <= 249 && name.endsWith('.pdf') && name.startsWith('Báo cáo tổng xxx'), name);
      },
    },
    // XML text is trimmed as it is read: the space never reaches the name.
    { what: 'trailing space in the XML', attachments: [{ name: 'ho so.pdf ', base64: pdf }], check: ([name]) => assert.equal(name, 'ho so.pdf') },
  ];
  const devices = ['CON', 'prn.pdf', 'Aux.docx', 'NUL.tar.gz', 'COM0', 'com1.pdf', 'COM9.txt', 'COM¹.pdf', 'LPT0.pdf', 'lpt1', 'LPT9.doc', 'LPT³', 'CONIN$', 'conout$.pdf', 'CLOCK$', 'clock$.txt', 'nul .pdf'];
  const refused: { what: string; attachments: { name: string; base64: string; contentType?: string }[] }[] = [
    ...devices.map((name) => ({ what: `device ${name}`, attachments: [{ name, base64: pdf }] })),
    { what: 'trailing dot', attachments: [{ name: 'ho so.pdf.', base64: pdf }] },
    { what: 'trailing space in a zip entry', attachments: [{ name: 'ho so.doc', contentType: 'application/zip', base64: trailingSpaceZip.toString('base64') }] },
    { what: 'bidi override', attachments: [{ name: 'hoadon\u202Efdp.exe', base64: pdf }] },
    { what: 'zero-width space', attachments: [{ name: 'quyet\u200Bdinh.pdf', base64: pdf }] },
    { what: 'zero-width joiner', attachments: [{ name: 'quyết\u200Dđịnh.pdf', base64: pdf }] },
  ];
  const subjectOf = (what: string) => `Tên tệp: ${what}`;
  let n = 500;
  for (const p of [...stored, ...refused]) await send(numbered(handPackage({ subject: subjectOf(p.what), attachments: p.attachments }), ++n), n);

  const ctx = { db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' };
  const fetchesBefore = axis.stats().fetches;
  const result = await receiveWaiting(ctx, adapterOf(receiver), RECEIVER.code);
  assert.equal(result.lastError, null, 'no item failed on our side');
  assert.equal(result.received, stored.length, JSON.stringify(result));
  assert.equal(result.refused, refused.length, JSON.stringify(result));
  assert.equal(waitingOnAxis(), 0, 'nothing is left on the axis');
  assert.equal(axis.stats().fetches - fetchesBefore, stored.length + refused.length, 'each fetched once');

  for (const p of stored) {
    const document = receiver.core.db.prepare('SELECT id, file_name AS name FROM documents WHERE subject = ?').get(subjectOf(p.what)) as { id: number; name: string };
    assert.ok(document, p.what);
    const others = (receiver.core.db.prepare('SELECT file_name AS name FROM attachments WHERE document_id = ? ORDER BY id').all(document.id) as { name: string }[]).map((a) => a.name);
    p.check([document.name, ...others]);
  }
  const reasons = receiver.core.db.prepare("SELECT refusal_reason AS reason, refusal_detail AS detail FROM received_packages WHERE outcome = 'refused' ORDER BY id DESC LIMIT ?").all(refused.length) as { reason: string; detail: string }[];
  assert.deepEqual(new Set(reasons.map((r) => r.reason)), new Set(['bad-attachment-name']), JSON.stringify(reasons));

  // The next pass finds nothing: no package is fetched again.
  const again = await receiveWaiting(ctx, adapterOf(receiver), RECEIVER.code);
  assert.equal(again.received + again.refused, 0);
  assert.equal(axis.stats().fetches - fetchesBefore, stored.length + refused.length);
  assert.deepEqual(fs.readdirSync(path.join(receiver.dataDir, 'files', 'tmp')), []);
});

test('an item that fails on our side after it is fetched is tried five times, then refused with the reason and answered 02, without a sixth download', async () => {
  await send(numbered(handPackage({ subject: 'Ổ đĩa đầy khi nhận' }), 601), 601);
  // The disk "fills" after the package is stored and parsed, just before the commit: the fault a
  // real full disk gives at that point, injected through the journal's hook.
  const full = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  const healthy = { db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' };
  const diskFull = { ...healthy, beforeCommit: full };
  const attempts = () => (receiver.core.db.prepare('SELECT attempts FROM receive_attempts').get() as { attempts: number } | undefined)?.attempts ?? 0;
  const fetchesBefore = axis.stats().fetches;
  for (let pass = 1; pass <= 5; pass++) {
    const result = await receiveWaiting(diskFull, adapterOf(receiver), RECEIVER.code);
    assert.match(result.lastError?.message ?? '', /ENOSPC/);
    assert.equal(result.lastError?.code, 'EXCHANGE_LOCAL_FAILURE', 'the clerk reads that this computer failed, not the English message');
    assert.equal(result.received + result.refused, 0);
    assert.equal(attempts(), pass);
    assert.equal(waitingOnAxis(), 1, 'still waiting on the axis');
  }
  assert.equal(axis.stats().fetches - fetchesBefore, 5);

  const last = await receiveWaiting(healthy, adapterOf(receiver), RECEIVER.code);
  assert.equal(last.refused, 1, JSON.stringify(last));
  assert.equal(axis.stats().fetches - fetchesBefore, 5, 'refused without fetching it again');
  assert.equal(waitingOnAxis(), 0);
  const row = receiver.core.db.prepare('SELECT id, refusal_reason AS reason, refusal_detail AS detail FROM received_packages ORDER BY id DESC LIMIT 1').get() as { id: number; reason: string; detail: string };
  assert.equal(row.reason, 'too-many-attempts');
  assert.match(row.detail, /failed 5 times.*ENOSPC/);
  assert.equal(attempts(), 0, 'the count goes with the record');
  const answer = receiver.core.db.prepare("SELECT status_code AS code, package_sha256 AS sha256 FROM outbox_jobs WHERE received_id = ?").get(row.id) as { code: string; sha256: string } | undefined;
  assert.equal(answer?.code, '02', 'the sender is told');
  // Honestly: the failures were on the receiving side, so the 02 does not call the package invalid.
  const description = /<edXML:Description>([^<]*)<\/edXML:Description>/.exec(receiver.core.blobs.read(answer.sha256).toString('utf8'))?.[1] ?? '';
  assert.doesNotMatch(description, /không hợp lệ/);
  assert.match(description, /^Chưa tiếp nhận được văn bản: đơn vị nhận đã thử nhận 5 lần không thành công/);
  assert.match(description, /lỗi có thể ở phía đơn vị nhận/);

  // A failure or two and then success leaves no count behind.
  await send(numbered(handPackage({ subject: 'Ổ đĩa đầy một lần' }), 602), 602);
  await receiveWaiting(diskFull, adapterOf(receiver), RECEIVER.code);
  assert.equal(attempts(), 1);
  const recovered = await receiveWaiting(healthy, adapterOf(receiver), RECEIVER.code);
  assert.equal(recovered.received, 1, JSON.stringify(recovered));
  assert.equal(attempts(), 0);
});

test('what the edXML header says is the record (not a guess); what it leaves out is asked for at tiếp nhận', async () => {
  const ctx = { db: receiver.core.db, blobs: receiver.core.blobs, actor: 'văn thư' };
  const full =
    '<edXML:Code><edXML:CodeNumber>701</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>' +
    '<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2026/04/20</edXML:PromulgationDate></edXML:PromulgationInfo>' +
    '<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>';
  await send(numbered(handPackage({ subject: 'Gói tin đủ thông tin', extraHeader: full }), 701), 701);
  // The hand package's header has no Code, PromulgationInfo or DocumentType of its own.
  await send(numbered(handPackage({ subject: 'Gói tin thiếu số và ngày' }), 702), 702);
  assert.equal((await receiveWaiting(ctx, adapterOf(receiver), RECEIVER.code)).received, 2);
  const received = await receiver.ok('exchange.received', { outcome: 'accepted' });
  const idOf = (subject: string) => received.find((r) => r.subject === subject)!.documentId!;

  const complete = await receiver.ok('documents.get', { id: idOf('Gói tin đủ thông tin') });
  assert.deepEqual(complete.capture?.sources, { notation: 'edxml', documentDate: 'edxml', authorAgency: 'edxml', typeCode: 'edxml', subject: 'edxml', signerName: null });
  assert.equal(complete.incoming?.receivedVia, 'axis');
  const accepted = await receiver.ok('incoming.accept', { id: complete.id });
  assert.ok(accepted.incomingNumber !== null, 'accepted as it came');

  const partial = await receiver.ok('documents.get', { id: idOf('Gói tin thiếu số và ngày') });
  assert.deepEqual(partial.capture?.sources, { notation: null, documentDate: null, authorAgency: 'edxml', typeCode: null, subject: 'edxml', signerName: null });
  const { invoke } = await import('../main/core/api/invoke.js');
  const refused = await invoke(receiver.core.handlers, 'incoming.accept', { id: partial.id }, () => undefined);
  assert.ok(!refused.ok && refused.error.code === 'INCOMING_INCOMPLETE' && refused.error.details?.missing === 'notation,documentDate,typeCode', JSON.stringify(refused));
  const given = await receiver.ok('incoming.accept', { id: partial.id, fields: { notation: '702/VPCP-TTĐT', documentDate: '2026-04-21', typeCode: 'CV' } });
  assert.equal(given.document.number, 702);
  assert.deepEqual(given.document.capture?.sources, { notation: 'clerk', documentDate: 'clerk', authorAgency: 'edxml', typeCode: 'clerk', subject: 'edxml', signerName: null });
});
