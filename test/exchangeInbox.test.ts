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
import { handPackage } from './support/edxmlSamples.js';
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
