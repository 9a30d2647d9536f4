// VNPT SmartCA (integration spec v1.1) as the reference service speaks it: every answer HTTP 200
// with the wrapper { code, codeDesc, message, content } (code 0 success), but HTTP 401 for a bad
// bearer token. See main/core/signing/remote/PROTOCOLS.md §1.
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

/** SmartCA's result codes the service uses. */
export const SMARTCA_CODES = {
  ok: 0,
  unauthorizedClient: 1001,
  unknownUser: 1002,
  unknownCredential: 1003,
  invalidParameter: 1004,
  unknownTransaction: 1005,
} as const;

/** tranStatus of credentials/gettraninfo. */
export const TRAN_STATUS = { signed: 1, waiting: 4000, expired: 4001, refused: 4002, failed: 4003, keyProblem: 4004 } as const;

const DESCRIPTION_LIMIT = 200;

const wrapper = (code: number, codeDesc: string, message: string, content: unknown = null, poll?: ProtocolReply['poll']): ProtocolReply =>
  jsonReply(200, { code, codeDesc, message, content }, poll);
const success = (content: unknown, poll?: ProtocolReply['poll']) => wrapper(SMARTCA_CODES.ok, 'SUCCESS', 'Thành công', content, poll);
const invalid = (message: string) => wrapper(SMARTCA_CODES.invalidParameter, 'INVALID_PARAMETER', message);

/** The 503 a fault switch answers with. */
export function smartcaUnavailable(): ProtocolReply {
  return jsonReply(503, { code: 503, codeDesc: 'SERVICE_UNAVAILABLE', message: 'The signing service is unavailable (injected fault).', content: null });
}

export function smartcaHandler(context: ServiceContext): (call: ProtocolCall) => Promise<ProtocolReply> {
  const tokens = new BearerTokens();
  // refTranId → tranId: a client retrying after a lost answer gets the transaction it made.
  const byReference = new Map<string, string>();
  const { transactions, keys } = context;

  const routes: Record<string, (call: ProtocolCall, body: Record<string, unknown>) => ProtocolReply> = {
    '/csc/credentials/list': (_call, body) => {
      const credentialIds = typeof body['userId'] === 'string' ? IDENTITIES.smartcaUsers[body['userId']] : undefined;
      if (!credentialIds) return wrapper(SMARTCA_CODES.unknownUser, 'USER_NOT_FOUND', 'Không tìm thấy người dùng SmartCA.');
      return success({ credentialIds });
    },
    '/csc/credentials/info': (_call, body) => {
      const credentialId = body['credentialId'];
      const keyName = typeof credentialId === 'string' ? IDENTITIES.smartcaCredentials[credentialId] : undefined;
      if (!keyName) return wrapper(SMARTCA_CODES.unknownCredential, 'CREDENTIAL_NOT_FOUND', 'Không tìm thấy chứng thư số.');
      const key = keys.keys[keyName];
      return success({
        credentialId,
        cert: {
          certificates: [key.certificate, ...key.chain].map((der) => Buffer.from(der).toString('base64')),
          subjectDN: key.facts.subject,
          issuerDN: key.facts.issuer,
          serialNumber: key.facts.serialNumber,
          validFrom: key.facts.validFrom,
          validTo: key.facts.validTo,
          status: 'valid',
        },
        key: { algo: key.keyType, len: key.bits },
        multisign: MAX_HASHES_PER_APPROVAL,
      });
    },
    '/csc/signature/signhash': (_call, body) => {
      const credentialId = body['credentialId'];
      const keyName = typeof credentialId === 'string' ? IDENTITIES.smartcaCredentials[credentialId] : undefined;
      if (!keyName) return wrapper(SMARTCA_CODES.unknownCredential, 'CREDENTIAL_NOT_FOUND', 'Không tìm thấy chứng thư số.');
      const refTranId = body['refTranId'];
      if (typeof refTranId !== 'string' || refTranId === '') return invalid('refTranId is required.');
      const description = body['description'];
      if (typeof description !== 'string' || description.length > DESCRIPTION_LIMIT) return invalid(`description must be text of at most ${DESCRIPTION_LIMIT} characters.`);
      const datas = body['datas'];
      if (!Array.isArray(datas) || datas.length === 0 || datas.length > MAX_HASHES_PER_APPROVAL) {
        return invalid(`datas must list 1 to ${MAX_HASHES_PER_APPROVAL} hashes.`);
      }
      const names: string[] = [];
      const hashes: Buffer[] = [];
      for (const data of datas as unknown[]) {
        const item = (data ?? {}) as Record<string, unknown>;
        const hash = hashFromBase64(item['hash']);
        if (typeof item['name'] !== 'string' || !hash) return invalid('every item of datas needs a name and a base64 SHA-256 hash (32 bytes).');
        names.push(item['name']);
        hashes.push(hash);
      }
      const earlier = byReference.get(`${credentialId}\n${refTranId}`);
      const transaction = earlier !== undefined ? transactions.get(earlier)! : transactions.create({ protocol: 'smartca', account: credentialId as string, key: keyName, display: description, names, hashes });
      byReference.set(`${credentialId}\n${refTranId}`, transaction.id);
      return success({ tranId: transaction.id, expiresIn: transactions.secondsLeft(transaction) });
    },
    '/csc/credentials/gettraninfo': (_call, body) => {
      const transaction = typeof body['tranId'] === 'string' ? transactions.get(body['tranId']) : undefined;
      if (!transaction || transaction.protocol !== 'smartca') return wrapper(SMARTCA_CODES.unknownTransaction, 'TRANSACTION_NOT_FOUND', 'Không tìm thấy giao dịch.');
      const tranStatus = tranStatusOf(transaction);
      return success(
        {
          tranId: transaction.id,
          tranStatus,
          description: transaction.display,
          documents: transaction.names.map((name, index) => ({
            name,
            hash: transaction.hashes[index]!.toString('base64'),
            ...(transaction.signatures ? { sig: transaction.signatures[index]!.toString('base64') } : {}),
          })),
        },
        { final: tranStatus !== TRAN_STATUS.waiting },
      );
    },
  };

  return async (call) => {
    if (call.route === '/auth/token') {
      const form = formFields(call.body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== IDENTITIES.clientId || form.get('client_secret') !== context.clientSecret) {
        return wrapper(SMARTCA_CODES.unauthorizedClient, 'UNAUTHORIZED_CLIENT', 'Unauthorized client');
      }
      const { token, expiresIn } = tokens.issue();
      return success({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
    }
    const route = routes[call.route];
    if (!route || call.method !== 'POST') return jsonReply(404, { code: 404, codeDesc: 'NOT_FOUND', message: `No SmartCA call ${call.method} ${call.route}.`, content: null });
    if (!tokens.accepts(call.headers['authorization'] as string | undefined)) {
      return jsonReply(401, { code: 401, codeDesc: 'UNAUTHORIZED', message: 'The access token is missing, unknown or expired.', content: null });
    }
    const body = jsonObject(call.body);
    if (!body) return invalid('The body must be a JSON object.');
    return route(call, body);
  };
}

function tranStatusOf(transaction: Transaction): number {
  switch (transaction.state) {
    case 'approved':
      return TRAN_STATUS.signed;
    case 'refused':
      return TRAN_STATUS.refused;
    case 'expired':
      return TRAN_STATUS.expired;
    case 'failed':
      return transaction.failure === 'keyProblem' ? TRAN_STATUS.keyProblem : TRAN_STATUS.failed;
    default:
      return TRAN_STATUS.waiting;
  }
}
