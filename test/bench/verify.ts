// npm run bench -- verify: validating a 100 MB PDF that carries two signatures — the leader's
// (RSA-2048) and the agency's (ECDSA P-256), made by the issuing flow itself on a SoftHSM2 token:
// the leader signs the draft, then the number and date are filled in and the agency seals it.
// Reports the median of 3 validations, each in its own process (validatePdf with the trust store
// and an offline revocation checker, as `eoffice verify --offline` does it), against, in the same
// run, (a) the floor — sha256sum of the file — and (b) a peer — poppler's pdfsig on the same file
// with an NSS database that trusts the test CA; and the validating process's peak memory.
// The test CA is imported into a trust store made for the run, so both chains are trusted.
// Revocation is checked offline, so nothing touches the network: it is 'unknown' (the test
// certificates name no OCSP service and no CRL either), which makes both signatures
// 'indeterminate' with REVOCATION_UNKNOWN — expected, and not a failure.
import { signaturePlacement } from '../../main/core/issuing/outgoing.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { openCore } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createDraft, exportCurrentPdf, issueDocument, type IssuingContext } from '../../main/core/issuing/outgoing.js';
import { signDocuments } from '../../main/core/signing/signDocuments.js';
import { openTrustStore } from '../../main/core/validation/trustStore.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { writePdfWorkerBeside } from '../support/pdfWorkerBundle.js';
import { tempDir, VIETNAMESE_FONT } from '../support/fixtures.js';
import { percentile, progress, round } from './stats.js';
import { scannedPdf, timeCommand } from './shared.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Bundled JavaScript, as the app runs it (tsx's loader alone would add some 40 MB to the process).
const CHILD = path.join(REPO, 'dist/bench/verifyChild.mjs');
const FILE_MB = 100;
const RUNS = 3;
const AGENCY_NAME = 'Ủy ban nhân dân xã Thử Nghiệm';

interface ChildResult {
  ms: number;
  rssMB: number;
  maxRssMB: number;
  status: string;
  signatures: { fieldName: string; signer: string | null; status: string; integrity: string; changes: string; trust: string; revocation: string; reasons: string[] }[];
}

/**
 * The issuing flow on a draft of about `megabytes`: the leader signs (RSA), the clerk issues —
 * number and date filled in, the agency's seal (ECDSA) — in a data folder of its own, which is
 * removed afterwards. The issued PDF is written to `output`.
 */
