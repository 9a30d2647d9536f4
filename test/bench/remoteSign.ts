// npm run bench -- remote-sign [count]: `count` (default 100) one-megabyte outgoing drafts signed
// through the leader's phone — SmartCA against the reference remote signing service, 50 ms of
// latency on every call, each approval given by the simulated user APPROVAL_AFTER_MS after it was
// asked — against, in the same run and process, as many fresh drafts signed on a SoftHSM2 token.
// Both go through signDocuments with the same visible signer appearance over the same registry.
// The remote figure without the approval wait is set against the token's (issue 14's target).
// Drafting is done before the clock; the leader's identity is chosen before it too, as in the app.
import { signaturePlacement } from '../../main/core/issuing/outgoing.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCore, type Core } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createDraft, type IssuingContext } from '../../main/core/issuing/outgoing.js';
import { signDocuments, type SigningContext } from '../../main/core/signing/signDocuments.js';
import { remoteSignerKey, type SignerKey } from '../../main/core/signing/signerKey.js';
import { createSmartCaClient } from '../../main/core/signing/remote/smartca.js';
import { DEFAULT_POLL } from '../../main/core/signing/remote/http.js';
import type { SigningResult } from '../../main/common/contract.js';
import { startRemoteSigner } from '../remoteSigner/server.js';
import { IDENTITIES } from '../remoteSigner/core.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { tempDir, VIETNAMESE_FONT } from '../support/fixtures.js';
import { draftOfOneMegabyte } from './issue.js';
import { progress, round } from './stats.js';

export const REMOTE_SIGN_TARGETS = { ratioVsToken: 1.5 } as const;
const LATENCY_MS = 50;
/** How long the simulated leader takes to approve on the phone: a quick, attentive approval. */
const APPROVAL_AFTER_MS = 1000;
const SIGNER = 'Nguyễn Văn An';
const APPEARANCE: SigningContext['appearance'] = { kind: 'signer', page: 1, rect: [330, 420, 180, 80], lines: [SIGNER] };

