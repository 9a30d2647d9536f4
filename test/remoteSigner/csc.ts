// CSC API v2 as the reference service speaks it, with asynchronous approval: credentials/authorize
// makes the transaction the user approves on the phone and hands out a SAD at once;
// signatures/signHash (operationMode "A") gives its responseID, which signatures/signPolling
// follows. Errors are CSC style: HTTP 4xx/5xx with { error, error_description }.
// See main/core/signing/remote/PROTOCOLS.md §2.
import { randomBytes } from 'node:crypto';
import {
  BearerTokens,
  IDENTITIES,
  MAX_HASHES_PER_APPROVAL,
  formFields,
  hashFromBase64,
  jsonObject,
  jsonReply,
  type ProtocolCall,
  type ProtocolReply,
  type ServiceContext,
  type Transaction,
} from './core.js';
import type { ServiceKey } from './keys.js';

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const KEY_ALGORITHM_OID = { rsa: '1.2.840.113549.1.1.1', ec: '1.2.840.10045.2.1' } as const;
/** The signAlgo signHash must name for each key: RSA (PKCS#1 v1.5 over the DigestInfo), ECDSA with SHA-256. */
export const SIGN_ALGORITHM_OID = { rsa: '1.2.840.113549.1.1.1', ec: '1.2.840.10045.4.3.2' } as const;

const error = (status: number, code: string, description: string, poll?: ProtocolReply['poll']): ProtocolReply =>
  jsonReply(status, { error: code, error_description: description }, poll);
const invalidRequest = (description: string) => error(400, 'invalid_request', description);

export function cscUnavailable(): ProtocolReply {
  return error(503, 'temporarily_unavailable', 'The signing service is unavailable (injected fault).');
}

