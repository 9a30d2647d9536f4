// The periodic report and the register for a period from the command line, on the built CLI
// (dist/cli/eoffice.mjs): a data folder prepared through the core, with enough documents in
// November 2026 (1.234 issued, 2.345 received) that the Vietnamese thousands separator shows,
// then closed. `report --format json` prints what the core computes; the XLSX and the PDF carry
// the same figures; `book in --from --to` holds only the period's rows. Every bad input exits
// non-zero with one line on stderr and leaves no file behind, not even a *.part.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { openCore, databasePath } from '../main/core/app/core.js';
import { invoke } from '../main/core/api/invoke.js';
import type { Output } from '../main/common/contract.js';
import { openDatabase } from '../main/core/storage/database.js';
import { insertDocument } from '../main/core/registry/documents.js';
import { updateLocalAgency } from '../main/core/registry/agency.js';
import { reportFigures } from '../main/core/reports/figures.js';
import { REPORT_TABLE, formatCount, type ReportFigures } from '../main/common/report.js';
import { listFiles, tempDir } from './support/fixtures.js';
import { runEoffice } from './support/cliRun.js';

const work = tempDir('eoffice-cli-report-');
const dataDir = path.join(work, 'data');
after(() => fs.rmSync(work, { recursive: true, force: true }));

const AGENCY = { code: '000.00.02.H99', name: 'Ủy ban nhân dân huyện Thử Nghiệm', abbreviation: 'UBND' };
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };
const ARGS = ['--from', '01/11/2026', '--to', '30/11/2026'];
// Counts large enough for a thousands separator: "1.234" and "2.345" in Vietnamese.
const ISSUED = 1234;
const RECEIVED_BULK = 2342; // + 3 registered in the book below = 2345
const RECEIVED = RECEIVED_BULK + 3;

// The incoming register around November: số đến 01 on 31/10 at the last second, 02 on 01/11 at
// the first, 03 mid-month (on paper), 04 on 30/11 at the last second, 05 on 01/12 at the first.
const BOOK = [
  { at: '2026-10-31T23:59:59+07:00', axis: true, subject: 'họp giao ban tháng Mười' },
  { at: '2026-11-01T00:00:00+07:00', axis: true, subject: 'kế hoạch tháng Mười một' },
  { at: '2026-11-15T10:00:00+07:00', axis: false, subject: 'đơn đề nghị cấp giấy phép' },
  { at: '2026-11-30T23:59:59+07:00', axis: true, subject: 'tổng kết tháng Mười một' },
  { at: '2026-12-01T00:00:00+07:00', axis: true, subject: 'kế hoạch tháng Mười hai' },
];

