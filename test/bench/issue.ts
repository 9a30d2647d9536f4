// npm run bench -- issue [count]: issue `count` (default 1,000) one-megabyte outgoing documents
// end to end on SoftHSM2 tokens — the leader signs, then each is numbered, filled, sealed by the
// agency and queued — in one process over a real data folder, as the app does it. Reports
// documents per second for the whole of it, and the share of the time spent outside the two
// token signatures (the rest of the pipeline: structure, hashing, the fill, the stores, the
// commits). Drafting (import, text extraction) is done before the clock starts.
import { signaturePlacement } from '../../main/core/issuing/outgoing.js';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PDFDocument, PDFName } from 'pdf-lib';
import { openCore } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createDraft, issueDocument, type IssuingContext } from '../../main/core/issuing/outgoing.js';
import { signDocuments } from '../../main/core/signing/signDocuments.js';
import type { TokenSigningKey } from '../../main/core/token/session.js';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';
import { createTestToken } from '../support/softhsm.js';
import { tempDir, VIETNAMESE_FONT } from '../support/fixtures.js';
import { peakRssMB, progress, round } from './stats.js';
import fs from 'node:fs';

export const ISSUE_TARGETS = { documentsPerSecond: 20 } as const;

/** A one-page draft with the "Số:" and date lines, padded to about 1 MB by an image of noise. */
export async function draftOfOneMegabyte(i: number, font: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const serif = await doc.embedFont(font, { subset: true });
  const page = doc.addPage([595, 842]);
  const lines = ['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc thử nghiệm số ${i}`];
  lines.forEach((line, n) => page.drawText(line, { x: 60, y: 780 - n * 20, size: 12, font: serif }));
  const side = 590; // 590 × 590 × 3 bytes ≈ 1 MB
  const image = doc.context.register(doc.context.stream(randomBytes(side * side * 3), { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }));
  const resources = page.node.lookup(PDFName.of('Resources'));
  if (resources && 'set' in resources) (resources as import('pdf-lib').PDFDict).set(PDFName.of('XObject'), doc.context.obj({ Im0: image }));
  return doc.save();
}

/** The key with the time spent in the token's C_Sign counted. */
function timedKey(key: TokenSigningKey, clock: { ms: number }): TokenSigningKey {
  return Object.assign(Object.create(key) as TokenSigningKey, {
    async sign(data: Uint8Array) {
      const started = performance.now();
      try {
        return await key.sign(data);
      } finally {
        clock.ms += performance.now() - started;
      }
    },
  });
}

export async function runIssueBenchmark(args: readonly string[]): Promise<unknown> {
  const count = args[0] ? Number(args[0]) : 1000;
  const dataDir = tempDir('eoffice-bench-issue-');
  try {
    progress('making the tokens');
    const leader = await createTestToken({ label: 'Bench Lãnh đạo' });
    const agency = await createTestToken({ label: 'Bench Cơ quan', agencyName: 'Ủy ban nhân dân xã Thử Nghiệm' });
    const settings = createFileSettings(dataDir);
    settings.update({ tokenModules: [leader.modulePath] });
    const core = openCore({ dataDir, shell: 'cli', actor: 'bench', settings });
    try {
      core.db.prepare("UPDATE agencies SET code = '000.00.32.H41', name = 'Ủy ban nhân dân xã Thử Nghiệm', abbreviation = 'UBND' WHERE is_local = 1").run();
      const tokenClock = { ms: 0 };
      const ctx: IssuingContext & { maxBytes: number } = { db: core.db, blobs: core.blobs, actor: 'bench', separateConfidentialSeries: true, maxBytes: 100 * 1048576 };

      progress(`drafting ${count} one-megabyte documents (not timed)`);
      const font = new Uint8Array(fs.readFileSync(VIETNAMESE_FONT));
      const ids: number[] = [];
      let bytesTotal = 0;
      for (let i = 0; i < count; i++) {
        const bytes = await draftOfOneMegabyte(i, font);
        bytesTotal += bytes.length;
        const id = await createDraft(ctx, {
          fileName: `qd-${i}.pdf`,
          bytes,
          details: { typeCode: 'QD', subject: `Quyết định thử ${i}`, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: [], recipientCodes: ['000.00.00.H41'], priority: 'normal', dueDate: null, draftingUnit: '', copies: 2, confidential: false, archiveHolder: '', notes: '' },
        });
        ids.push(id);
        if (i % 100 === 99) progress(`  ${i + 1} drafted`);
      }

      progress('issuing: leader signs, then number + fill + seal + queue');
      await (globalThis as { __startProfile?: () => Promise<void> }).__startProfile?.();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      // The leader's batch is one signing act, the clerk's issuing another: one PIN each.
      const signed = await core.tokens.signingAct({ label: leader.label }, leader.ids.signer, { pin: leader.userPin }, (key) =>
        signDocuments(
          { db: core.db, blobs: core.blobs, actor: 'bench', key: timedKey(key, tokenClock), role: 'signer', appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80], lines: ['Nguyễn Văn An'] }, placement: signaturePlacement, cancelled: () => false },
          ids,
        ),
      );
      const failedSigning = signed.filter((r) => r.status !== 'signed');
      if (failedSigning.length) throw new Error(`signing failed: ${JSON.stringify(failedSigning[0])}`);
      const afterSigning = performance.now();
      await core.tokens.signingAct({ label: agency.label }, agency.ids.agency, { pin: agency.userPin }, async (key) => {
        const agencyKey = timedKey(key, tokenClock);
        for (const id of ids) await issueDocument(ctx, id, { key: agencyKey, agencyName: 'Ủy ban nhân dân xã Thử Nghiệm' });
      });
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      await (globalThis as { __stopProfile?: () => Promise<void> }).__stopProfile?.();
      const numbers = (core.db.prepare("SELECT count(DISTINCT number) AS n FROM documents WHERE state = 'queued'").get() as { n: number }).n;
      if (numbers !== count) throw new Error(`expected ${count} issued documents with distinct numbers, found ${numbers}`);
      const documentsPerSecond = count / seconds;
      const result = {
        benchmark: 'issue',
        documents: count,
        averageBytes: Math.round(bytesTotal / count),
        seconds: round(seconds),
        documentsPerSecond: round(documentsPerSecond),
        // All threads (the PDF worker, the token's library, the file system's thread pool): steadier
        // than the wall time on a busy machine.
        cpuMsPerDocument: round((cpu.user + cpu.system) / 1000 / count, 1),
        leaderSigningSeconds: round((afterSigning - started) / 1000),
        numberFillSealSeconds: round((performance.now() - afterSigning) / 1000),
        tokenSignatureSeconds: round(tokenClock.ms / 1000),
        shareOutsideSignatures: round(1 - tokenClock.ms / 1000 / seconds, 3),
        peakRssMB: round(peakRssMB(), 1),
        targets: ISSUE_TARGETS,
        meets: { documentsPerSecond: documentsPerSecond >= ISSUE_TARGETS.documentsPerSecond },
        machine: { node: process.version },
      };
      leader.cleanup();
      agency.cleanup();
      return result;
    } finally {
      core.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