export function cscHandler(context: ServiceContext): (call: ProtocolCall) => Promise<ProtocolReply> {
  const tokens = new BearerTokens();
  // SAD → the transaction it authorises.
  const bySad = new Map<string, string>();
  const { transactions, keys } = context;

  const credentialInfo = (credentialID: string): Record<string, unknown> => {
    const key: ServiceKey = keys.keys[IDENTITIES.cscCredentials[credentialID]!];
    return {
      credentialID,
      key: { status: 'enabled', algo: [KEY_ALGORITHM_OID[key.keyType]], len: key.bits },
      cert: {
        status: 'valid',
        certificates: [key.certificate, ...key.chain].map((der) => Buffer.from(der).toString('base64')),
        subjectDN: key.facts.subject,
        issuerDN: key.facts.issuer,
        serialNumber: key.facts.serialNumber,
        validFrom: key.facts.validFrom,
        validTo: key.facts.validTo,
      },
      authMode: 'implicit',
      SCAL: '2',
      multisign: MAX_HASHES_PER_APPROVAL,
    };
  };
  const knownCredential = (value: unknown): value is string => typeof value === 'string' && IDENTITIES.cscCredentials[value] !== undefined;
  /** The hashes field: 1 to multisign base64 SHA-256 hashes, or null. */
  const hashesOf = (value: unknown): Buffer[] | null => {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_HASHES_PER_APPROVAL) return null;
    const hashes = value.map(hashFromBase64);
    return hashes.every((hash): hash is Buffer => hash !== null) ? hashes : null;
  };

  const routes: Record<string, (body: Record<string, unknown>) => ProtocolReply> = {
    '/credentials/list': (body) => {
      const userID = body['userID'];
      let credentialIDs: string[];
      if (userID === undefined) credentialIDs = Object.keys(IDENTITIES.cscCredentials);
      else {
        const found = typeof userID === 'string' ? IDENTITIES.cscUsers[userID] : undefined;
        if (!found) return invalidRequest('Unknown userID.');
        credentialIDs = found;
      }
      return jsonReply(200, { credentialIDs, ...(body['credentialInfo'] === true ? { credentialInfos: credentialIDs.map(credentialInfo) } : {}) });
    },
    '/credentials/info': (body) => {
      if (!knownCredential(body['credentialID'])) return invalidRequest('Unknown credentialID.');
      return jsonReply(200, credentialInfo(body['credentialID']));
    },
    '/credentials/authorize': (body) => {
      const credentialID = body['credentialID'];
      if (!knownCredential(credentialID)) return invalidRequest('Unknown credentialID.');
      if (body['hashAlgorithmOID'] !== SHA256_OID) return invalidRequest(`hashAlgorithmOID must be ${SHA256_OID} (SHA-256).`);
      const hashes = hashesOf(body['hashes']);
      if (!hashes) return invalidRequest(`hashes must list 1 to ${MAX_HASHES_PER_APPROVAL} base64 SHA-256 hashes (32 bytes each).`);
      if (body['numSignatures'] !== hashes.length) return invalidRequest('numSignatures must equal the number of hashes.');
      const description = body['description'];
      if (description !== undefined && typeof description !== 'string') return invalidRequest('description must be text.');
      const transaction = transactions.create({
        protocol: 'csc',
        account: credentialID,
        key: IDENTITIES.cscCredentials[credentialID]!,
        display: description ?? '',
        names: hashes.map((_, index) => `hash ${index + 1}`),
        hashes,
      });
      const sad = randomBytes(24).toString('base64url');
      bySad.set(sad, transaction.id);
      return jsonReply(200, { SAD: sad, expiresIn: transactions.secondsLeft(transaction) });
    },
    '/signatures/signHash': (body) => {
      const credentialID = body['credentialID'];
      if (!knownCredential(credentialID)) return invalidRequest('Unknown credentialID.');
      const transactionId = typeof body['SAD'] === 'string' ? bySad.get(body['SAD']) : undefined;
      const transaction = transactionId === undefined ? undefined : transactions.get(transactionId);
      if (!transaction || transaction.account !== credentialID) return invalidRequest('The SAD is unknown or belongs to another credential.');
      const hashes = hashesOf(body['hashes']);
      if (!hashes || hashes.length !== transaction.hashes.length || hashes.some((hash, index) => !hash.equals(transaction.hashes[index]!))) {
        return invalidRequest('hashes must be the hashes the SAD was authorised for, in the same order.');
      }
      if (body['hashAlgorithmOID'] !== undefined && body['hashAlgorithmOID'] !== SHA256_OID) return invalidRequest(`hashAlgorithmOID must be ${SHA256_OID} (SHA-256).`);
      const keyType = keys.keys[transaction.key].keyType;
      if (body['signAlgo'] !== SIGN_ALGORITHM_OID[keyType]) return invalidRequest(`signAlgo must be ${SIGN_ALGORITHM_OID[keyType]} for this ${keyType.toUpperCase()} key.`);
      const mode = body['operationMode'] ?? 'S';
      if (mode === 'A') return jsonReply(200, { responseID: transaction.id });
      if (mode !== 'S') return invalidRequest('operationMode must be "A" or "S".');
      // Synchronous: only with a SAD the user has approved already.
      if (transaction.state === 'waiting' || transaction.state === 'signing') return invalidRequest('The SAD is not authorised yet: the user has not approved.');
      return outcome(transaction, false);
    },
    '/signatures/signPolling': (body) => {
      const transaction = typeof body['responseID'] === 'string' ? transactions.get(body['responseID']) : undefined;
      if (!transaction || transaction.protocol !== 'csc') return invalidRequest('Unknown responseID.');
      return outcome(transaction, true);
    },
  };

  return async (call) => {
    if (call.method !== 'POST') return error(405, 'invalid_request', 'CSC calls are POST.');
    if (call.route === '/info') {
      return jsonReply(200, {
        specs: '2.0.0.0',
        name: 'eOffice reference remote signer',
        logo: '',
        region: 'VN',
        lang: 'vi',
        description: 'A test service: never a real provider.',
        authType: ['oauth2client'],
        methods: ['oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash', 'signatures/signPolling'],
      });
    }
    if (call.route === '/oauth2/token') {
      const form = formFields(call.body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== IDENTITIES.clientId || form.get('client_secret') !== context.clientSecret) {
        return error(400, 'invalid_client', 'The client credentials are not valid.');
      }
      const { token, expiresIn } = tokens.issue();
      return jsonReply(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
    }
    const route = routes[call.route];
    if (!route) return error(404, 'invalid_request', `No CSC method ${call.route}.`);
    if (!tokens.accepts(call.headers['authorization'] as string | undefined)) return error(401, 'invalid_token', 'The access token is missing, unknown or expired.');
    const body = jsonObject(call.body);
    if (!body) return invalidRequest('The body must be a JSON object.');
    return route(body);
  };
}

/** A transaction's outcome as signPolling (or a synchronous signHash) answers it. */
function outcome(transaction: Transaction, poll: boolean): ProtocolReply {
  const final = { final: true };
  switch (transaction.state) {
    case 'approved':
      return jsonReply(200, { ...(poll ? { status: 'done' } : {}), signatures: transaction.signatures!.map((signature) => signature.toString('base64')) }, poll ? final : undefined);
    case 'refused':
      return error(403, 'access_denied', 'The user refused to sign.', poll ? final : undefined);
    case 'expired':
      return error(400, 'expired_transaction', 'The user did not approve in time.', poll ? final : undefined);
    case 'failed':
      return transaction.failure === 'keyProblem'
        ? error(500, 'server_error', 'The key or its certificate could not sign.', poll ? final : undefined)
        : error(400, 'invalid_request', 'The signing transaction failed.', poll ? final : undefined);
    default:
      return jsonReply(200, { status: 'pending' }, { final: false });
  }
}