export async function runRemoteSignBenchmark(args: readonly string[]): Promise<unknown> {
  const count = args[0] === undefined ? 100 : Number(args[0]);
  if (!Number.isInteger(count) || count < 1) throw new Error(`remote-sign: the count must be a positive whole number, not "${args[0]}"`);
  const dataDir = tempDir('eoffice-bench-remote-');
  const tokens: TestToken[] = [];
  try {
    progress('making the tokens and starting the reference remote signing service');
    const leader = await createTestToken({ label: 'Bench Lãnh đạo' });
    tokens.push(leader);
    // The provider's keys on a token of their own: a token act's logout here would end the
    // service's session on a token they shared (one SoftHSM library in one process).
    const providerHsm = await createTestToken({ label: 'Bench Remote HSM' });
    tokens.push(providerHsm);
    const clientSecret = randomBytes(18).toString('base64url');
    const service = await startRemoteSigner({ token: providerHsm, clientSecret, apPassword: randomBytes(12).toString('base64url'), policy: { auto: 'approve', afterMs: APPROVAL_AFTER_MS } });
    const settings = createFileSettings(dataDir);
    settings.update({ tokenModules: [leader.modulePath] });
    const core = openCore({ dataDir, shell: 'cli', actor: 'bench', settings });
    try {
      // The app's own polling (DEFAULT_POLL): how soon an approval is noticed is part of the figure.
      const client = createSmartCaClient({ baseUrl: `${service.url}/smartca`, clientId: IDENTITIES.clientId, clientSecret });
      const identity = (await client.listIdentities('079123456789')).find((i) => i.keyType === 'rsa');
      if (!identity) throw new Error('the reference service lists no RSA identity for 079123456789');
      service.control.setFaults({ latencyMs: LATENCY_MS });

      progress(`drafting 2 × ${count} one-megabyte documents and 2 for the warm-up (not timed)`);
      const warmUpIds = await drafts(core, 2, 'warm-up');
      const remoteIds = await drafts(core, count, 'remote');
      const tokenIds = await drafts(core, count, 'token');

      const context = (key: SignerKey): SigningContext => ({ db: core.db, blobs: core.blobs, actor: 'bench', key, role: 'signer', appearance: APPEARANCE, placement: signaturePlacement, cancelled: () => false });
      const onToken = <T>(act: (key: SignerKey) => Promise<T>) => core.tokens.signingAct({ label: leader.label }, leader.ids.signer, { pin: leader.userPin }, act);
      // The PDF worker started and the signing code compiled before either clock, so neither pays for it.
      expectSigned('warm-up', await onToken((key) => signDocuments(context(key), warmUpIds)));

      progress(`remote: ${count} documents through SmartCA, ${LATENCY_MS} ms a call, approved after ${APPROVAL_AFTER_MS} ms`);
      const before = service.control.stats();
      const phases = new Phases();
      const remoteKey = timedSignMany(remoteSignerKey(client, identity), phases);
      // maxRSS holds the drafting's peak already: the remote phase's own is sampled.
      const rssAtStartMB = process.memoryUsage().rss / 1048576;
      let sampledPeakRss = rssAtStartMB;
      const sampler = setInterval(() => (sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss / 1048576)), 10);
      await (globalThis as { __startProfile?: () => Promise<void> }).__startProfile?.();
      const remoteStarted = performance.now();
      phases.start(remoteStarted);
      let remoteResults: SigningResult[];
      try {
        remoteResults = await signDocuments({ ...context(remoteKey), onResult: () => phases.result() }, remoteIds);
      } finally {
        clearInterval(sampler);
      }
      const remoteSeconds = (performance.now() - remoteStarted) / 1000;
      await (globalThis as { __stopProfile?: () => Promise<void> }).__stopProfile?.();
      const remotePeakRssMB = Math.max(sampledPeakRss, process.memoryUsage().rss / 1048576);
      expectSigned('remote', remoteResults);
      const after = service.control.stats();
      const approvals = after.approvals - before.approvals;
      const calls = Object.entries(after.calls).reduce((sum, [route, n]) => sum + n - (before.calls[route] ?? 0), 0);

      progress(`token: ${count} documents on the SoftHSM2 token, one login`);
      const tokenStarted = performance.now();
      const tokenResults = await onToken((key) => signDocuments(context(key), tokenIds));
      const tokenSeconds = (performance.now() - tokenStarted) / 1000;
      expectSigned('token', tokenResults);

      // No fast failure passes for a figure: every document is signed in the registry, and a
      // file of each kind is read by poppler.
      const signedRows = (core.db.prepare(`SELECT count(*) AS n FROM documents WHERE state = 'signed' AND id IN (${[...remoteIds, ...tokenIds].join(',')})`).get() as { n: number }).n;
      if (signedRows !== 2 * count) throw new Error(`expected ${2 * count} documents in state 'signed', found ${signedRows}`);
      const nss = nssTrusting([leader.caCertPem, providerHsm.caCertPem]);
      try {
        for (const [name, id] of [['remote', remoteIds.at(-1)!], ['token', tokenIds.at(-1)!]] as const) checkWithPdfsig(core, name, id, nss, dataDir);
      } finally {
        fs.rmSync(nss, { recursive: true, force: true });
      }

      const approvalWaitSeconds = (approvals * APPROVAL_AFTER_MS) / 1000;
      const secondsExcludingApprovalWait = remoteSeconds - approvalWaitSeconds;
      const ratio = secondsExcludingApprovalWait / tokenSeconds;
      return {
        benchmark: 'remote-sign',
        documents: count,
        protocol: 'smartca',
        latencyMs: LATENCY_MS,
        approvalAfterMs: APPROVAL_AFTER_MS,
        pollIntervalMs: DEFAULT_POLL.intervalMs,
        // SmartCA's signhash carries at most 50 hashes, so one approval covers 50 documents.
        hashesPerApproval: identity.maxHashesPerApproval,
        approvalsNeeded: Math.ceil(count / identity.maxHashesPerApproval),
        remote: {
          seconds: round(remoteSeconds),
          approvals,
          approvalWaitSeconds: round(approvalWaitSeconds),
          secondsExcludingApprovalWait: round(secondsExcludingApprovalWait),
          // Where the time went, group after group: preparing the group's signatures here (PDF,
          // appearance, hashes), the phone (from signhash to the signatures back: the approval
          // wait, the polls, the latency, the provider's signing), then storing and committing.
          prepareSeconds: round(phases.prepareMs / 1000),
          phoneSeconds: round(phases.phoneMs / 1000),
          phoneSecondsAfterApprovalWait: round(phases.phoneMs / 1000 - approvalWaitSeconds),
          commitSeconds: round(phases.commitMs / 1000),
          calls,
          // Sampled every 10 ms during the remote phase (the process's maxRSS holds the drafting's peak).
          peakRssMB: round(remotePeakRssMB, 1),
          rssAtStartMB: round(rssAtStartMB, 1),
        },
        token: { seconds: round(tokenSeconds) },
        ratio: round(ratio),
        targets: REMOTE_SIGN_TARGETS,
        meets: { ratioVsToken: ratio <= REMOTE_SIGN_TARGETS.ratioVsToken },
        machine: { node: process.version },
      };
    } finally {
      core.close();
      await service.close();
    }
  } finally {
    for (const token of tokens) token.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drafts(core: Core, count: number, kind: string): Promise<number[]> {
  const ctx: IssuingContext & { maxBytes: number } = { db: core.db, blobs: core.blobs, actor: 'bench', separateConfidentialSeries: true, maxBytes: 100 * 1048576 };
  const font = new Uint8Array(fs.readFileSync(VIETNAMESE_FONT));
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = await draftOfOneMegabyte(i, font);
    ids.push(
      await createDraft(ctx, {
        fileName: `${kind}-${i}.pdf`,
        bytes,
        details: { typeCode: 'QD', subject: `Quyết định thử ${kind} ${i}`, signerName: SIGNER, signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: [], recipientCodes: ['000.00.00.H41'], priority: 'normal', dueDate: null, draftingUnit: '', copies: 2, confidential: false, archiveHolder: '', notes: '' },
      }),
    );
  }
  return ids;
}

