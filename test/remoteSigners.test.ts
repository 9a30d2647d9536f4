// The remote signing adapters (VNPT SmartCA, CSC API v2, ETSI MSS) against the reference service
// (test/remoteSigner/) over real HTTP and mutual TLS, with a SoftHSM key behind it. The service's
// control plays the leader on the phone: approve, refuse, expire; its fault switches play the
// provider going down. A small tampering proxy stands in for a provider that returns garbage,
// which the reference service never does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, sign, verify, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../main/common/errors.js';
import { createCscClient } from '../main/core/signing/remote/csc.js';
import { createMssClient, type MssConfig } from '../main/core/signing/remote/mss.js';
import type { HashSigningRequest, PollOptions, RemoteIdentity, RemoteSignerClient, WaitingForApproval } from '../main/core/signing/remote/remoteSigner.js';
import { signatureVerifies } from '../main/core/signing/remote/signatureValue.js';
import { createSmartCaClient } from '../main/core/signing/remote/smartca.js';
import { startRemoteSigner, type RemoteSigner } from './remoteSigner/server.js';
import { createTestCa, type TestCa } from './support/testCa.js';
import { createTestToken, type TestToken } from './support/softhsm.js';

const FAST: Required<PollOptions> = { intervalMs: 25, toleratedFailures: 3, requestTimeoutMs: 10_000 };
const LEADER = '079123456789';
const AGENCY = 'ubnd-thunghiem';
const MSISDN = '84912345678';

let token: TestToken;
let service: RemoteSigner;
let caForUnitTests: TestCa;
/** The SIM's certificate chain as the administrator would import it (the service serves it for test setup). */
let mssIdentities: MssConfig['identities'] = [];
const clientSecret = randomBytes(18).toString('base64url');
const apPassword = randomBytes(18).toString('base64url');

before(async () => {
  token = await createTestToken({ label: 'remote-signers' });
  service = await startRemoteSigner({ token, clientSecret, apPassword, expiresInSeconds: 120 });
  caForUnitTests = createTestCa();
  mssIdentities = [{ msisdn: MSISDN, certificateChainDer: await mssChain(MSISDN) }];
});

after(async () => {
  await service?.close();
  token?.cleanup();
});

// ---- helpers ----------------------------------------------------------------------------------

/** Hashes of random "signed attributes", with the data kept for an independent check. */
function makeHashes(count: number): { data: Buffer[]; hashes: Uint8Array[]; names: string[] } {
  const data = Array.from({ length: count }, () => randomBytes(200));
  return { data, hashes: data.map((d) => new Uint8Array(createHash('sha256').update(d).digest())), names: data.map((_, i) => `van-ban-${i + 1}.pdf`) };
}

/** Checked with node's own verify over the original data: not with the adapter's code. */
function assertSignedBy(certificate: Uint8Array, data: Buffer[], signatures: Uint8Array[]): void {
  assert.equal(signatures.length, data.length);
  const key = new X509Certificate(certificate).publicKey;
  data.forEach((d, i) => assert.ok(verify('sha256', d, key, signatures[i]!), `signature ${i + 1} verifies`));
}

type Decision = 'approve' | 'refuse' | 'expire' | 'none';

/**
 * Signs through `client` while the "phone" decides each transaction as it appears. Returns the
 * outcome, the waiting notices, and the error (an AppError) if it failed.
 */
async function signWith(
  client: RemoteSignerClient,
  identity: RemoteIdentity,
  count: number,
  decide: Decision | ((waiting: WaitingForApproval) => void),
  extra: Partial<HashSigningRequest> = {},
): Promise<{ data: Buffer[]; signatures: Uint8Array[] | null; error: AppError | null; waiting: WaitingForApproval[]; decided: Promise<unknown> }> {
  const { data, hashes, names } = makeHashes(count);
  const waiting: WaitingForApproval[] = [];
  let decided: Promise<unknown> = Promise.resolve();
  try {
    const signatures = await client.signHashes(identity, {
      hashes,
      names,
      display: 'Ký 12/QĐ-UBND: Về việc ban hành quy chế làm việc',
      ...extra,
      onWaiting(w) {
        waiting.push(w);
        if (typeof decide === 'function') return decide(w);
        if (decide === 'approve') decided = service.control.approve(w.transactionId);
        else if (decide === 'refuse') decided = Promise.resolve(service.control.refuse(w.transactionId));
        else if (decide === 'expire') decided = Promise.resolve(service.control.expire(w.transactionId));
      },
    });
    return { data, signatures, error: null, waiting, decided };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { data, signatures: null, error, waiting, decided };
  }
}

