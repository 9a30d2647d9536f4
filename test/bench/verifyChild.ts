// One validation in its own process, so that its peak memory is its own. Arguments: the PDF and
// the data folder (its trust store, its revocation cache). Revocation is offline: nothing leaves
// the machine. Prints {ms, rssMB, status, signatures} as JSON: ms runs from opening the trust
// store and the file to the finished report, as `eoffice verify` does it; loading the modules
// is not in it.
//
// rssMB is this process's own high-water mark (childRss.ts says why maxRSS is not).
import fs from 'node:fs';
import path from 'node:path';
import { fileSource } from '../../main/core/pdf/source.js';
import { validatePdf } from '../../main/core/validation/report.js';
import { openRevocationChecker } from '../../main/core/validation/revocation.js';
import { openTrustStore } from '../../main/core/validation/trustStore.js';
import { ownPeakRssMB } from './childRss.js';

const [file, dataDir] = process.argv.slice(2) as [string, string];
const started = performance.now();
const trustStore = openTrustStore(dataDir);
const revocation = openRevocationChecker({ dataDir, online: false, timeoutMs: 1000 });
const fd = fs.openSync(file, 'r');
let report;
try {
  report = await validatePdf(fileSource(fd), { trustStore, revocation, fileName: path.basename(file), now: new Date() });
} finally {
  fs.closeSync(fd);
}
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    ms,
    rssMB: ownPeakRssMB(),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    status: report.status,
    signatures: report.signatures.map((s) => ({
      fieldName: s.fieldName,
      signer: s.signer?.name ?? null,
      status: s.status,
      integrity: s.integrity,
      changes: s.changes.verdict,
      trust: s.trust.status,
      revocation: s.revocation.status,
      reasons: s.reasons.map((r) => r.code),
    })),
  }),
);
