// Every signature over a stored document goes through the signing room's one entry,
// signing/signStoredFile.ts (issue 14): the signing batch, issuing's seal and its attachments'
// seals, the command line, whatever the signer. The layer rule in .dependency-cruiser.cjs keeps
// the imports so; this test reads the shipped sources for the calls themselves, so that a call
// slipped in by another path (a re-export, a dynamic import) fails here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/fixtures.js';

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs)$/.test(entry.name))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}

test('only the signing room signs a stored document: nothing else in main/ calls the PDF signer', () => {
  const callers = sources('main')
    .filter((file) => /\bsignPdf(Source|File)\s*\(/.test(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')))
    .sort();
  // signPdf.ts defines them (signPdfFile calls signPdfSource); batch.ts signs loose files (eoffice sign); signStoredFile.ts is the room's entry.
  assert.deepEqual(callers, ['main/core/pades/batch.ts', 'main/core/pades/signPdf.ts', 'main/core/signing/signStoredFile.ts']);
});

test('the signing room does not call back into issuing or the registry’s old signing step', () => {
  for (const file of sources('main/core/signing')) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const imports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
    assert.ok(!imports.some((target) => /\/issuing\//.test(target)), `${file} imports issuing: ${imports.join(', ')}`);
  }
});