function calls(route: string): number {
  return service.control.stats().calls[route] ?? 0;
}

/** An error's words and details never carry a secret. */
function assertNoSecret(error: AppError): void {
  const said = JSON.stringify({ message: error.message, details: error.details ?? null });
  for (const secret of [clientSecret, apPassword, 'wrong-secret-value', 'wrong-ap-password']) assert.ok(!said.includes(secret), `no secret in ${said}`);
}

/**
 * A proxy in front of the reference service that can change a JSON answer on its way back (a
 * provider returning garbage, a token the provider no longer accepts): the service itself never does.
 */
async function startTamperingProxy(
  tamper: (path: string, status: number, body: Record<string, unknown>) => { status: number; body: unknown } | null,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'authorization']) if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
        const answer = await fetch(`${service.url}${request.url}`, { method: request.method ?? 'POST', headers, body: Buffer.concat(chunks) });
        const text = await answer.text();
        let status = answer.status;
        let body = text;
        try {
          const changed = tamper(request.url ?? '', answer.status, JSON.parse(text) as Record<string, unknown>);
          if (changed) ({ status, body } = { status: changed.status, body: JSON.stringify(changed.body) });
        } catch {
          // not JSON: passed on as it came
        }
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body);
      })().catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

// ---- the signature check ---------------------------------------------------------------------

describe('a signature value is checked against the certificate and the hash', () => {
  for (const kind of ['rsa', 'ec'] as const) {
    test(`${kind}: the right value verifies; another hash, another key, garbage and a bent encoding do not`, () => {
      const signer = caForUnitTests[kind];
      const other = caForUnitTests[kind === 'rsa' ? 'ec' : 'rsa'];
      const data = randomBytes(300);
      const hash = createHash('sha256').update(data).digest();
      const signature = new Uint8Array(sign('sha256', data, signer.keyPem));
      assert.ok(signatureVerifies(signer.certDer, hash, signature));
      const otherHash = Buffer.from(hash);
      otherHash[31]! ^= 0x01;
      assert.ok(!signatureVerifies(signer.certDer, otherHash, signature), 'another hash');
      assert.ok(!signatureVerifies(other.certDer, hash, signature), 'another key');
      assert.ok(!signatureVerifies(signer.certDer, hash, randomBytes(signature.length)), 'random bytes');
      assert.ok(!signatureVerifies(signer.certDer, hash, new Uint8Array(0)), 'empty');
      assert.ok(!signatureVerifies(signer.certDer, hash, signature.subarray(0, signature.length - 1)), 'one byte short');
      assert.ok(!signatureVerifies(signer.certDer, hash.subarray(0, 31), signature), 'a hash of 31 bytes');
      if (kind === 'ec') {
        // The same r and s with a needless leading zero in r: BER, not the DER a CMS carries.
        const der = Buffer.from(signature);
        const rLength = der[3]!;
        const bent = Buffer.concat([Buffer.from([0x30, der[1]! + 1, 0x02, rLength + 1, 0x00]), der.subarray(4)]);
        assert.ok(!signatureVerifies(signer.certDer, hash, bent), 'non-minimal DER');
      }
    });
  }

  test('ec: the check holds over many keys and hashes (the curve arithmetic, not one lucky case)', () => {
    const { ec } = caForUnitTests;
    for (let i = 0; i < 20; i++) {
      const data = randomBytes(64);
      const hash = createHash('sha256').update(data).digest();
      const signature = sign('sha256', data, ec.keyPem);
      assert.ok(signatureVerifies(ec.certDer, hash, signature), `signature ${i + 1}`);
      signature[signature.length - 1]! ^= 0x01;
      assert.ok(!signatureVerifies(ec.certDer, hash, signature), `bent signature ${i + 1}`);
    }
  });
});


