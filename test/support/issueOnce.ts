// Child process for the issuing crash trials: issues one document with the agency's SoftHSM key
// and kills itself with SIGKILL at the worst moment — after the numbered, filled and sealed PDF
// is durably stored, before the transaction that records it commits.
// Usage: node --import tsx issueOnce.ts <dataDir> <documentId> <tokenLabel> <certificateId>  (PIN in EOFFICE_PIN)
import { openCore } from '../../main/core/app/core.js';
import { issueDocument } from '../../main/core/issuing/outgoing.js';

const [dataDir, id, label, certificateId] = process.argv.slice(2) as [string, string, string, string];
const core = openCore({ dataDir, shell: 'cli', actor: 'crash-trial' });
await core.tokens.signingAct({ label }, certificateId, { pin: process.env.EOFFICE_PIN ?? '' }, (key) =>
  issueDocument(
    { db: core.db, blobs: core.blobs, actor: 'crash-trial', separateConfidentialSeries: true, beforeCommit: () => process.kill(process.pid, 'SIGKILL') },
    Number(id),
    { key, agencyName: 'Ủy ban nhân dân xã Thử Nghiệm' },
  ),
);
// Reaching here means the hook did not run: the parent sees a normal exit and fails the trial.
core.close();