before(() => {
  const core = openCore({ dataDir, shell: 'web', actor: 'văn thư' });
  try {
    updateLocalAgency(core.db, AGENCY);
    core.db.transaction(() => {
      BOOK.forEach((b, i) => {
        const id = insertDocument(core.db, { direction: 'in', year: 2026, typeCode: 'CV', subject: b.subject, state: 'registered', notation: `${i + 1}/UBND-VP`, documentDate: b.at.slice(0, 10), authorAgency: 'Ủy ban nhân dân xã Thử Nghiệm', registeredAt: b.at }, 'văn thư');
        core.db
          .prepare('UPDATE documents SET incoming_number = ?, accepted_at = ?, exchange_id = ?, sender_code = ? WHERE id = ?')
          .run(i + 1, b.at, b.axis ? `000.00.01.H99,2026/11/01,${i + 1}/UBND-VP` : null, b.axis ? '000.00.01.H99' : null, id);
      });
      core.db.prepare("UPDATE registers SET last_number = 5 WHERE direction = 'in' AND year = 2026").run();
      // The bulk, by plain SQL (the registry's insert also indexes and audits each one, too slow
      // for thousands): outgoing documents imported as issued, bearing a November date (the day
      // they count on, which the registry's insert writes as issued_on), and incoming ones waiting
      // to be accepted, arrived through the axis during November.
      // A draft makes the outgoing register (and is not issued: it does not count).
      insertDocument(core.db, { direction: 'out', year: 2026, typeCode: 'QD', subject: 'dự thảo', state: 'draft', registeredAt: '2026-11-01T08:00:00+07:00' }, 'văn thư');
      const registerOf = (direction: 'in' | 'out') => (core.db.prepare('SELECT id FROM registers WHERE direction = ? AND year = 2026').get(direction) as { id: number }).id;
      const insert = core.db.prepare(
        `INSERT INTO documents (register_id, direction, year, type_code, notation, document_date, subject, author_agency, state, registered_at, updated_at, exchange_id, sender_code, issued_on)
         VALUES (@register, @direction, 2026, @type, @notation, @date, @subject, @author, @state, @at, @at, @exchange, @sender, CASE @direction WHEN 'out' THEN @date END)`,
      );
      for (let i = 0; i < ISSUED; i++) {
        const day = String(1 + (i % 30)).padStart(2, '0');
        insert.run({ register: registerOf('out'), direction: 'out', type: 'CV', notation: `${i + 1}/UBND-VP`, date: `2026-11-${day}`, subject: `Công văn ${i + 1}`, author: '', state: 'issued', at: `2026-11-${day}T08:00:00+07:00`, exchange: null, sender: null });
      }
      for (let i = 0; i < RECEIVED_BULK; i++) {
        const day = String(1 + (i % 30)).padStart(2, '0');
        insert.run({ register: registerOf('in'), direction: 'in', type: 'CV', notation: `${i + 1}/SXD`, date: `2026-11-${day}`, subject: `Văn bản đến ${i + 1}`, author: 'Sở Xây dựng', state: 'received', at: `2026-11-${day}T09:${String(i % 60).padStart(2, '0')}:00+07:00`, exchange: `000.00.05.H99,2026/11/${day},${i + 1}/SXD`, sender: '000.00.05.H99' });
      }
    })();
  } finally {
    core.close();
  }
});

/** The figures as the core computes them now, on the closed data folder. */
function coreFigures(): ReportFigures {
  const db = openDatabase(databasePath(dataDir));
  try {
    return reportFigures(db, PERIOD);
  } finally {
    db.close();
  }
}

const withoutGeneratedAt = (f: ReportFigures) => ({ ...f, generatedAt: undefined });