// ---- the three protocols, the same scenarios ----------------------------------------------------

interface AdapterUnderTest {
  name: 'smartca' | 'csc' | 'mss';
  /** The stats key of a poll. */
  pollRoute: string;
  client(poll?: PollOptions, override?: { secret?: string; baseUrl?: string }): RemoteSignerClient;
  /** The leader's (RSA) identity as the adapter lists it. */
  leader(client: RemoteSignerClient): Promise<RemoteIdentity>;
}

async function mssChain(msisdn: string): Promise<Uint8Array[]> {
  const answer = await fetch(`${service.url}/mss/certificate?msisdn=${msisdn}`);
  assert.equal(answer.status, 200);
  return ((await answer.json()) as string[]).map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
}

function mssConfig(override: Partial<MssConfig> = {}): MssConfig {
  return {
    url: service.mssUrl,
    apId: 'eoffice-ap',
    apPassword,
    msspId: 'http://mss.test.eoffice.vn',
    identities: [],
    tls: { ca: service.mssTls.caPem, cert: service.mssTls.clientCertPem, key: service.mssTls.clientKeyPem },
    ...override,
  };
}

const ADAPTERS: AdapterUnderTest[] = [
  {
    name: 'smartca',
    pollRoute: '/smartca/csc/credentials/gettraninfo',
    client: (poll = FAST, o = {}) => createSmartCaClient({ baseUrl: o.baseUrl ?? `${service.url}/smartca`, clientId: 'eoffice-test', clientSecret: o.secret ?? clientSecret }, poll),
    leader: async (client) => {
      const identities = await client.listIdentities(LEADER);
      assert.deepEqual(identities.map((i) => i.credentialId), ['smartca-an']);
      return identities[0]!;
    },
  },
  {
    name: 'csc',
    pollRoute: '/csc/v2/signatures/signPolling',
    client: (poll = FAST, o = {}) => createCscClient({ baseUrl: o.baseUrl ?? `${service.url}/csc/v2`, clientId: 'eoffice-test', clientSecret: o.secret ?? clientSecret }, poll),
    leader: async (client) => {
      const identities = await client.listIdentities(LEADER);
      assert.deepEqual(identities.map((i) => i.credentialId), ['csc-an']);
      return identities[0]!;
    },
  },
  {
    name: 'mss',
    pollRoute: '/mss#MSS_StatusQuery',
    client: (poll = FAST, o = {}) => createMssClient(mssConfig({ apPassword: o.secret ?? apPassword, identities: mssIdentities }), poll),
    leader: async (client) => {
      const identities = await client.listIdentities();
      assert.deepEqual(identities.map((i) => i.credentialId), [MSISDN]);
      return identities[0]!;
    },
  },
];

