// eoffice search (issue 20.5): the order, the columns, a search saved by name and run again in a
// later command, and the results written to PDF and XLSX — the built command, on a real data folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { interopPdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE } from './support/cliRun.js';

function eoffice(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

test('search sorts, shows the columns asked for, saves a search that a later command runs again, and exports every result', async () => {
  const dataDir = tempDir();
  const work = tempDir();
  const files = ['hanoi-tb-453-ubnd-2026.pdf', 'hanoi-kh-173-ubnd-2026.pdf', 'hanoi-qd-2280-ubnd-2026.pdf'];
  assert.equal(eoffice(dataDir, ['import', ...files.map(interopPdf), '--book', 'in']).code, 0);
  const all = JSON.parse(eoffice(dataDir, ['search', 'ubnd', '--json']).stdout) as { items: { id: number; number: number | null; notation: string | null }[] };
  assert.equal(all.items.length, 3, JSON.stringify(all));

  const byNumber = JSON.parse(eoffice(dataDir, ['search', 'ubnd', '--sort', 'number', '--order', 'asc', '--json']).stdout) as { items: { number: number | null }[] };
  const numbers = byNumber.items.map((i) => i.number).filter((n): n is number => n !== null);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'ascending by number');
  assert.ok(numbers.length >= 2, JSON.stringify(byNumber.items));

  const columns = eoffice(dataDir, ['search', 'treo cờ', '--columns', 'subject,state']);
  assert.equal(columns.code, 0, columns.stderr);
  assert.match(columns.stdout, /Về việc treo cờ Tổ quốc {2}Chờ tiếp nhận/);

  const saved = eoffice(dataDir, ['search', 'ubnd', '--sort', 'number', '--order', 'desc', '--columns', 'notation,subject', '--save', 'Văn bản UBND']);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /saved as "Văn bản UBND"/);
  assert.match(eoffice(dataDir, ['search', '--saved-list']).stdout, /Văn bản UBND {2}— {2}“ubnd”/);
  const again = JSON.parse(eoffice(dataDir, ['search', '--saved', 'Văn bản UBND', '--json']).stdout) as { items: { number: number | null }[] };
  const descending = again.items.map((i) => i.number).filter((n): n is number => n !== null);
  assert.deepEqual(descending, [...numbers].reverse(), 'the saved order, in a later command');

  const pdf = path.join(work, 'ket-qua.pdf');
  const exported = eoffice(dataDir, ['search', '--saved', 'Văn bản UBND', '-o', pdf]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /3 of 3 result\(s\)/);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC');
  assert.ok(text.includes('KẾT QUẢ TÌM KIẾM VĂN BẢN') && text.includes('3 văn bản'));
  assert.ok(text.includes('Số, ký hiệu') && text.includes('Trích yếu') && !text.includes('Cơ quan ban hành'), 'the saved columns');

  const xlsx = path.join(work, 'ket-qua.xlsx');
  assert.equal(eoffice(dataDir, ['search', 'treo cờ', '--columns', 'subject,typeCode', '-o', xlsx]).code, 0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(xlsx);
  const cells: string[] = [];
  workbook.worksheets[0]!.eachRow((row) => cells.push((row.values as unknown[]).slice(1).join('|')));
  assert.ok(cells.includes('Trích yếu|Loại văn bản'), cells.join('\n'));
  assert.ok(cells.includes('Về việc treo cờ Tổ quốc|Thông báo'), cells.join('\n'));

  // Bad inputs: each refused with a reason, and no file written.
  const bad: Array<[string[], RegExp]> = [
    [['search', 'ubnd', '-o', path.join(work, 'r.docx')], /written as \.pdf or \.xlsx/],
    [['search', 'ubnd', '-o', path.join(work, 'no-such-folder', 'r.pdf')], /folder .* does not exist/],
    [['search', 'ubnd', '--columns', 'salary'], /--columns takes some of/],
    [['search', 'ubnd', '--sort', 'size'], /--sort must be one of/],
    [['search', '--saved', 'Không có'], /no search is saved as "Không có"/],
    [['search', '--remove-saved', 'Không có'], /No search is saved as "Không có"/],
    [['search', 'ubnd', '--save', '   '], /name|Invalid|too_small/i],
  ];
  for (const [args, reason] of bad) {
    const run = eoffice(dataDir, args);
    assert.notEqual(run.code, 0, args.join(' '));
    assert.match(run.stderr, reason, args.join(' '));
  }
  assert.deepEqual(fs.readdirSync(work).sort(), ['ket-qua.pdf', 'ket-qua.xlsx'], 'nothing else written');

  assert.match(eoffice(dataDir, ['search', '--remove-saved', 'Văn bản UBND']).stdout, /removed/);
  assert.match(eoffice(dataDir, ['search', '--saved-list']).stdout, /^0 saved search\(es\)$/);
});