/** A fresh, empty folder for one command's output, so that anything left behind shows. */
function outDir(name: string): string {
  const dir = path.join(work, 'out', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function ok(args: string[]): Promise<string> {
  const run = await runEoffice(dataDir, args);
  assert.equal(run.code, 0, `eoffice ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

test('report --format json prints the figures the core computes for the same period (generatedAt aside)', async () => {
  const printed = JSON.parse(await ok(['report', ...ARGS, '--format', 'json'])) as ReportFigures;
  const expected = coreFigures();
  assert.deepEqual(withoutGeneratedAt(printed), withoutGeneratedAt(expected));
  assert.match(printed.generatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  // The dataset's own counts, so the comparison is not of two wrong numbers.
  assert.equal(printed.outgoing.issued, ISSUED);
  assert.equal(printed.outgoing.onPaper, ISSUED);
  // 2342 bulk + 01/11 00:00:00, 15/11 (paper), 30/11 23:59:59; not 31/10 or 01/12.
  assert.equal(printed.incoming.received, RECEIVED);
  assert.equal(printed.incoming.viaAxis, RECEIVED - 1);
  assert.equal(printed.incoming.accepted, 3);
  assert.equal(printed.incoming.byState.received, RECEIVED_BULK);
  assert.equal(printed.trend.points.length, 30);

  // With -o the same JSON goes to the file, and standard output names nothing but the file.
  const dir = outDir('json');
  const file = path.join(dir, 'bao-cao.json');
  await ok(['report', ...ARGS, '--format', 'json', '-o', file]);
  assert.deepEqual(withoutGeneratedAt(JSON.parse(fs.readFileSync(file, 'utf8')) as ReportFigures), withoutGeneratedAt(expected));
  assert.deepEqual(listFiles(dir), ['bao-cao.json']);
});

/** Every cell of a row as text; a number as the Vietnamese count it shows. */
function rowTexts(row: ExcelJS.Row): { texts: string[]; numbers: number[] } {
  const texts: string[] = [];
  const numbers: number[] = [];
  row.eachCell((cell) => {
    const v = cell.value;
    if (typeof v === 'number') numbers.push(v);
    else if (v !== null && v !== undefined) texts.push(typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(cell.text));
  });
  return { texts, numbers };
}

test('report --format xlsx -o: a workbook exceljs opens, with every figure of the table beside its label', async () => {
  const dir = outDir('xlsx');
  const file = path.join(dir, 'bao-cao.xlsx');
  const stdout = await ok(['report', ...ARGS, '--format', 'xlsx', '-o', file]);
  assert.ok(!stdout.includes('PK'), 'the workbook goes to the file, not to standard output');
  assert.deepEqual(listFiles(dir), ['bao-cao.xlsx'], 'the file, and no *.part beside it');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: { texts: string[]; numbers: number[] }[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => rows.push(rowTexts(row))));
  const figures = coreFigures();
  for (const entry of REPORT_TABLE) {
    if (entry.section || !entry.value) continue;
    const shown = entry.value(figures, 'vi');
    if (entry.share) {
      // "0 (0%)" on the screen is two numbers in the workbook: the count and its share.
      const share = entry.share(figures);
      const found = rows.find((r) => r.texts.includes(entry.vi) && r.numbers.includes(entry.count!(figures)) && (share === null || r.numbers.includes(share)));
      assert.ok(found, `"${entry.vi}" with ${shown}, as numbers`);
      continue;
    }
    // The row with this label and, in it, the value: the formatted text, or the number it formats.
    const match = rows.find((r) => r.texts.includes(entry.vi) && (r.texts.includes(shown) || r.numbers.some((n) => formatCount(n) === shown)));
    assert.ok(match, `"${entry.vi}" with ${shown}`);
  }
  // The two counts of the dataset, as numbers or as Vietnamese text.
  const hasCount = (label: string, n: number) => rows.some((r) => r.texts.includes(label) && (r.numbers.includes(n) || r.texts.includes(formatCount(n))));
  assert.ok(hasCount('Văn bản đã phát hành', ISSUED));
  assert.ok(hasCount('Văn bản đến', RECEIVED));
});

test('report --format pdf -o: qpdf --check passes and the text shows 1.234 issued and 2.345 received', async () => {
  const dir = outDir('pdf');
  const file = path.join(dir, 'bao-cao.pdf');
  await ok(['report', ...ARGS, '--format', 'pdf', '-o', file]);
  assert.deepEqual(listFiles(dir), ['bao-cao.pdf']);
  const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.equal(check.status, 0, `qpdf --check: ${check.stdout} ${check.stderr}`);
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.equal(formatCount(ISSUED), '1.234');
  assert.equal(formatCount(RECEIVED), '2.345');
  assert.match(text.stdout, /Văn bản đã phát hành\s+1\.234/);
  assert.match(text.stdout, /2\.345/);
  assert.doesNotMatch(text.stdout, /1,234|2,345/, 'no English separators in a Vietnamese report');
});

test('the report PDF is a document to issue: imported as an outgoing draft, its blank number and date lines are found', async () => {
  const dir = outDir('pdf-draft');
  const file = path.join(dir, 'bao-cao.pdf');
  await ok(['report', ...ARGS, '--format', 'pdf', '-o', file, '--signer-name', 'Lê Văn Cường', '--recipient', 'UBND tỉnh Thử Nghiệm (để báo cáo);', '--recipient', 'Lưu: VT.']);
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Số: /BC-UBND', 'Thử Nghiệm, ngày tháng năm', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Lê Văn Cường', '- UBND tỉnh Thử Nghiệm (để báo cáo);']) {
    assert.ok(text.includes(expected), `the PDF has "${expected}"`);
  }
  const core = openCore({ dataDir, shell: 'web', actor: 'văn thư' });
  try {
    const envelope = await invoke(core.handlers, 'outgoing.create', {
      fileName: 'bao-cao.pdf',
      bytes: new Uint8Array(fs.readFileSync(file)),
      details: { typeCode: 'BC', subject: 'Tình hình xử lý văn bản điện tử tháng 11/2026', signerName: 'Lê Văn Cường', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['UBND tỉnh Thử Nghiệm', 'Lưu: VT'] },
    }, () => undefined);
    assert.ok(envelope.ok, JSON.stringify(envelope));
    const { places } = envelope.result as Output<'outgoing.create'>;
    assert.equal(places.number?.origin, 'found', 'the blank after "Số:" is the number’s place');
    assert.equal(places.number?.page, 1);
    assert.equal(places.date?.origin, 'found', 'the blank "ngày … tháng …" is the date’s place');
    assert.equal(places.date?.prefix, 'Thử Nghiệm', 'with the place the report printed before it');
  } finally {
    core.close();
  }
});

test('book in --from --to: only the rows that arrived within the period, first and last second included', async () => {
  const dir = outDir('book');
  const file = path.join(dir, 'so-den.csv');
  await ok(['book', 'in', ...ARGS, '--format', 'csv', '-o', file]);
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.match(lines[0]!, /^Ngày đến,Số đến/);
  // 02 (01/11 00:00:00), 03 (15/11), 04 (30/11 23:59:59); not 01 (31/10) or 05 (01/12).
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',').slice(0, 2)),
    [
      ['01/11/2026', '02'],
      ['15/11/2026', '03'],
      ['30/11/2026', '04'],
    ],
  );
  assert.deepEqual(listFiles(dir), ['so-den.csv']);
});

// ---------------------------------------------------------------------------------------------
// Bad input: a non-zero exit, one clear line on stderr, nothing on stdout, no file left.

async function refused(name: string, args: (dir: string) => string[], reason: RegExp): Promise<void> {
  const dir = outDir(name);
  const run = await runEoffice(dataDir, args(dir));
  assert.notEqual(run.code, 0, `eoffice ${args(dir).join(' ')} should fail: ${run.stdout}`);
  assert.notEqual(run.code, null, 'it exits, not killed');
  assert.equal(run.stderr.split('\n').length, 1, `one line on stderr: ${run.stderr}`);
  assert.match(run.stderr, reason);
  assert.equal(run.stdout, '', 'nothing on standard output');
  assert.deepEqual(listFiles(dir), [], 'no file and no *.part left');
}

test('bad input: --from 30/02/2026 (not a calendar date)', async () => {
  await refused('feb30', (d) => ['report', '--from', '30/02/2026', '--to', '30/11/2026', '--format', 'xlsx', '-o', path.join(d, 'r.xlsx')], /30\/02\/2026|date/i);
});

test('bad input: --from 01/12/2026 after --to 30/11/2026', async () => {
  await refused('reversed', (d) => ['report', '--from', '01/12/2026', '--to', '30/11/2026', '--format', 'pdf', '-o', path.join(d, 'r.pdf')], /from|before|after/i);
});

test('bad input: --format docx', async () => {
  await refused('docx', (d) => ['report', ...ARGS, '--format', 'docx', '-o', path.join(d, 'r.docx')], /docx|--format/);
});

test('bad input: --to missing', async () => {
  await refused('no-to', (d) => ['report', '--from', '01/11/2026', '--format', 'xlsx', '-o', path.join(d, 'r.xlsx')], /--to/);
});

test('bad input: --format xlsx without -o (a workbook is not printed to the terminal)', async () => {
  await refused('no-o', () => ['report', ...ARGS, '--format', 'xlsx'], /-o/);
  // The command may have resolved a default name in the working directory: nothing there either.
  assert.ok(!fs.readdirSync(process.cwd()).some((f) => /\.(xlsx|part)$/.test(f)), 'nothing written to the working directory');
});

test('bad input: -o into a folder that does not exist', async () => {
  await refused('no-folder', (d) => ['report', ...ARGS, '--format', 'pdf', '-o', path.join(d, 'missing', 'r.pdf')], /missing|ENOENT|cannot write/i);
  assert.ok(!fs.existsSync(path.join(work, 'out', 'no-folder', 'missing')), 'the folder is not created');
});

test('bad input: book in for a period spanning two years (15/12/2025 … 15/01/2026)', async () => {
  await refused('book-two-years', (d) => ['book', 'in', '--from', '15/12/2025', '--to', '15/01/2026', '--format', 'csv', '-o', path.join(d, 'so-den.csv')], /year/i);
});
