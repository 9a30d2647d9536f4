// Two agencies on one machine, as the exchange tests need them: each with its own data directory,
// database, settings and SoftHSM token(s), and the axis settings pointing at the reference axis.
// The commune issues through the API exactly as the UI does.
import assert from 'node:assert/strict';
import net from 'node:net';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createTestToken, type TestToken } from './softhsm.js';
import { decisionDraftPdf, tempDir } from './fixtures.js';
import { randomBytes } from 'node:crypto';

export interface TestAgency {
  code: string;
  name: string;
  abbreviation: string;
  systemId: string;
  secret: string;
  dataDir: string;
  core: Core;
  /** Leader's and agency's tokens, for an agency that issues. */
  tokens: TestToken[];
  ok<M extends MethodName>(method: M, input: unknown): Promise<Output<M>>;
  close(): void;
}

export const COMMUNE = { code: '000.00.01.H99', name: 'Ủy ban nhân dân xã Thử Nghiệm', abbreviation: 'UBND' };
export const DISTRICT = { code: '000.00.02.H99', name: 'Ủy ban nhân dân huyện Thử Nghiệm', abbreviation: 'UBND' };


/** A port nothing listens on yet: the axis is "down" until a server is started on it. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function openAgency(identity: typeof COMMUNE, endpoint: string, options: { tokens: 'issuer' | 'one' } = { tokens: 'one' }): Promise<TestAgency> {
  // Token labels are unique in a process: the agency's code tells them apart.
  // The agency's certificate bears the agency's name: only such a certificate signs as the agency.
  const agencyToken = () => createTestToken({ label: `Cơ quan ${identity.code}`, agencyName: identity.name });
  const tokens = options.tokens === 'issuer' ? [await createTestToken({ label: `Lãnh đạo ${identity.code}` }), await agencyToken()] : [await agencyToken()];
  const dataDir = tempDir('eoffice-agency-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [tokens[0]!.modulePath] });
  const core = openCore({ dataDir, shell: 'web', actor: `văn thư ${identity.code}`, settings, tokens: { pollIntervalMs: 200 } });
  const ok = async <M extends MethodName>(method: M, input: unknown): Promise<Output<M>> => {
    const envelope = await invoke(core.handlers, method, input, () => undefined);
    if (!envelope.ok) assert.fail(`${identity.code} ${method} failed: ${envelope.error.code} ${envelope.error.message}`);
    return envelope.result as Output<M>;
  };
  const systemId = `sys-${identity.code}`;
  const secret = randomBytes(24).toString('base64url');
  await ok('agency.update', identity);
  await ok('exchange.setAxis', { endpoint, systemId, secret });
  return {
    ...identity,
    systemId,
    secret,
    dataDir,
    core,
    tokens,
    ok,
    close() {
      core.close();
      for (const t of tokens) t.cleanup();
    },
  };
}

/** How the reference axis knows the agency. */
export function axisAgency(agency: TestAgency): { code: string; name: string; systemId: string; secret: string } {
  return { code: agency.code, name: agency.name, systemId: agency.systemId, secret: agency.secret };
}

/** Draft, leader's signature, issue with the agency's signature: the document ends up queued for `to`. */
export async function issueTo(commune: TestAgency, to: string[], subject: string): Promise<Output<'outgoing.get'>> {
  const [leader, agency] = commune.tokens;
  assert.ok(leader && agency, 'an issuing agency has two tokens');
  const bytes = await decisionDraftPdf(subject);
  const draft = await commune.ok('outgoing.create', {
    fileName: `${subject}.pdf`,
    bytes,
    details: { typeCode: 'QD', subject, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['UBND huyện Thử Nghiệm', 'Lưu: VT'], recipientCodes: to, priority: 'urgent' },
  });
  const id = draft.document.id;
  // Each a signing act of its own, with its token's PIN.
  const signed = await commune.ok('documents.sign', { ids: [id], label: leader.label, certificateId: leader.ids.signer, pin: leader.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  return commune.ok('outgoing.issue', { id, label: agency.label, certificateId: agency.ids.agency, pin: agency.userPin });
}
