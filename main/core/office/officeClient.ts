// A connection to the office host from another PC (issue 15): the desktop client in "Kết nối văn
// phòng" mode, `eoffice --host`, the tests. TLS trusts exactly the certificate pinned on the first
// connection — the fingerprint the person setting up compared with the host's — and nothing else:
// a host that shows another certificate later is refused with HOST_CERTIFICATE_CHANGED, never
// accepted with a click. Calls carry the session cookie and its CSRF token, as the browser does.
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { AppError, type ApiErrorShape, type Envelope } from '../../common/errors.js';
import { decodeWire, encodeWire } from '../../common/wire.js';
import type { MethodName, Output, UserInfo } from '../../common/contract.js';

export interface HostIdentity {
  certPem: string;
  fingerprint256: string;
}

function pemOf(certificate: PeerCertificate): string {
  return `-----BEGIN CERTIFICATE-----\n${certificate.raw.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The certificate the host shows, read without trusting it: for the first connection, whose
 * fingerprint the person compares with the host's before it is pinned.
 */
export function firstLook(baseUrl: string): Promise<HostIdentity> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = https.request({ host: url.hostname, port: url.port || 443, path: '/', method: 'HEAD', rejectUnauthorized: false }, (res) => {
      const certificate = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.resume();
      resolve({ certPem: pemOf(certificate), fingerprint256: certificate.fingerprint256 });
    });
    request.on('error', (error) => reject(unreachable(url, error)));
    request.end();
  });
}

/** The certificate is not the pinned one (checkServerIdentity's answer). */
class NotThePinnedCertificate extends Error {}

function unreachable(url: URL, error: Error & { code?: string }): AppError {
  if (error instanceof NotThePinnedCertificate || ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_SIGNATURE_FAILURE'].includes(error.code ?? '')) {
    return new AppError('HOST_CERTIFICATE_CHANGED', `The office host at ${url.host} shows a certificate other than the one pinned on the first connection. It may have been reinstalled — or someone is in between. Ask the administrator to compare the fingerprint on the host before connecting again.`, { host: url.host });
  }
  return new AppError('HOST_UNREACHABLE', `The office host at ${url.host} cannot be reached (${error.code ?? error.message}); the work typed here is kept until it answers.`, { host: url.host });
}

export class OfficeConnection {
  private cookie: string | null = null;
  private csrfToken: string | null = null;
  readonly url: URL;

  constructor(baseUrl: string, private readonly pinned: HostIdentity) {
    this.url = new URL(baseUrl);
  }

  private request(path: string, method: 'GET' | 'POST', body: string | null, headers: Record<string, string> = {}): Promise<{ status: number; text: string; setCookie: string[] }> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          host: this.url.hostname,
          port: this.url.port || 443,
          path,
          method,
          ca: this.pinned.certPem,
          // The pin is the identity: the host may be reached by any of its names or addresses.
          checkServerIdentity: (_host, certificate) => (certificate.fingerprint256 === this.pinned.fingerprint256 ? undefined : new NotThePinnedCertificate('not the pinned certificate')),
          headers: { 'Content-Type': 'application/json', ...(this.cookie ? { Cookie: this.cookie } : {}), ...(this.csrfToken ? { 'X-CSRF-Token': this.csrfToken } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), setCookie: res.headers['set-cookie'] ?? [] }));
          res.on('error', reject);
        },
      );
      request.on('error', (error) => reject(unreachable(this.url, error)));
      request.end(body ?? undefined);
    });
  }

  private signedIn(answer: { status: number; text: string; setCookie: string[] }): UserInfo {
    const envelope = JSON.parse(answer.text) as Envelope<{ user: UserInfo; csrfToken: string }>;
    if (!envelope.ok) throw AppError.fromShape(envelope.error);
    this.cookie = answer.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('eoffice_session=')) ?? null;
    this.csrfToken = envelope.result.csrfToken;
    return envelope.result.user;
  }

  async signIn(login: string, password: string): Promise<UserInfo> {
    return this.signedIn(await this.request('/auth/sign-in', 'POST', JSON.stringify({ login, password })));
  }

  /** A token sign-in: `signChallenge` signs the host's challenge with the token (SHA-256), the PIN staying on this PC. */
  async signInWithCertificate(certificateDer: Uint8Array, signChallenge: (challenge: Uint8Array) => Promise<Uint8Array>): Promise<UserInfo> {
    const given = JSON.parse((await this.request('/auth/challenge', 'POST', '{}')).text) as Envelope<{ challenge: string }>;
    if (!given.ok) throw AppError.fromShape(given.error);
    const signature = await signChallenge(new Uint8Array(Buffer.from(given.result.challenge, 'base64')));
    const body = JSON.stringify({ challenge: given.result.challenge, certificate: Buffer.from(certificateDer).toString('base64'), signature: Buffer.from(signature).toString('base64') });
    return this.signedIn(await this.request('/auth/certificate', 'POST', body));
  }

  async signOut(): Promise<void> {
    await this.request('/auth/sign-out', 'POST', '{}');
    this.cookie = null;
    this.csrfToken = null;
  }

  /** One contract method on the host, as the person signed in; the host's refusal is thrown as it is. */
  async call<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
    const envelope = await this.envelope(method, input);
    if (!envelope.ok) throw AppError.fromShape(envelope.error);
    return envelope.result as Output<M>;
  }

  async envelope(method: string, input: unknown): Promise<Envelope<unknown>> {
    const answer = await this.request(`/api/${encodeURIComponent(method)}`, 'POST', encodeWire(input ?? {}));
    try {
      return decodeWire(answer.text) as Envelope<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `The host answered ${answer.status}: ${answer.text.slice(0, 200)}` } satisfies ApiErrorShape };
    }
  }

  /**
   * documents.sign or outgoing.issue on the host with the token of this PC (a 'client' signer):
   * while the host's call runs, what it asks to be signed is fetched and signed here by `sign`
   * (SHA-256 of each data, as SigningKey.sign does) and sent back. The PIN stays on this PC.
   */
  async signHere<M extends 'documents.sign' | 'outgoing.issue'>(method: M, input: Record<string, unknown>, certificate: Uint8Array, sign: (data: Uint8Array) => Promise<Uint8Array>): Promise<Output<M>> {
    const batchId = `client-${randomUUID()}`;
    let settled = false;
    let tokenFailure: unknown = null;
    const call = this.call(method, { ...input, batchId, signer: { kind: 'client', certificate, chain: [] } }).finally(() => (settled = true));
    const answering = (async () => {
      while (!settled) {
        const { requests } = await this.call('signing.requests', { batchId });
        for (const request of requests) {
          const signatures: Uint8Array[] = [];
          for (const data of request.datas) signatures.push(await sign(data));
          await this.call('signing.respond', { batchId, requestId: request.requestId, signatures });
        }
        if (requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })().catch(async (error: unknown) => {
      // The token could not sign (a wrong PIN, pulled out): the host stops waiting, nothing is signed.
      tokenFailure = error;
      await this.call('signing.cancel', { batchId }).catch(() => undefined);
    });
    try {
      return await call;
    } catch (error) {
      throw tokenFailure ?? error;
    } finally {
      await answering;
    }
  }

  /** For tests of the host's defences: the session's cookie and CSRF token as held here. */
  get credentials(): { cookie: string | null; csrfToken: string | null } {
    return { cookie: this.cookie, csrfToken: this.csrfToken };
  }
}
