// Hostile PDFs (issue 12, defect 3): files made to freeze or exhaust their reader — a
// cross-reference stream whose field is a terabyte wide, a /Size of two billion, an inflate bomb,
// 40,000 /Prev sections, nesting deeper than the parser's stack, a 2 GB /Length, a /Prev to
// itself, a million cross-reference entries, and a form whose every field is slow to read. Each
// is imported, validated and signed through the web host of an eOffice process of its own, as the
// UI does it (a stuck main thread then fails the test instead of hanging it), from code bundled
// as it ships: every step ends within 10 s with a clear answer, the process's peak memory stays
// within 300 MB of an ordinary document's, and the app keeps answering. The files are made here,
// byte by byte.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { constants, createDeflateRaw, deflateSync } from 'node:zlib';
import fs from 'node:fs';
import { build as esbuild } from 'esbuild';
import { decodeWire, encodeWire } from '../../main/common/wire.js';
import type { SigningResult } from '../../main/common/contract.js';
import type { ValidationReport } from '../../main/common/validation.js';
import { PdfWorker } from '../../main/core/pdfWorker/pdfWorker.js';
import { bytesSource } from '../../main/core/pdf/source.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { CLI_BUNDLE } from '../support/cliRun.js';
import { writePdfWorkerBeside } from '../support/pdfWorkerBundle.js';

/** What the issue asks of every step on a hostile file. */
const STEP_LIMIT_MS = 10_000;
const MEMORY_LIMIT_MB = 300;
/** A step still going after this is stuck: the test stops waiting (and fails) rather than hang. */
const STUCK_AFTER_MS = 60_000;

// ---- The files ------------------------------------------------------------------------------

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const CATALOG = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];

/** The header and objects 1…n, with each object's offset (index = object number). */
function body(objects: readonly string[]): { bytes: Buffer; offsets: number[] } {
  const parts = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  const offsets = [0];
  let at = parts[0]!.length;
  objects.forEach((object, i) => {
    const part = latin1(`${i + 1} 0 obj\n${object}\nendobj\n`);
    offsets.push(at);
    parts.push(part);
    at += part.length;
  });
  return { bytes: Buffer.concat(parts), offsets };
}