for (const adapter of ADAPTERS) {
  describe(`${adapter.name} adapter`, () => {
    test('approved on the phone: one signature per hash, each verifies under the certificate; told once that it waits, with its expiry', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      assert.equal(identity.keyType, 'rsa');
      assert.deepEqual(Buffer.from(identity.certificate), Buffer.from(token.signerCertDer));
      assert.equal(identity.maxHashesPerApproval, adapter.name === 'mss' ? 1 : 50);
      const count = adapter.name === 'mss' ? 1 : 3;
      const before = Date.now();
      const pendingSeen: string[] = [];
      const outcome = await signWith(client, identity, count, (w) => {
        pendingSeen.push(...service.control.pending().filter((p) => p.id === w.transactionId).map((p) => p.display));
        void service.control.approve(w.transactionId);
      });
      assert.equal(outcome.error, null);
      assertSignedBy(token.signerCertDer, outcome.data, outcome.signatures!);
      assert.equal(outcome.waiting.length, 1);
      const [waiting] = outcome.waiting;
      assert.equal(waiting!.protocol, adapter.name);
      assert.equal(waiting!.hashes, count);
      assert.equal(waiting!.display, 'Ký 12/QĐ-UBND: Về việc ban hành quy chế làm việc');
      assert.deepEqual(pendingSeen, [waiting!.display], 'the provider holds the transaction named, with the text the phone shows');
      assert.ok(waiting!.expiresAt.getTime() > before, 'expires in the future');
      assert.ok(waiting!.expiresAt.getTime() <= Date.now() + 300_000 + 1000, 'within the time the provider gives');
    });

    test('refused on the phone → REMOTE_REFUSED, no signature', async () => {
      const client = adapter.client();
      const outcome = await signWith(client, await adapter.leader(client), 1, 'refuse');
      assert.equal(outcome.error?.code, 'REMOTE_REFUSED');
      assert.equal(outcome.signatures, null);
    });

    test('not approved in time → REMOTE_EXPIRED', async () => {
      const client = adapter.client();
      const outcome = await signWith(client, await adapter.leader(client), 1, 'expire');
      assert.equal(outcome.error?.code, 'REMOTE_EXPIRED');
    });

    test('cancelled with the signal while waiting → REMOTE_CANCELLED, and no call to the provider after it', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      const controller = new AbortController();
      let id = '';
      const outcome = await signWith(client, identity, 1, (w) => {
        id = w.transactionId;
        setTimeout(() => controller.abort(), 150);
      }, { signal: controller.signal });
      assert.equal(outcome.error?.code, 'REMOTE_CANCELLED');
      const pollsAtCancel = calls(adapter.pollRoute);
      assert.ok(pollsAtCancel > 0);
      await sleep(FAST.intervalMs * 10);
      assert.equal(calls(adapter.pollRoute), pollsAtCancel, 'no poll after the cancel');
      service.control.expire(id);
    });

    test('cancelled while a poll is in flight on a slow provider: ends at once, not when the poll answers', async () => {
      const client = adapter.client({ ...FAST, requestTimeoutMs: 60_000 });
      const identity = await adapter.leader(client);
      const controller = new AbortController();
      let id = '';
      let abortedAt = 0;
      try {
        const outcome = await signWith(client, identity, 1, (w) => {
          id = w.transactionId;
          service.control.setFaults({ latencyMs: 20_000 });
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort();
          }, 300);
        }, { signal: controller.signal });
        assert.equal(outcome.error?.code, 'REMOTE_CANCELLED');
        assert.ok(Date.now() - abortedAt < 5_000, `ended ${Date.now() - abortedAt} ms after the cancel`);
      } finally {
        service.control.setFaults({});
        if (id) service.control.expire(id);
      }
    });

    test(`the provider down mid-poll: ${FAST.toleratedFailures} failures tolerated, then REMOTE_UNREACHABLE`, async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      let id = '';
      let pollsBefore = 0;
      try {
        const outcome = await signWith(client, identity, 1, (w) => {
          id = w.transactionId;
          pollsBefore = calls(adapter.pollRoute);
          service.control.setFaults({ downAfterPolls: 2 });
        });
        assert.equal(outcome.error?.code, 'REMOTE_UNREACHABLE');
        // Two polls answered "waiting", then one failure more than tolerated.
        assert.equal(calls(adapter.pollRoute) - pollsBefore, 2 + FAST.toleratedFailures + 1);
      } finally {
        service.control.setFaults({});
        if (id) service.control.expire(id);
      }
    });

    test('the provider fails the transaction itself (its key, the SIM) → REMOTE_FAILED at the first answer saying so, not asked again', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      let pollsAtFailure = 0;
      const outcome = await signWith(client, identity, 1, (w) => {
        pollsAtFailure = calls(adapter.pollRoute);
        service.control.fail(w.transactionId, adapter.name === 'mss' ? 'error' : 'keyProblem');
      });
      assert.equal(outcome.error?.code, 'REMOTE_FAILED');
      assert.ok(outcome.error?.details?.providerCode !== undefined, "the provider's code is kept");
      assert.equal(calls(adapter.pollRoute) - pollsAtFailure, 1, 'one poll: a final failure is not retried');
    });

    test('a provider failing twice while polling (503) is asked again, and the signature arrives', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      try {
        const outcome = await signWith(client, identity, 1, (w) => {
          service.control.setFaults({ failNext: 2 });
          void service.control.approve(w.transactionId);
        });
        assert.equal(outcome.error, null);
        assertSignedBy(token.signerCertDer, outcome.data, outcome.signatures!);
      } finally {
        service.control.setFaults({});
      }
    });

    test('a final answer repeated on the connection (duplicateAnswers) is not read as the answer to the next request', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      try {
        service.control.setFaults({ duplicateAnswers: true });
        for (let round = 0; round < 3; round++) {
          const outcome = await signWith(client, identity, 1, 'approve');
          assert.equal(outcome.error, null, `round ${round + 1}: ${outcome.error?.message}`);
          assertSignedBy(token.signerCertDer, outcome.data, outcome.signatures!);
          const refused = await signWith(client, identity, 1, 'refuse');
          assert.equal(refused.error?.code, 'REMOTE_REFUSED', `round ${round + 1}`);
        }
      } finally {
        service.control.setFaults({});
      }
    });

    test(`${adapter.name === 'mss' ? 'a wrong AP password' : 'a wrong client secret'} → REMOTE_AUTH_FAILED, the secret in no message`, async () => {
      const wrong = adapter.name === 'mss' ? 'wrong-ap-password' : 'wrong-secret-value';
      const client = adapter.client(FAST, { secret: wrong });
      let error: unknown;
      if (adapter.name === 'mss') {
        // MSS has no call before the signature: the gateway refuses the AP there.
        error = (await signWith(client, (await client.listIdentities())[0]!, 1, 'none')).error;
      } else {
        error = await client.listIdentities(LEADER).then(() => null, (e: unknown) => e);
      }
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'REMOTE_AUTH_FAILED');
      assertNoSecret(error);
    });
  });
}