export async function issuedPdf(token: TestToken, work: string, megabytes: number, output: string): Promise<void> {
  const draftFile = path.join(work, 'draft.pdf');
  const lines = [AGENCY_NAME.toUpperCase(), 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', 'Về việc thử nghiệm kiểm tra chữ ký số'];
  await scannedPdf(draftFile, megabytes, { textPage: { lines, font: new Uint8Array(fs.readFileSync(VIETNAMESE_FONT)) } });
  const bytes = new Uint8Array(fs.readFileSync(draftFile));
  fs.rmSync(draftFile);

  const dataDir = path.join(work, 'issuing');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  const core = openCore({ dataDir, shell: 'cli', actor: 'bench', settings });
  try {
    core.db.prepare("UPDATE agencies SET code = '000.00.32.H41', name = ?, abbreviation = 'UBND' WHERE is_local = 1").run(AGENCY_NAME);
    const ctx: IssuingContext & { maxBytes: number } = { db: core.db, blobs: core.blobs, actor: 'bench', separateConfidentialSeries: true, maxBytes: 2 * megabytes * 1048576 };
    const id = await createDraft(ctx, {
      fileName: 'qd-kiem-tra.pdf',
      bytes,
      details: { typeCode: 'QD', subject: 'Quyết định thử nghiệm kiểm tra chữ ký số', signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: [], recipientCodes: ['000.00.00.H41'], priority: 'normal', dueDate: null, draftingUnit: '', copies: 2, confidential: false, archiveHolder: '', notes: '' },
    });
    // Two signing acts, one PIN each: the leader's signature, then the agency's.
    const [signed] = await core.tokens.signingAct({ label: token.label }, token.ids.signer, { pin: token.userPin }, (key) =>
      signDocuments({ db: core.db, blobs: core.blobs, actor: 'bench', key, role: 'signer', appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80], lines: ['Nguyễn Văn An'] }, placement: signaturePlacement, cancelled: () => false }, [id]),
    );
    if (signed?.status !== 'signed') throw new Error(`the leader's signature failed: ${JSON.stringify(signed)}`);
    await core.tokens.signingAct({ label: token.label }, token.ids.agency, { pin: token.userPin }, (key) => issueDocument(ctx, id, { key, agencyName: AGENCY_NAME }));
    exportCurrentPdf(ctx, id, output);
  } finally {
    core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runVerifyBenchmark(): Promise<unknown> {
  const work = tempDir('eoffice-bench-verify-');
  let token: TestToken | null = null;
  let nssDir: string | null = null;
  try {
    progress('making the token and the validating process');
    await esbuild({ entryPoints: [path.join(REPO, 'test/bench/verifyChild.ts')], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    await writePdfWorkerBeside(CHILD);
    token = await createTestToken({ label: 'Bench Verify', agencyName: AGENCY_NAME });

    progress(`issuing a ${FILE_MB} MB document: the leader signs, the agency seals (not timed)`);
    const file = path.join(work, `issued-${FILE_MB}mb.pdf`);
    await issuedPdf(token, work, FILE_MB, file);
    const fileBytes = fs.statSync(file).size;

    // The validation's own data folder: a trust store with the test CA, an empty revocation cache.
    const dataDir = path.join(work, 'data');
    openTrustStore(dataDir).import(new TextEncoder().encode(token.caCertPem), 'eoffice-test-ca.pem');
    nssDir = nssTrusting([token.caCertPem]);

    const validate = (): ChildResult & { processMs: number } => {
      const started = performance.now();
      const run = spawnSync(process.execPath, [CHILD, file, dataDir], { encoding: 'utf8' });
      const processMs = performance.now() - started;
      if (run.status !== 0) throw new Error(`validation failed: ${run.stderr}`);
      return { ...(JSON.parse(run.stdout) as ChildResult), processMs };
    };

    progress(`timing ${RUNS} runs each: validatePdf, sha256sum, pdfsig`);
    const ours: number[] = [];
    const oursWhole: number[] = [];
    const floor: number[] = [];
    const poppler: number[] = [];
    let rss = 0;
    let inheritedRss = 0;
    let last: ChildResult | null = null;
    for (let run = 0; run < RUNS; run++) {
      const result = validate();
      ours.push(result.ms);
      oursWhole.push(result.processMs);
      rss = Math.max(rss, result.rssMB);
      inheritedRss = Math.max(inheritedRss, result.maxRssMB);
      last = result;
      floor.push(timeCommand('sha256sum', [file]));
      poppler.push(timeCommand('pdfsig', ['-nssdir', `sql:${nssDir}`, file]));
      progress(`  run ${run + 1}: validate ${round(result.ms)} ms (process ${round(result.processMs)} ms), sha256sum ${round(floor.at(-1)!)} ms, pdfsig ${round(poppler.at(-1)!)} ms`);
    }
    const peer = pdfsig(file, nssDir);
    const median = (xs: number[]) => percentile(xs, 50);
    const validateMs = median(ours);
    const pdfsigVersion = /pdfsig version (\S+)/.exec(spawnSync('pdfsig', ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? null;
    return {
      benchmark: 'verify',
      fileBytes,
      signatures: last!.signatures.length,
      validateMs: round(validateMs),
      floorMs: round(median(floor)),
      pdfsigMs: round(median(poppler)),
      vsFloor: round(validateMs / median(floor)),
      vsPdfsig: round(validateMs / median(poppler)),
      // The validating process from spawn to exit (Node's start and module loading included), as pdfsig's time is measured.
      validateProcessMs: round(median(oursWhole)),
      vsPdfsigWholeProcess: round(median(oursWhole) / median(poppler)),
      // The validating process's own peak (VmHWM); its resourceUsage().maxRSS also counts this process's memory at the fork (see verifyChild.ts).
      peakRssMB: round(rss, 1),
      maxRssAsReportedMB: round(inheritedRss, 1),
      status: last!.status,
      statuses: last!.signatures,
      revocation: 'unknown (offline)',
      revocationNote: "online: false, and the test certificates name no OCSP service or CRL: each signature is 'indeterminate' with REVOCATION_UNKNOWN only, as expected",
      pdfsigVerdicts: peer.map((s) => ({ fieldName: s.fieldName, signer: s.commonName, validation: s.validation, certificate: s.certificate })),
      runs: RUNS,
      pageCache: 'warm: the file was just written and every tool reads it from memory',
      machine: { node: process.version, cpu: os.cpus()[0]?.model ?? null, cores: os.cpus().length, memoryGB: round(os.totalmem() / 1024 ** 3, 1), pdfsig: pdfsigVersion },
    };
  } finally {
    token?.cleanup();
    if (nssDir) fs.rmSync(nssDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