function table(offsets: readonly number[], trailer: string): string {
  const rows = offsets.map((o, i) => (i === 0 ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`)).join('');
  return `xref\n0 ${offsets.length}\n${rows}trailer\n${trailer}\n`;
}

/** Rows of a cross-reference stream for objects at these offsets (object 0 free). */
function xrefRows(offsets: readonly number[], widths: readonly [number, number, number]): Buffer {
  const rows = Buffer.alloc(offsets.length * (widths[0] + widths[1] + widths[2]));
  let at = 0;
  offsets.forEach((offset, i) => {
    const fields = i === 0 ? [0, 0, 65535] : [1, offset, 0];
    fields.forEach((field, column) => {
      let value = field;
      for (let b = widths[column]! - 1; b >= 0; b--, value = Math.floor(value / 256)) rows[at + b] = value % 256;
      at += widths[column]!;
    });
  });
  return rows;
}

/** A file that ends with a cross-reference stream, object 4, right after the objects 1–3. */
function withXrefStream(entries: string, data: Buffer): Buffer {
  const { bytes } = body(CATALOG);
  return Buffer.concat([bytes, latin1(`4 0 obj\n<< /Type /XRef ${entries} /Length ${data.length} >>\nstream\n`), data, latin1(`\nendstream\nendobj\nstartxref\n${bytes.length}\n%%EOF\n`)]);
}

const catalogRows = () => {
  const { bytes, offsets } = body(CATALOG);
  return xrefRows([...offsets, bytes.length], [1, 4, 2]);
};

/** A field 10^12 bytes wide: the 470-byte file that looped for 11 minutes. */
const wideField = () => withXrefStream('/W [1 1000000000000 1] /Size 5 /Root 1 0 R', Buffer.alloc(5, 1));

/** /Size 2,000,000,000 over five real rows: readable, as far as the rows go. */
const hugeSize = () => withXrefStream('/W [1 4 2] /Size 2000000000 /Root 1 0 R', catalogRows());

/**
 * The rows followed by `chunks` × 16 MiB of zeros, deflated (about 1 MB per GB). Deflating a
 * gigabyte would take seconds: the zeros after zeros deflate to the same bytes every 16 MiB once
 * flushed, so that run is made once and repeated, and the checksum is worked out.
 */
async function inflateBomb(chunks: number): Promise<Buffer> {
  const prefix = catalogRows();
  const deflate = createDeflateRaw({ level: 9 });
  let pending: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => pending.push(chunk));
  const flushed = async (input: Buffer) => {
    deflate.write(input);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    const out = Buffer.concat(pending);
    pending = [];
    return out;
  };
  const run = 1 << 24;
  const first = await flushed(Buffer.concat([prefix, Buffer.alloc(run)]));
  const repeated = await flushed(Buffer.alloc(run));
  deflate.destroy();
  // Adler-32 of the prefix and the zeros: zeros leave the sum alone and add it to the second sum once each.
  let a = 1;
  let b = 0;
  for (const byte of prefix) [a, b] = [(a + byte) % 65521, (b + ((a + byte) % 65521)) % 65521];
  b = (b + ((chunks * run) % 65521) * a) % 65521;
  const check = Buffer.alloc(4);
  check.writeUInt32BE(((b << 16) | a) >>> 0);
  const zlib = Buffer.concat([Buffer.from([0x78, 0xda]), first, ...Array<Buffer>(chunks - 1).fill(repeated), Buffer.from([0x03, 0x00]), check]);
  return withXrefStream('/W [1 4 2] /Size 5 /Root 1 0 R /Filter /FlateDecode', zlib);
}

/** `count` cross-reference tables, each one's /Prev pointing forward to the next. */
function forwardPrev(count: number): Buffer {
  const { bytes, offsets } = body(CATALOG);
  const parts = [bytes];
  let at = bytes.length;
  // Every section but the last has the same length (its /Prev is padded), so the next offset is known.
  const section = (prev: number) => `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${String(prev).padStart(10, '0')} >>\n`;
  for (let i = 0; i < count - 1; i++) {
    const text = section(at + section(0).length);
    parts.push(latin1(text));
    at += text.length;
  }
  parts.push(latin1(`${table(offsets, '<< /Size 4 /Root 1 0 R >>')}startxref\n${bytes.length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** The form dictionary nests arrays `depth` deep: deeper than a recursive parser's stack. */
function deepNesting(depth: number): Buffer {
  const { bytes, offsets } = body(['<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>', CATALOG[1]!, CATALOG[2]!, `<< /Fields [] /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >>`]);
  return Buffer.concat([bytes, latin1(`${table(offsets, '<< /Size 5 /Root 1 0 R >>')}startxref\n${bytes.length}\n%%EOF\n`)]);
}

/** A page's content and the cross-reference stream each claim a /Length of 2 GB. */
function hugeLength(): Buffer {
  const { bytes, offsets } = body([CATALOG[0]!, CATALOG[1]!, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>', '<< /Length 2147483648 >>\nstream\n0 0 m 100 100 l S\nendstream']);
  const rows = xrefRows([...offsets, bytes.length], [1, 4, 2]);
  return Buffer.concat([bytes, latin1('5 0 obj\n<< /Type /XRef /W [1 4 2] /Size 6 /Root 1 0 R /Length 2147483648 >>\nstream\n'), rows, latin1(`\nendstream\nendobj\nstartxref\n${bytes.length}\n%%EOF\n`)]);
}

function selfPrev(): Buffer {
  const { bytes, offsets } = body(CATALOG);
  return Buffer.concat([bytes, latin1(`${table(offsets, `<< /Size 4 /Root 1 0 R /Prev ${bytes.length} >>`)}startxref\n${bytes.length}\n%%EOF\n`)]);
}

/** A file of a few kilobytes whose cross-reference stream lists `count` objects, all but four free. */
function manyEntries(count: number): Buffer {
  const rows = Buffer.alloc(count * 7);
  catalogRows().copy(rows);
  return withXrefStream(`/W [1 4 2] /Size ${count} /Root 1 0 R /Filter /FlateDecode`, deflateSync(rows));
}

/**
 * A form of 100,000 fields that are all one object, a dictionary of 20,000 repeated keys: every
 * bound holds, yet reading every field takes minutes. Only the time budget stops it.
 */
function slowFields(): Buffer {
  const count = 100_000;
  const first = 10;
  const refs = Array.from({ length: count }, (_, i) => `${first + i} 0 R`).join(' ');
  const { bytes, offsets } = body(['<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>', CATALOG[1]!, CATALOG[2]!, `<< /Fields [${refs}] >>`]);
  const slowAt = bytes.length;
  const slow = latin1(`${first} 0 obj\n<< /FT /Tx ${'/A 1 '.repeat(20_000)}>>\nendobj\n`);
  const rows = offsets.map((o, i) => (i === 0 ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`)).join('');
  const slowRows = `${String(slowAt).padStart(10, '0')} 00000 n \n`.repeat(count);
  const xref = `xref\n0 ${offsets.length}\n${rows}${first} ${count}\n${slowRows}trailer\n<< /Size ${first + count} /Root 1 0 R >>\nstartxref\n${slowAt + slow.length}\n%%EOF\n`;
  return Buffer.concat([bytes, slow, latin1(xref)]);
}

// ---- The app, in a process of its own -------------------------------------------------------

const LABEL = 'Token Văn thư';
let token: TestToken;
let app: { child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string>; port: number; token: string };
let ordinaryPeakMB = 0;

/** The app as it ships is bundled JavaScript: tsx's loader would add its own memory to every measure. Beside node_modules, whence the bundle loads its packages. */
const CHILD = path.join(REPO_ROOT, 'dist/test/webHostChild.mjs');

before(async () => {
  await esbuild({ entryPoints: [path.join(REPO_ROOT, 'test/support/webHostChild.ts')], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  await writePdfWorkerBeside(CHILD);
  // SoftHSM reads its configuration (SOFTHSM2_CONF, set here) when the app first loads it.
  token = await createTestToken({ label: LABEL });
  const child = spawn(process.execPath, ['--expose-gc', CHILD, tempDir('eoffice-hostile-'), token.modulePath], { env: process.env });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { port, token: hostToken } = JSON.parse((await lines.next()).value as string) as { port: number; token: string };
  app = { child, lines, port, token: hostToken };
});

after(() => {
  app?.child.kill('SIGKILL');
  token?.cleanup();
});

type Envelope = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/** One API call over HTTP, timed; a call that has not ended after `stuckAfterMs` fails. */
function call(method: string, input: unknown, stuckAfterMs = STUCK_AFTER_MS): Promise<{ ms: number; envelope: Envelope }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: app.port, method: 'POST', path: `/api/${method}`, headers: { Authorization: `Bearer ${app.token}`, 'X-Requested-With': 'eoffice', 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ ms: performance.now() - started, envelope: decodeWire(text) as Envelope }));
      },
    );
    req.setTimeout(stuckAfterMs, () => req.destroy(new Error(`${method} gave no answer within ${stuckAfterMs / 1000} s: the app is stuck`)));
    req.on('error', reject);
    req.end(encodeWire(input));
  });
}

/** A question to the app's process itself (webHostChild.ts); one it is too stuck to answer fails. */
async function ask<T>(command: 'rss' | 'reset'): Promise<T> {
  app.child.stdin.write(`${command}\n`);
  const stuck = delay(STUCK_AFTER_MS, null, { ref: false }).then(() => Promise.reject(new Error(`the app gave no answer to "${command}" within ${STUCK_AFTER_MS / 1000} s: it is stuck`)));
  return JSON.parse((await Promise.race([app.lines.next(), stuck])).value as string) as T;
}

/**
 * Each document is measured on its own: the app's PDF worker is stopped and its peak memory set
 * back before it (the ordinary document's too), and read after it.
 */
async function measuredApart(run: () => Promise<void>): Promise<number> {
  await ask('reset');
  await run();
  return (await ask<{ peakRssMB: number }>('rss')).peakRssMB;
}

function withinLimit(step: string, ms: number): void {
  assert.ok(ms <= STEP_LIMIT_MS, `${step} took ${Math.round(ms)} ms, more than ${STEP_LIMIT_MS / 1000} s`);
}

async function importPdf(name: string, bytes: Uint8Array): Promise<number> {
  // A plain Uint8Array: the wire codec sees a Buffer as the JSON Buffer.toJSON makes of it.
  const { ms, envelope } = await call('documents.import', { direction: 'in', fileName: `${name}.pdf`, bytes: new Uint8Array(bytes) });
  withinLimit(`importing ${name}`, ms);
  if (!envelope.ok) assert.fail(`importing ${name}: ${envelope.error.code} ${envelope.error.message}`);
  return (envelope.result as { document: { id: number } }).document.id;
}

/** Validates; returns the report, or the error's code. */
async function validate(name: string, id: number): Promise<{ report?: ValidationReport; code?: string }> {
  const { ms, envelope } = await call('documents.validate', { id, online: false });
  withinLimit(`validating ${name}`, ms);
  return envelope.ok ? { report: envelope.result as ValidationReport } : { code: envelope.error.code };
}

/** Counter-signs a received document, as a clerk does; returns its result. */
async function sign(name: string, id: number): Promise<SigningResult> {
  const { ms, envelope } = await call('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'invisible' } });
  withinLimit(`signing ${name}`, ms);
  if (!envelope.ok) assert.fail(`signing ${name}: ${envelope.error.code} ${envelope.error.message}`);
  return (envelope.result as { results: SigningResult[] }).results[0]!;
}

/** An unsigned document read to the end: the report says so, and signing it gives a signature that validates. */
async function assertReadable(name: string, id: number): Promise<void> {
  const { report, code } = await validate(name, id);
  assert.equal(code, undefined, `${name} is readable`);
  assert.deepEqual(report?.signatures, []);
  assert.equal(report?.reasons[0]?.code, 'NOT_SIGNED');
  const signed = await sign(name, id);
  assert.equal(signed.status, 'signed', JSON.stringify(signed));
  const again = await validate(`${name}, signed`, id);
  assert.equal(again.report?.signatures.length, 1);
  assert.equal(again.report?.signatures[0]?.integrity, 'valid');
}

/** Refused with `code` by validation and by signing. */
async function assertRefused(name: string, id: number, code: string): Promise<void> {
  assert.equal((await validate(name, id)).code, code, `validating ${name}`);
  const signed = await sign(name, id);
  assert.deepEqual([signed.status, signed.error?.code], ['failed', code], `signing ${name}: ${JSON.stringify(signed)}`);
}

function assertMemory(name: string, peakMB: number): void {
  assert.ok(peakMB - ordinaryPeakMB <= MEMORY_LIMIT_MB, `${name}: peak memory ${Math.round(peakMB)} MB, ${Math.round(peakMB - ordinaryPeakMB)} MB above an ordinary document's (${Math.round(ordinaryPeakMB)} MB)`);
}

// ---- The tests ------------------------------------------------------------------------------

test('an ordinary document imports, validates (no signatures) and signs: the measure for the others', async () => {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'V/v giấy mời họp']);
  ordinaryPeakMB = await measuredApart(async () => assertReadable('ordinary', await importPdf('ordinary', bytes)));
});

const refused: [name: string, make: () => Buffer | Promise<Buffer>, code: string][] = [
  ['a cross-reference stream field 10^12 bytes wide', wideField, 'DAMAGED_PDF'],
  ['an inflate bomb in a cross-reference stream (1 MB → 1 GB)', () => inflateBomb(64), 'DAMAGED_PDF'],
  ['40,000 /Prev sections, each pointing forward', () => forwardPrev(40_000), 'PDF_TOO_COMPLEX'],
  ['arrays nested 100,000 deep in the form', () => deepNesting(100_000), 'DAMAGED_PDF'],
  ['a /Prev pointing to its own section', selfPrev, 'DAMAGED_PDF'],
  ['600,000 cross-reference entries in a few kilobytes (the readers take 500,000)', () => manyEntries(600_000), 'PDF_TOO_COMPLEX'],
];

for (const [name, make, code] of refused) {
  test(`${name}: imported (pdf.js reads it), then refused by validation and signing with ${code}, each within 10 s`, async () => {
    const bytes = await make();
    assertMemory(name, await measuredApart(async () => assertRefused(name, await importPdf(name, bytes), code)));
  });
}

const readable: [name: string, make: () => Buffer][] = [
  ['/Size 2,000,000,000 over five rows', hugeSize],
  ['a 2 GB /Length on a page and on the cross-reference stream', hugeLength],
  ['499,000 cross-reference entries in a few kilobytes, the most the readers take', () => manyEntries(499_000)],
];

for (const [name, make] of readable) {
  test(`${name}: read as far as its bytes go — validated, signed and validated again, each within 10 s`, async () => {
    const bytes = make();
    assertMemory(name, await measuredApart(async () => assertReadable(name, await importPdf(name, bytes))));
  });
}

test('a document over the time budget is refused with PDF_TOO_COMPLEX, and app.info answers while it is read', async () => {
  const bytes = slowFields();
  await ask('reset');
  const id = await importPdf('slow form', bytes);
  const validation = call('documents.validate', { id, online: false });
  validation.catch(() => undefined); // awaited below, after app.info
  await delay(1000);
  const info = await call('app.info', {}, 5000);
  assert.equal(info.envelope.ok, true);
  assert.ok(info.ms < 2000, `app.info took ${Math.round(info.ms)} ms during the validation`);
  const validated = await validation;
  withinLimit('validating the slow form', validated.ms);
  assert.deepEqual(validated.envelope.ok ? 'a report' : validated.envelope.error.code, 'PDF_TOO_COMPLEX');
  const signed = await sign('the slow form', id);
  assert.deepEqual([signed.status, signed.error?.code], ['failed', 'PDF_TOO_COMPLEX']);
  assertMemory('the slow form', (await ask<{ peakRssMB: number }>('rss')).peakRssMB);
  // The stopped reading leaves nothing behind: the next document is read as usual.
  const next = await importPdf('after the slow form', await makeVietnamesePdf(['Thông báo', 'V/v lịch trực']));
  assert.equal((await validate('the next document', next)).report?.reasons[0]?.code, 'NOT_SIGNED');
});

test('a reading over the heap budget is stopped and refused with PDF_TOO_COMPLEX; the next job gets a new thread', async () => {
  // 499,000 entries take some 130 MB to hold: more than this worker's heap, within the app's.
  const worker = new PdfWorker({ timeMs: 60_000, heapMb: 32 });
  try {
    const origin = bytesSource(manyEntries(499_000)).origin;
    await assert.rejects(worker.run('signatureFacts', { origin, fileName: 'many.pdf' }, 'many.pdf'), (error: Error & { code?: string }) => error.code === 'PDF_TOO_COMPLEX' && /memory/.test(error.message));
    const facts = await worker.run('signatureFacts', { origin: bytesSource(await makeVietnamesePdf(['Công văn'])).origin, fileName: 'ok.pdf' }, 'ok.pdf');
    assert.deepEqual(facts.checks, []);
  } finally {
    await worker.close();
  }
});

test('the bundled eoffice verify refuses hostile files within 10 s each, through its own PDF worker', async () => {
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build makes dist/cli/eoffice.mjs');
  const dir = tempDir('eoffice-hostile-cli-');
  for (const [name, bytes, code] of [['wide.pdf', wideField(), 'DAMAGED_PDF'], ['slow.pdf', slowFields(), 'PDF_TOO_COMPLEX']] as const) {
    fs.writeFileSync(path.join(dir, name), bytes);
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dir, 'verify', '--offline', '--json', path.join(dir, name)]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const stuck = setTimeout(() => child.kill('SIGKILL'), STUCK_AFTER_MS);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(stuck);
    withinLimit(`eoffice verify ${name}`, performance.now() - started);
    assert.equal(exitCode, 1, stdout);
    assert.equal((JSON.parse(stdout) as { error: { code: string } }[])[0]!.error.code, code);
  }
});
