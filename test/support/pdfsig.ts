// Independent verification of signed PDFs: poppler's pdfsig against an NSS database that trusts
// the test CA, and qpdf --check for the file's structure. pdfsig exits 0 even on a digest
// mismatch, so its text is parsed and the tests assert on it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './fixtures.js';

export interface PdfsigSignature {
  fieldName: string;
  commonName: string;
  subFilter: string;
  validation: string;
  certificate: string;
  totalDocumentSigned: boolean;
}

/** An NSS database (the form pdfsig reads) that trusts the given CA certificates. */
export function nssTrusting(caPems: string[]): string {
  const dir = tempDir('eoffice-nss-');
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  caPems.forEach((pem, i) => {
    const file = path.join(dir, `ca${i}.pem`);
    fs.writeFileSync(file, pem);
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', `Test CA ${i}`, '-t', 'CT,C,C', '-i', file]);
  });
  return dir;
}

export function pdfsig(file: string, nssDir: string): PdfsigSignature[] {
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
  const text = `${run.stdout}${run.stderr}`;
  return text
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const field = (name: string) => new RegExp(`- ${name}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        fieldName: field('Signature Field Name'),
        commonName: field('Signer Certificate Common Name'),
        subFilter: field('Signature Type'),
        validation: field('Signature Validation'),
        certificate: field('Certificate Validation'),
        totalDocumentSigned: /^\s*- Total document signed$/m.test(block),
      };
    });
}

/** qpdf's exit status: 0 clean, 3 warnings only, 2 errors. */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const run = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
