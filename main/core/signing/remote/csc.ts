// A Cloud Signature Consortium API v2 service: credentials/authorize asks the user (on the phone)
// to approve N hashes and gives a SAD at once; signatures/signHash in asynchronous mode ("A")
// gives a responseID; signatures/signPolling answers "pending" until the user decides. Errors are
// HTTP 4xx/5xx with { error, error_description }. See PROTOCOLS.md §2.
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
  type IssuedToken,
  type PostAnswer,
} from './http.js';
import type { PollOptions, RemoteIdentity, RemoteSignerClient } from './remoteSigner.js';
import { checkedSignatureValues, decodeBase64, identityFromChain } from './signatureValue.js';

export interface CscConfig {
  /** e.g. https://host/csc/v2 */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

const SHA256_OID = '2.16.840.1.101.3.4.2.1';
/** signAlgo for each key type: rsaEncryption (PKCS#1 v1.5 with the hash algorithm given), ecdsa-with-SHA256. */
const SIGN_ALGO = { rsa: '1.2.840.113549.1.1.1', ec: '1.2.840.10045.4.3.2' } as const;
/** The methods eOffice calls; a service without one of them cannot sign for it. */
const NEEDED_METHODS = ['oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash', 'signatures/signPolling'];
const DESCRIPTION_CHARS = 200;
const DEFAULT_EXPIRES_IN_SECONDS = 300;

const PROTOCOL = 'csc';

export function createCscClient(config: CscConfig, poll?: PollOptions): RemoteSignerClient {
  const options = pollOptions(poll);
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const agent = agentFor(base);
  let serviceChecked = false;

  const authFailed = () => new AppError('REMOTE_AUTH_FAILED', `The CSC service (${base.host}) refused the client credentials of ${config.clientId}.`, { protocol: PROTOCOL, host: base.host });

  const send = (path: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined) =>
    post({ protocol: PROTOCOL, url: new URL(path, base), call: path, headers, body, timeoutMs: options.requestTimeoutMs, signal, agent });

  /** A 200 answer's JSON; each CSC error as its REMOTE_* error. */
  const resultOf = (call: string, answer: PostAnswer): Record<string, unknown> => {
    if (answer.status === 200) return jsonOf(PROTOCOL, call, answer);
    let error = '';
    let description = '';
    try {
      const body = JSON.parse(answer.body.toString('utf8')) as { error?: unknown; error_description?: unknown };
      error = providerText(body.error);
      description = providerText(body.error_description);
    } catch {
      // an error without the CSC body: its status says enough
    }
    // A 5xx is the provider down (tried again while polling), except the service's own verdict
    // "server_error" on a transaction (the key or certificate failed): asking again would not change it.
    if (answer.status >= 500 && error !== 'server_error') throw unreachable(PROTOCOL, base.host, call, `HTTP ${answer.status}`, answer.status);
    if (error === 'invalid_client' || error === 'unauthorized_client' || answer.status === 401) throw authFailed();
    if (error === 'access_denied') throw new AppError('REMOTE_REFUSED', `The signer refused the CSC request on the phone.`, { protocol: PROTOCOL });
    if (error === 'expired_transaction') throw new AppError('REMOTE_EXPIRED', `The CSC request was not approved in time.`, { protocol: PROTOCOL });
    throw providerFailure(PROTOCOL, call, `HTTP ${answer.status} ${error || 'error'}${description ? ` (${description})` : ''}`, { status: answer.status, providerCode: error || String(answer.status) });
  };

  const token = new BearerToken(async (signal): Promise<IssuedToken> => {
    const body = formBody({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret });
    const result = resultOf('oauth2/token', await send('oauth2/token', { 'Content-Type': 'application/x-www-form-urlencoded' }, body, signal));
    if (typeof result.access_token !== 'string' || result.access_token === '') throw providerFailure(PROTOCOL, 'oauth2/token', 'no access token in its answer', { reason: 'no-token' });
    return { accessToken: result.access_token, expiresInSeconds: typeof result.expires_in === 'number' ? result.expires_in : 0 };
  });

  /** The service speaks CSC 2 and offers every method eOffice calls: asked once, before the first real call. */
  const checkService = async (signal: AbortSignal | undefined): Promise<void> => {
    if (serviceChecked) return;
    const info = resultOf('info', await send('info', { 'Content-Type': 'application/json' }, '{}', signal));
    const methods = Array.isArray(info.methods) ? info.methods : [];
    const missing = NEEDED_METHODS.filter((m) => !methods.includes(m));
    if (typeof info.specs !== 'string' || !info.specs.startsWith('2.') || missing.length > 0) {
      throw providerFailure(PROTOCOL, 'info', `it is not a CSC 2 service with ${missing.length > 0 ? missing.join(', ') : 'the methods eOffice needs'}`, { reason: 'unsupported-service' });
    }
    serviceChecked = true;
  };

  const api = async (path: string, payload: object, signal: AbortSignal | undefined): Promise<Record<string, unknown>> => {
    await checkService(signal);
    const json = JSON.stringify(payload);
    const answer = await token.send(signal, (accessToken) => send(path, { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` }, json, signal), authFailed);
    return resultOf(path, answer);
  };

  const identityOf = (credentialId: string, info: Record<string, unknown>): RemoteIdentity => {
    const cert = info.cert as { certificates?: unknown } | undefined;
    const chain = Array.isArray(cert?.certificates) ? cert.certificates.map((c) => (typeof c === 'string' ? decodeBase64(c) : null)) : [];
    if (chain.some((c) => c === null)) throw providerFailure(PROTOCOL, 'credentials/info', `a certificate of ${credentialId} is not base64`, { reason: 'certificate-unreadable' });
    // CSC: without multisign, one authorization covers one signature.
    const multisign = typeof info.multisign === 'number' && info.multisign >= 1 ? info.multisign : 1;
    return identityFromChain(PROTOCOL, credentialId, chain as Uint8Array[], multisign);
  };

  return {
    protocol: PROTOCOL,

    async listIdentities(account?: string, signal?: AbortSignal): Promise<RemoteIdentity[]> {
      const list = await api('credentials/list', { ...(account ? { userID: account } : {}), credentialInfo: true, certificates: 'chain', certInfo: true }, signal);
      const ids = Array.isArray(list.credentialIDs) ? list.credentialIDs.filter((id): id is string => typeof id === 'string') : [];
      const infos = Array.isArray(list.credentialInfos) ? (list.credentialInfos as Record<string, unknown>[]) : [];
      const identities: RemoteIdentity[] = [];
      for (const credentialId of ids) {
        // The list carries each credential's info when asked; a service that leaves it out is asked one by one.
        const info = infos.find((i) => i && i.credentialID === credentialId) ?? (await api('credentials/info', { credentialID: credentialId, certificates: 'chain', certInfo: true, authInfo: true }, signal));
        identities.push(identityOf(credentialId, info));
      }
      return identities;
    },

    async signHashes(identity, request): Promise<Uint8Array[]> {
      const { hashes, names, signal } = request;
      checkHashes(PROTOCOL, hashes, names, identity.maxHashesPerApproval);
      const display = displayText(request.display, DESCRIPTION_CHARS);
      const encoded = hashes.map((hash) => Buffer.from(hash).toString('base64'));
      // Not retried on a network failure: a second authorize would ask the user a second time.
      const authorized = await api('credentials/authorize', { credentialID: identity.credentialId, numSignatures: hashes.length, hashes: encoded, hashAlgorithmOID: SHA256_OID, description: display }, signal);
      if (typeof authorized.SAD !== 'string' || authorized.SAD === '') throw providerFailure(PROTOCOL, 'credentials/authorize', 'no SAD in its answer', { reason: 'no-sad' });
      const expiresIn = typeof authorized.expiresIn === 'number' && authorized.expiresIn > 0 ? authorized.expiresIn : DEFAULT_EXPIRES_IN_SECONDS;
      const expiresAt = new Date(Date.now() + expiresIn * 1000);
      const started = await api(
        'signatures/signHash',
        { credentialID: identity.credentialId, SAD: authorized.SAD, hashes: encoded, hashAlgorithmOID: SHA256_OID, signAlgo: SIGN_ALGO[identity.keyType], operationMode: 'A' },
        signal,
      );
      const responseId = started.responseID;
      if (typeof responseId !== 'string' || responseId === '') throw providerFailure(PROTOCOL, 'signatures/signHash', 'no responseID in its answer', { reason: 'no-transaction' });
      request.onWaiting?.({ protocol: PROTOCOL, transactionId: responseId, display, hashes: hashes.length, expiresAt });

      const signatures = await pollUntilDone(PROTOCOL, options, expiresAt, signal, async () => {
        const answer = await api('signatures/signPolling', { responseID: responseId }, signal);
        if (answer.status === 'pending') return { done: false };
        if (answer.status === 'done') return { done: true, value: Array.isArray(answer.signatures) ? (answer.signatures as unknown[]) : [] };
        throw providerFailure(PROTOCOL, 'signatures/signPolling', `unknown status ${providerText(answer.status) || '(none)'}`, { providerCode: providerText(answer.status) });
      });
      return checkedSignatureValues(identity, hashes, signatures);
    },
  };
}