/**
 * The remote batch's phases, from the moments its groups reach the phone and its results come:
 * until a group's request, preparing; the request, the phone; from its answer to the group's
 * last result, storing and committing.
 */
class Phases {
  prepareMs = 0;
  phoneMs = 0;
  commitMs = 0;
  private last = 0;
  start(at: number): void {
    this.last = at;
  }
  asked(at: number): void {
    this.prepareMs += at - this.last;
    this.last = at;
  }
  answered(at: number): void {
    this.phoneMs += at - this.last;
    this.last = at;
  }
  result(): void {
    const at = performance.now();
    this.commitMs += at - this.last;
    this.last = at;
  }
}

/** The key with its phone requests timed. */
function timedSignMany(key: SignerKey, phases: Phases): SignerKey {
  return Object.assign(Object.create(key) as SignerKey, {
    async signMany(datas: Uint8Array[], request: Parameters<SignerKey['signMany']>[1]) {
      phases.asked(performance.now());
      try {
        return await key.signMany(datas, request);
      } finally {
        phases.answered(performance.now());
      }
    },
  });
}

function expectSigned(name: string, results: SigningResult[]): void {
  const failed = results.find((r) => r.status !== 'signed');
  if (failed) throw new Error(`${name}: a document was not signed: ${JSON.stringify(failed)}`);
}

function checkWithPdfsig(core: Core, name: string, id: number, nss: string, dir: string): void {
  const { file_sha256: sha256 } = core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string };
  const file = path.join(dir, `${name}-check.pdf`);
  fs.writeFileSync(file, core.blobs.read(sha256));
  const [signature] = pdfsig(file, nss);
  if (signature?.validation !== 'Signature is Valid.' || signature.commonName !== SIGNER) {
    throw new Error(`${name}: pdfsig does not find a valid signature of ${SIGNER} on document ${id}: ${JSON.stringify(signature)}`);
  }
}
