// Word and Writer drafts to PDF through the installed LibreOffice: the clerk's file is only read,
// nothing is left in the temp folder, and every failure is a clear error — never bytes that are
// not a PDF. Two real conversions; the other cases stop before or early in LibreOffice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convertToPdf, officeConverter } from '../../main/core/pdf/convertOffice.js';
import { AppError } from '../../main/common/errors.js';
import { tempDir } from '../support/fixtures.js';

let work: string;
before(() => {
  work = tempDir('eoffice-convert-test-');
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** The module's working folders in the temp dir ('eoffice-convert-' but not this test's own). */
function conversionTempDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('eoffice-convert-') && !name.startsWith('eoffice-convert-test-'));
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function isAppError(code: AppError['code'], check: (error: AppError) => boolean = () => true) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return check(error);
  };
}

/** RTF escapes every non-ASCII letter as \uN?, so Vietnamese survives whatever the file's code page. */
function rtf(paragraphs: string[]): string {
  const escape = (text: string) => [...text].map((c) => (c.charCodeAt(0) < 128 ? c.replace(/[\\{}]/g, '\\$&') : `\\u${c.charCodeAt(0)}?`)).join('');
  return `{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}\\f0\\fs28 ${paragraphs.map((p) => `${escape(p)}\\par`).join('\n')}}`;
}

/** LibreOffice processes whose private profile folder is gone: a conversion that was not cleaned up. */
function orphanedConverters(): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => {
    const profile = /-env:UserInstallation=file:\/\/(\S*eoffice-convert-[^/\s]+)/.exec(line)?.[1];
    return profile !== undefined && !fs.existsSync(path.dirname(decodeURIComponent(profile)));
  });
}

const withoutOverride = <T>(run: () => T): T => {
  const saved = process.env.EOFFICE_SOFFICE;
  delete process.env.EOFFICE_SOFFICE;
  try {
    return run();
  } finally {
    if (saved !== undefined) process.env.EOFFICE_SOFFICE = saved;
  }
};

test('the installed LibreOffice is found', () => {
  const converter = withoutOverride(() => officeConverter());
  assert.ok(converter, 'LibreOffice is installed on this machine and in CI');
  assert.ok(fs.statSync(converter).isFile());
});

test('a draft with a Vietnamese file name becomes a PDF; the file is only read and no temp folder is left', async () => {
  // A decomposed (NFD) name, as macOS and some download tools write them.
  const input = path.join(work, 'Tờ trình số 5 – dự thảo (bản cuối).rtf'.normalize('NFD'));
  fs.writeFileSync(input, rtf(['Tờ trình về việc phê duyệt kế hoạch', 'Số:      /TTr-UBND']));
  fs.utimesSync(input, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
  const hashBefore = sha256(input);
  const tempBefore = conversionTempDirs();

  const pdf = await convertToPdf(input);

  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
  assert.ok(!Buffer.isBuffer(pdf), 'a plain Uint8Array, which pdf.js accepts');
  const output = path.join(work, 'out.pdf');
  fs.writeFileSync(output, pdf);
  const text = execFileSync('/usr/bin/pdftotext', [output, '-'], { encoding: 'utf8' }).normalize('NFC');
  assert.match(text, /Tờ trình về việc phê duyệt kế hoạch/);
  assert.equal(sha256(input), hashBefore, 'the input is unchanged');
  assert.equal(fs.statSync(input).mtime.toISOString(), '2026-01-02T03:04:05.000Z', 'the input was not rewritten');
  assert.deepEqual(fs.readdirSync(work).sort(), [path.basename(input), 'out.pdf'].sort(), 'no lock or backup file next to the input');
  assert.deepEqual(conversionTempDirs(), tempBefore, 'the working folder is removed');
});

test('other file types are refused with INVALID_INPUT, and an empty draft with EMPTY_FILE', async () => {
  for (const name of ['notes.txt', 'scan.pdf', 'draft.docx.exe', 'no-extension']) {
    const file = path.join(work, name);
    fs.writeFileSync(file, 'Số:      /QĐ-UBND');
    await assert.rejects(convertToPdf(file), isAppError('INVALID_INPUT', (e) => e.details?.fileName === name));
  }
  const empty = path.join(work, 'empty.docx');
  fs.writeFileSync(empty, '');
  await assert.rejects(convertToPdf(empty), isAppError('EMPTY_FILE'));
  await assert.rejects(convertToPdf(path.join(work, 'missing.docx')), isAppError('NOT_FOUND'));
});

test('random bytes named .docx are refused before LibreOffice, which would print them as text', async () => {
  // LibreOffice 7.4 given random bytes as .docx (or an OLE2 header followed by garbage as .doc)
  // falls back to its plain-text import, writes pages of mojibake and exits 0. We refuse bytes
  // that are no ZIP, OLE2, RTF or markup; the OLE2 case cannot be told apart and still converts.
  const input = path.join(work, 'hỏng.docx');
  fs.writeFileSync(input, randomBytes(8192));
  const tempBefore = conversionTempDirs();
  const started = Date.now();
  await assert.rejects(convertToPdf(input), isAppError('CONVERSION_FAILED', (e) => e.details?.fileName === 'hỏng.docx'));
  assert.ok(Date.now() - started < 2000, 'LibreOffice was not started');
  assert.deepEqual(conversionTempDirs(), tempBefore);
});

test('a damaged .docx (a ZIP header, then garbage): LibreOffice loads nothing and exits 0; we report CONVERSION_FAILED with its words', async () => {
  const input = path.join(work, 'cut.docx');
  fs.writeFileSync(input, Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(8192)]));
  const hashBefore = sha256(input);
  const tempBefore = conversionTempDirs();
  await assert.rejects(
    convertToPdf(input),
    isAppError('CONVERSION_FAILED', (e) => /wrote no PDF/.test(e.message) && /source file could not be loaded/.test(e.message) && !/javaldx/.test(e.message)),
  );
  assert.equal(sha256(input), hashBefore);
  assert.deepEqual(conversionTempDirs(), tempBefore);
});