// ---- what only some protocols do -------------------------------------------------------------

for (const adapter of ADAPTERS.filter((a) => a.name !== 'mss')) {
  describe(`${adapter.name}: batches and the agency's EC key`, () => {
    test('50 hashes in ONE approval on the phone, every signature verifying', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      const approvalsBefore = service.control.stats().approvals;
      const outcome = await signWith(client, identity, 50, 'approve');
      assert.equal(outcome.error, null);
      assertSignedBy(token.signerCertDer, outcome.data, outcome.signatures!);
      assert.equal(outcome.waiting.length, 1);
      assert.equal(outcome.waiting[0]!.hashes, 50);
      assert.equal(service.control.stats().approvals - approvalsBefore, 1);
    });

    test('51 hashes, a hash of 31 bytes, names not matching → INVALID_INPUT before anything is sent', async () => {
      const client = adapter.client();
      const identity = await adapter.leader(client);
      const before = JSON.stringify(service.control.stats().calls);
      const many = makeHashes(51);
      const short = makeHashes(2);
      short.hashes[1] = short.hashes[1]!.subarray(0, 31);
      const unnamed = makeHashes(2);
      for (const request of [many, short, { ...unnamed, names: ['one.pdf'] }, { hashes: [], names: [], data: [] }]) {
        const error = await client.signHashes(identity, { hashes: request.hashes, names: request.names, display: 'Ký' }).then(() => null, (e: unknown) => e);
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'INVALID_INPUT');
      }
      assert.equal(JSON.stringify(service.control.stats().calls), before, 'no call to the provider');
    });

    test("the agency's EC P-256 key: DER ECDSA signatures that verify", async () => {
      const client = adapter.client();
      const identities = await client.listIdentities(AGENCY);
      assert.equal(identities.length, 1);
      const identity = identities[0]!;
      assert.equal(identity.keyType, 'ec');
      const outcome = await signWith(client, identity, 5, 'approve');
      assert.equal(outcome.error, null);
      assertSignedBy(token.agencyCertDer, outcome.data, outcome.signatures!);
    });

    test('a provider returning a wrong signature value: REMOTE_FAILED, the value never handed on', async () => {
      // SmartCA: garbage in place of the first signature; CSC: two real signatures by the right key, swapped.
      const proxy = await startTamperingProxy((path, status, body) => {
        const content = body.content as { documents?: { sig?: string }[] } | undefined;
        if (path.endsWith('/gettraninfo') && content?.documents?.[0]?.sig) {
          content.documents[0].sig = randomBytes(256).toString('base64');
          return { status, body };
        }
        const signatures = body.signatures as string[] | undefined;
        if (path.endsWith('/signPolling') && signatures && signatures.length === 2) return { status, body: { ...body, signatures: [signatures[1], signatures[0]] } };
        return null;
      });
      try {
        const client = adapter.client(FAST, { baseUrl: `${proxy.url}${adapter.name === 'smartca' ? '/smartca' : '/csc/v2'}` });
        const outcome = await signWith(client, await adapter.leader(client), 2, 'approve');
        await outcome.decided;
        assert.equal(outcome.error?.code, 'REMOTE_FAILED');
        assert.equal(outcome.error?.details?.reason, 'signature-invalid');
        assert.equal(outcome.signatures, null);
      } finally {
        await proxy.close();
      }
    });

    test('a token the provider stops accepting (HTTP 401) is fetched again, once', async () => {
      let refusals = 0;
      const proxy = await startTamperingProxy((path) => {
        if (!path.includes('credentials/list') || refusals > 0) return null;
        refusals += 1;
        return { status: 401, body: adapter.name === 'smartca' ? { code: 401, codeDesc: 'UNAUTHORIZED', message: 'token expired', content: null } : { error: 'invalid_token', error_description: 'expired' } };
      });
      try {
        const client = adapter.client(FAST, { baseUrl: `${proxy.url}${adapter.name === 'smartca' ? '/smartca' : '/csc/v2'}` });
        const tokenRoute = adapter.name === 'smartca' ? '/smartca/auth/token' : '/csc/v2/oauth2/token';
        const tokensBefore = calls(tokenRoute);
        const identity = await adapter.leader(client);
        assert.equal(refusals, 1);
        assert.equal(calls(tokenRoute) - tokensBefore, 2, 'a second token after the 401');
        // …and kept afterwards: signing asks for no new token.
        const outcome = await signWith(client, identity, 1, 'approve');
        assert.equal(outcome.error, null);
        assert.equal(calls(tokenRoute) - tokensBefore, 2);
      } finally {
        await proxy.close();
      }
    });
  });
}

