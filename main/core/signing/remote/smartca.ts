// VNPT SmartCA (integration spec v1.1): the leader's key at VNPT, approved in the SmartCA app.
// Every answer is HTTP 200 with { code, codeDesc, message, content }; code 0 is success. One
// signhash call carries up to 50 hashes, so a batch of documents needs one approval on the phone.
// See PROTOCOLS.md §1.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../common/errors.js';
import {
  agentFor,
  BearerToken,
  checkHashes,
  displayText,
  formBody,
  jsonOf,
  pollOptions,
  pollUntilDone,
  post,
  providerFailure,
  providerText,
  unreachable,
  withRetries,
  type IssuedToken,
  type PostAnswer,
} from './http.js';
import type { PollOptions, RemoteIdentity, RemoteSignerClient } from './remoteSigner.js';
import { checkedSignatureValues, decodeBase64, identityFromChain } from './signatureValue.js';

export interface SmartCaConfig {
  /** e.g. https://host/smartca */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The most hashes (datas) one signhash call, and so one approval, may carry. */
const MAX_DATAS = 50;
/** What the phone shows of the description. */
const DESCRIPTION_CHARS = 200;
/** When signhash does not say how long the user has. */
const DEFAULT_EXPIRES_IN_SECONDS = 300;

// gettraninfo's tranStatus.
const SIGNED = 1;
const WAITING = 4000;
const EXPIRED = 4001;
const REFUSED = 4002;

const PROTOCOL = 'smartca';

export function createSmartCaClient(config: SmartCaConfig, poll?: PollOptions): RemoteSignerClient {
  const options = pollOptions(poll);
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const agent = agentFor(base);

  const authFailed = () => new AppError('REMOTE_AUTH_FAILED', `The SmartCA service (${base.host}) refused the client credentials of ${config.clientId}.`, { protocol: PROTOCOL, host: base.host });

  const send = (path: string, call: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined) =>
    post({ protocol: PROTOCOL, url: new URL(path, base), call, headers, body, timeoutMs: options.requestTimeoutMs, signal, agent });

  /** The wrapper's content when code is 0; each failure as its REMOTE_* error. */
  const contentOf = (call: string, answer: PostAnswer): Record<string, unknown> => {
    if (answer.status >= 500) throw unreachable(PROTOCOL, base.host, call, `HTTP ${answer.status}`, answer.status);
    if (answer.status === 401) throw authFailed();
    if (answer.status !== 200) throw providerFailure(PROTOCOL, call, `HTTP ${answer.status}`, { status: answer.status });
    const wrapper = jsonOf(PROTOCOL, call, answer);
    const code = wrapper.code;
    if (code === 0) {
      const content = wrapper.content;
      if (content && typeof content === 'object' && !Array.isArray(content)) return content as Record<string, unknown>;
      throw providerFailure(PROTOCOL, call, 'its answer has no content', { reason: 'no-content' });
    }
    const said = providerText(wrapper.message) || providerText(wrapper.codeDesc);
    if (code === 1001) throw authFailed();
    if (code === 1002 || code === 1003) {
      throw new AppError('REMOTE_UNKNOWN_IDENTITY', `The SmartCA service does not know this ${code === 1002 ? 'user' : 'credential'} (${code}${said ? `: ${said}` : ''}).`, { protocol: PROTOCOL, providerCode: code });
    }
    throw providerFailure(PROTOCOL, call, `code ${String(code)}${said ? ` (${said})` : ''}`, { providerCode: typeof code === 'number' ? code : String(code) });
  };

  const token = new BearerToken(async (signal): Promise<IssuedToken> => {
    const body = formBody({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret });
    const content = contentOf('auth/token', await send('auth/token', 'auth/token', { 'Content-Type': 'application/x-www-form-urlencoded' }, body, signal));
    if (typeof content.access_token !== 'string' || content.access_token === '') throw providerFailure(PROTOCOL, 'auth/token', 'no access token in its answer', { reason: 'no-token' });
    return { accessToken: content.access_token, expiresInSeconds: typeof content.expires_in === 'number' ? content.expires_in : 0 };
  });

  /** A Bearer call; a 401 renews the token once. */
  const api = async (path: string, payload: object, signal: AbortSignal | undefined): Promise<Record<string, unknown>> => {
    const json = JSON.stringify(payload);
    const answer = await token.send(signal, (accessToken) => send(path, path, { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` }, json, signal), authFailed);
    return contentOf(path, answer);
  };

  return {
    protocol: PROTOCOL,

    async listIdentities(account?: string, signal?: AbortSignal): Promise<RemoteIdentity[]> {
      if (!account) throw new AppError('INVALID_INPUT', 'SmartCA lists the certificates of one user: give the SmartCA account (e.g. the CCCD number).', { protocol: PROTOCOL });
      const list = await api('csc/credentials/list', { userId: account }, signal);
      const ids = Array.isArray(list.credentialIds) ? list.credentialIds.filter((id): id is string => typeof id === 'string') : [];
      const identities: RemoteIdentity[] = [];
      for (const credentialId of ids) {
        const info = await api('csc/credentials/info', { credentialId, certificates: 'chain', certInfo: true }, signal);
        const cert = info.cert as { certificates?: unknown } | undefined;
        const chain = Array.isArray(cert?.certificates) ? cert.certificates.map((c) => (typeof c === 'string' ? decodeBase64(c) : null)) : [];
        if (chain.some((c) => c === null)) throw providerFailure(PROTOCOL, 'csc/credentials/info', `a certificate of ${credentialId} is not base64`, { reason: 'certificate-unreadable' });
        const multisign = typeof info.multisign === 'number' && info.multisign >= 1 ? info.multisign : MAX_DATAS;
        identities.push(identityFromChain(PROTOCOL, credentialId, chain as Uint8Array[], Math.min(MAX_DATAS, multisign)));
      }
      return identities;
    },

    async signHashes(identity, request): Promise<Uint8Array[]> {
      const { hashes, names, signal } = request;
      checkHashes(PROTOCOL, hashes, names, Math.min(MAX_DATAS, identity.maxHashesPerApproval));
      const display = displayText(request.display, DESCRIPTION_CHARS);
      // Chosen once: signhash with the same refTranId returns the same transaction, so a retry
      // after a network failure never asks the user twice.
      const refTranId = randomUUID();
      const started = await withRetries(PROTOCOL, options, signal, () =>
        api(
          'csc/signature/signhash',
          { credentialId: identity.credentialId, refTranId, description: display, datas: hashes.map((hash, i) => ({ name: names[i], hash: Buffer.from(hash).toString('base64') })) },
          signal,
        ),
      );
      const tranId = started.tranId;
      if (typeof tranId !== 'string' || tranId === '') throw providerFailure(PROTOCOL, 'csc/signature/signhash', 'no tranId in its answer', { reason: 'no-transaction' });
      const expiresIn = typeof started.expiresIn === 'number' && started.expiresIn > 0 ? started.expiresIn : DEFAULT_EXPIRES_IN_SECONDS;
      const expiresAt = new Date(Date.now() + expiresIn * 1000);
      request.onWaiting?.({ protocol: PROTOCOL, transactionId: tranId, display, hashes: hashes.length, expiresAt });

      const documents = await pollUntilDone<unknown[]>(PROTOCOL, options, expiresAt, signal, async () => {
        const info = await api('csc/credentials/gettraninfo', { tranId }, signal);
        const status = info.tranStatus;
        if (status === WAITING) return { done: false };
        if (status === SIGNED) return { done: true, value: Array.isArray(info.documents) ? (info.documents as unknown[]) : [] };
        if (status === REFUSED) throw new AppError('REMOTE_REFUSED', `The signer refused SmartCA transaction ${tranId} on the phone.`, { protocol: PROTOCOL, transactionId: tranId });
        if (status === EXPIRED) throw new AppError('REMOTE_EXPIRED', `SmartCA transaction ${tranId} was not approved in time.`, { protocol: PROTOCOL, transactionId: tranId });
        // 4003 failed, 4004 a key or certificate problem, anything else unknown to this version.
        throw providerFailure(PROTOCOL, 'csc/credentials/gettraninfo', `transaction ${tranId} ended with status ${String(status)}`, { transactionId: tranId, providerCode: typeof status === 'number' ? status : String(status) });
      });
      const sigs = documents.map((d) => (d && typeof d === 'object' ? (d as { sig?: unknown }).sig : undefined));
      return checkedSignatureValues(identity, hashes, sigs);
    },
  };
}