test('no LibreOffice: EOFFICE_SOFFICE naming a program that is not there gives CONVERTER_MISSING', async () => {
  const emptyDir = fs.mkdtempSync(path.join(work, 'empty-'));
  const input = path.join(work, 'draft.odt');
  fs.writeFileSync(input, 'PK');
  const saved = process.env.EOFFICE_SOFFICE;
  process.env.EOFFICE_SOFFICE = path.join(emptyDir, 'soffice');
  try {
    assert.equal(officeConverter(), null, 'a configured path is not replaced by another installation');
    await assert.rejects(convertToPdf(input), isAppError('CONVERTER_MISSING', (e) => e.details?.fileName === 'draft.odt'));
  } finally {
    if (saved === undefined) delete process.env.EOFFICE_SOFFICE;
    else process.env.EOFFICE_SOFFICE = saved;
  }
});

test('a conversion that takes too long is killed with everything LibreOffice started; cancelling does the same', async () => {
  const input = path.join(work, 'slow.rtf');
  // Some 150 pages: seconds of work for LibreOffice on any machine, so that the limit below always
  // falls in the middle of it (a one-line draft converted by a warm LibreOffice can beat it).
  fs.writeFileSync(input, rtf(Array.from({ length: 3000 }, (_, i) => `Hà Nội, ngày      tháng      năm 2026 — đoạn ${i + 1} của một văn bản dài.`)));
  const tempBefore = conversionTempDirs();
  // Long enough for LibreOffice to have started soffice.bin under its wrapper, far too short to
  // finish. Killing only the wrapper would leave soffice.bin holding our output pipes, and the
  // call would return only when it had finished on its own: the time taken tells.
  let started = Date.now();
  await assert.rejects(convertToPdf(input, { timeoutMs: 1500 }), isAppError('CONVERSION_FAILED', (e) => /longer than 1\.5 s/.test(e.message)));
  assert.ok(Date.now() - started < 3500, `the timeout ends the conversion (${Date.now() - started} ms)`);

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 1500);
  started = Date.now();
  await assert.rejects(convertToPdf(input, { signal: controller.signal }), isAppError('CANCELLED'));
  assert.ok(Date.now() - started < 3500, `cancelling ends the conversion (${Date.now() - started} ms)`);
  await assert.rejects(convertToPdf(input, { signal: AbortSignal.abort() }), isAppError('CANCELLED'));

  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(orphanedConverters(), [], 'no LibreOffice process outlives its conversion');
  assert.deepEqual(conversionTempDirs(), tempBefore);
});