describe('smartca: accounts', () => {
  test('an unknown SmartCA user → REMOTE_UNKNOWN_IDENTITY; no account at all → INVALID_INPUT', async () => {
    const client = ADAPTERS[0]!.client();
    await assert.rejects(client.listIdentities('000000000000'), (e: unknown) => e instanceof AppError && e.code === 'REMOTE_UNKNOWN_IDENTITY');
    await assert.rejects(client.listIdentities(), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT');
  });
});

describe('csc: listing', () => {
  test('without a userID the service lists every credential, each with its key type', async () => {
    const identities = await ADAPTERS[1]!.client().listIdentities();
    assert.deepEqual(identities.map((i) => [i.credentialId, i.keyType]).sort(), [['csc-agency', 'ec'], ['csc-an', 'rsa']]);
  });
});

describe('mss: SOAP, the phone and mutual TLS', () => {
  const mss = ADAPTERS[2]!;

  test('the text shown is cut to 160 characters and escaped in the XML: the gateway gets it intact', async () => {
    const client = mss.client();
    const identity = await mss.leader(client);
    const display = `Ký 12/QĐ-UBND <V/v "quy chế" & 'nội quy'> ${'Về việc ban hành quy chế làm việc của Ủy ban nhân dân xã. '.repeat(5)}`;
    let shown = '';
    const outcome = await signWith(client, identity, 1, (w) => {
      shown = service.control.pending().find((p) => p.id === w.transactionId)?.display ?? '';
      void service.control.approve(w.transactionId);
    }, { display });
    assert.equal(outcome.error, null);
    assert.equal([...shown].length, 160);
    assert.ok(shown.startsWith(`Ký 12/QĐ-UBND <V/v "quy chế" & 'nội quy'> Về việc`), shown);
    assert.ok(shown.endsWith('…'));
    assert.equal(outcome.waiting[0]!.display, shown);
  });

  test('one hash per request: two → INVALID_INPUT, nothing sent', async () => {
    const client = mss.client();
    const identity = await mss.leader(client);
    const before = calls('/mss#MSS_Signature');
    const { hashes, names } = makeHashes(2);
    await assert.rejects(client.signHashes(identity, { hashes, names, display: 'Ký' }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT');
    assert.equal(calls('/mss#MSS_Signature'), before);
  });

  test('an MSISDN the gateway does not know → REMOTE_UNKNOWN_IDENTITY', async () => {
    const client = createMssClient(mssConfig({ identities: [{ msisdn: '84900000000', certificateChainDer: mssIdentities[0]!.certificateChainDer }] }), FAST);
    const outcome = await signWith(client, (await client.listIdentities())[0]!, 1, 'none');
    assert.equal(outcome.error?.code, 'REMOTE_UNKNOWN_IDENTITY');
  });

  test('the SIM PIN blocked (402) → REMOTE_PIN_BLOCKED', async () => {
    const client = mss.client();
    const outcome = await signWith(client, await mss.leader(client), 1, (w) => void service.control.fail(w.transactionId, 'pinBlocked'));
    assert.equal(outcome.error?.code, 'REMOTE_PIN_BLOCKED');
  });

  test('configured with another certificate than the SIM signs with: REMOTE_FAILED, the value never handed on', async () => {
    const client = createMssClient(mssConfig({ identities: [{ msisdn: MSISDN, certificateChainDer: [caForUnitTests.rsa.certDer] }] }), FAST);
    const outcome = await signWith(client, (await client.listIdentities())[0]!, 1, 'approve');
    await outcome.decided;
    assert.equal(outcome.error?.code, 'REMOTE_FAILED');
    assert.equal(outcome.error?.details?.reason, 'signature-invalid');
    assert.equal(outcome.signatures, null);
  });

  test("the gateway's certificate not from the configured CA → REMOTE_AUTH_FAILED; plain http is refused at once", async () => {
    const client = createMssClient(mssConfig({ identities: mssIdentities, tls: { ca: caForUnitTests.root.certPem, cert: service.mssTls.clientCertPem, key: service.mssTls.clientKeyPem } }), FAST);
    const before = calls('/mss#MSS_Signature');
    const outcome = await signWith(client, (await client.listIdentities())[0]!, 1, 'none');
    assert.equal(outcome.error?.code, 'REMOTE_AUTH_FAILED', outcome.error?.message);
    assert.equal(calls('/mss#MSS_Signature'), before, 'nothing reached the gateway');
    assert.throws(() => createMssClient(mssConfig({ url: service.mssUrl.replace('https:', 'http:') })), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT');
  });

  test('a client certificate the gateway does not accept: the request fails and nothing is signed', async () => {
    // The gateway ends the handshake; under TLS 1.3 the client often sees only the reset, so the
    // error is REMOTE_UNREACHABLE or REMOTE_AUTH_FAILED depending on which packet lands first.
    const client = createMssClient(mssConfig({ identities: mssIdentities, tls: { ca: service.mssTls.caPem, cert: caForUnitTests.rsa.certPem, key: caForUnitTests.rsa.keyPem } }), FAST);
    const before = calls('/mss#MSS_Signature');
    const outcome = await signWith(client, (await client.listIdentities())[0]!, 1, 'none');
    assert.ok(['REMOTE_UNREACHABLE', 'REMOTE_AUTH_FAILED'].includes(outcome.error?.code ?? ''), outcome.error?.message);
    assert.equal(outcome.signatures, null);
    assert.equal(calls('/mss#MSS_Signature'), before, 'refused before the request was read');
  });
});
