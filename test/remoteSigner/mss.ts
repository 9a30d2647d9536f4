// ETSI TS 102 204 (Mobile Signature Service), SOAP 1.1, as the reference service speaks it over
// its mutual-TLS listener: MSS_Signature in asynchClientServer mode makes the transaction,
// MSS_StatusQuery follows it. Refusals of a request are SOAP faults (faultcode soapenv:Client, the
// ETSI status code in the detail); the outcome of a transaction is a StatusCode in MSS_StatusResp.
// See main/core/signing/remote/PROTOCOLS.md §3.
import sax from 'sax';
import { IDENTITIES, hashFromBase64, jsonReply, type ProtocolCall, type ProtocolReply, type ServiceContext, type Transaction } from './core.js';

export const MSS_NS = 'http://uri.etsi.org/TS102204/v1.1.2#';
export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SHA256_HASH_PROFILE = 'http://mss.gov.vn/profiles/sha256-hash';
export const PKCS1_FORMAT = 'http://uri.etsi.org/TS102204/v1.1.2#PKCS1';
const DISPLAY_LIMIT = 160;
const MSSP_URI = 'http://mss.test.eoffice.vn';

/** The ETSI status codes the service answers with, and their names. */
export const MSS_STATUS = {
  REQUEST_OK: 100,
  WRONG_PARAM: 101,
  UNAUTHORIZED_ACCESS: 104,
  UNKNOWN_CLIENT: 105,
  EXPIRED_TRANSACTION: 208,
  OTA_ERROR: 209,
  USER_CANCEL: 401,
  PIN_NR_BLOCKED: 402,
  SIGNATURE: 500,
  OUTSTANDING_TRANSACTION: 504,
} as const;
type StatusName = keyof typeof MSS_STATUS;

/** An element of a parsed SOAP message: local names, namespaces dropped (the element names are unique in 102 204). */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A request the service refuses with a SOAP fault. */
class MssFault extends Error {
  readonly status: StatusName;
  constructor(status: StatusName, message: string) {
    super(message);
    this.status = status;
  }
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function soapReply(status: number, body: string, poll?: ProtocolReply['poll']): ProtocolReply {
  return {
    status,
    contentType: 'text/xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:mss="${MSS_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`,
    ...(poll ? { poll } : {}),
  };
}

/** A SOAP 1.1 fault (HTTP 500, or 503 for the service down) carrying the ETSI status in its detail. */
function faultReply(faultCode: 'soapenv:Client' | 'soapenv:Server', status: StatusName | null, message: string, httpStatus = 500): ProtocolReply {
  const detail = status === null ? '' : `<detail><mss:detail>${statusXml(status, message)}</mss:detail></detail>`;
  return soapReply(httpStatus, `<soapenv:Fault><faultcode>${faultCode}</faultcode><faultstring>${escapeXml(status ?? message)}</faultstring>${detail}</soapenv:Fault>`);
}

/** An ETSI Status; `explanation`, for a developer reading the exchange, goes in its StatusDetail. */
function statusXml(status: StatusName, explanation?: string): string {
  const detail = explanation === undefined ? '' : `<mss:StatusDetail>${escapeXml(explanation)}</mss:StatusDetail>`;
  return `<mss:Status><mss:StatusCode Value="${MSS_STATUS[status]}"/><mss:StatusMessage>${status}</mss:StatusMessage>${detail}</mss:Status>`;
}

export function mssUnavailable(): ProtocolReply {
  return faultReply('soapenv:Server', null, 'The signing service is unavailable (injected fault).', 503);
}

/** The SOAP body's single element; throws MssFault WRONG_PARAM when the message is not one. */
function parseSoapBody(text: string): XmlElement {
  const parser = sax.parser(true, { strictEntities: true } as sax.SAXOptions);
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: string | null = null;
  parser.onerror = (error) => {
    failure ??= error.message.split('\n')[0]!;
    parser.resume();
  };
  parser.ondoctype = () => {
    failure ??= 'a DOCTYPE is not allowed';
  };
  parser.onopentag = (tag) => {
    const element: XmlElement = { name: localName(tag.name), attributes: {}, children: [], text: '' };
    for (const [name, value] of Object.entries(tag.attributes)) element.attributes[localName(name)] = String(value);
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  };
  parser.ontext = (value) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  };
  parser.onclosetag = () => void stack.pop();
  parser.write(text).close();
  if (failure) throw new MssFault('WRONG_PARAM', `The request is not well-formed XML: ${failure}`);
  const envelope = root as XmlElement | null;
  const body = envelope?.name === 'Envelope' ? child(envelope, 'Body') : undefined;
  if (!body || body.children.length !== 1) throw new MssFault('WRONG_PARAM', 'The request is not a SOAP envelope with one body element.');
  return body.children[0]!;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((found) => found.name === name);
}

function required(element: XmlElement | undefined, name: string): XmlElement {
  const found = element && child(element, name);
  if (!found) throw new MssFault('WRONG_PARAM', `${name} is missing.`);
  return found;
}

export function mssHandler(context: ServiceContext): (call: ProtocolCall) => Promise<ProtocolReply> {
  const { transactions, keys } = context;
  // AP_TransID → MSSP_TransID: a request sent again after a lost answer is the same transaction.
  const byApTransId = new Map<string, string>();

  /** AP_Info checked, and echoed back as it came. */
  const checkedApInfo = (request: XmlElement): { xml: string; transId: string } => {
    const info = required(request, 'AP_Info');
    if (info.attributes['AP_ID'] !== IDENTITIES.apId || info.attributes['AP_PWD'] !== context.apPassword) {
      throw new MssFault('UNAUTHORIZED_ACCESS', 'AP_ID or AP_PWD is not valid.');
    }
    const transId = info.attributes['AP_TransID'];
    if (!transId) throw new MssFault('WRONG_PARAM', 'AP_TransID is missing.');
    const echoed = ['AP_ID', 'AP_TransID', 'Instant'].filter((name) => info.attributes[name] !== undefined).map((name) => ` ${name}="${escapeXml(info.attributes[name]!)}"`);
    return { xml: `<mss:AP_Info${echoed.join('')}/>`, transId };
  };
  const msspInfo = `<mss:MSSP_Info><mss:MSSP_ID><mss:URI>${MSSP_URI}</mss:URI></mss:MSSP_ID></mss:MSSP_Info>`;
  const mobileUser = (msisdn: string) => `<mss:MobileUser><mss:MSISDN>${escapeXml(msisdn)}</mss:MSISDN></mss:MobileUser>`;

  function signature(request: XmlElement): ProtocolReply {
    const apInfo = checkedApInfo(request);
    if (request.attributes['MessagingMode'] !== 'asynchClientServer') throw new MssFault('WRONG_PARAM', 'MessagingMode must be asynchClientServer.');
    const msisdn = required(required(request, 'MobileUser'), 'MSISDN').text.trim();
    const key = IDENTITIES.msisdns[msisdn];
    if (!key) throw new MssFault('UNKNOWN_CLIENT', `No mobile user ${msisdn}.`);
    const data = required(request, 'DataToBeSigned');
    const hash = data.attributes['Encoding'] === 'base64' ? hashFromBase64(data.text.trim()) : null;
    if (!hash) throw new MssFault('WRONG_PARAM', 'DataToBeSigned must be a base64 SHA-256 hash (32 bytes).');
    const displayed = child(request, 'DataToBeDisplayed')?.text ?? '';
    if ([...displayed].length > DISPLAY_LIMIT) throw new MssFault('WRONG_PARAM', `DataToBeDisplayed is longer than ${DISPLAY_LIMIT} characters.`);
    if (required(required(request, 'SignatureProfile'), 'mssURI').text.trim() !== SHA256_HASH_PROFILE) throw new MssFault('WRONG_PARAM', `SignatureProfile must be ${SHA256_HASH_PROFILE}.`);
    const format = child(request, 'MSS_Format');
    if (format && required(format, 'mssURI').text.trim() !== PKCS1_FORMAT) throw new MssFault('WRONG_PARAM', `MSS_Format must be ${PKCS1_FORMAT}.`);
    const earlier = byApTransId.get(apInfo.transId);
    const transaction = earlier !== undefined ? transactions.get(earlier)! : transactions.create({ protocol: 'mss', account: msisdn, key, display: displayed, names: ['DTBS'], hashes: [hash] });
    byApTransId.set(apInfo.transId, transaction.id);
    return soapReply(
      200,
      `<mss:MSS_SignatureResponse><mss:MSS_SignatureResp MajorVersion="1" MinorVersion="1" MSSP_TransID="${transaction.id}">${apInfo.xml}${msspInfo}${mobileUser(msisdn)}${statusXml('REQUEST_OK')}</mss:MSS_SignatureResp></mss:MSS_SignatureResponse>`,
    );
  }

  function statusQuery(request: XmlElement): ProtocolReply {
    const apInfo = checkedApInfo(request);
    const id = request.attributes['MSSP_TransID'] ?? '';
    const transaction = transactions.get(id);
    if (!transaction || transaction.protocol !== 'mss') throw new MssFault('WRONG_PARAM', `No transaction ${id}.`);
    const status = statusOf(transaction);
    const signatureXml = transaction.signatures ? `<mss:MSS_Signature><mss:Base64Signature>${transaction.signatures[0]!.toString('base64')}</mss:Base64Signature></mss:MSS_Signature>` : '';
    return soapReply(
      200,
      `<mss:MSS_StatusQueryResponse><mss:MSS_StatusResp MajorVersion="1" MinorVersion="1" MSSP_TransID="${transaction.id}">${apInfo.xml}${msspInfo}${mobileUser(transaction.account)}${signatureXml}${statusXml(status)}</mss:MSS_StatusResp></mss:MSS_StatusQueryResponse>`,
      { final: status !== 'OUTSTANDING_TRANSACTION' },
    );
  }

  return async (call) => {
    // Test setup only (MSS has no such call): the MSISDN's certificate and chain, DER in base64.
    if (call.route === '/certificate' && call.method === 'GET') {
      const key = IDENTITIES.msisdns[call.query.get('msisdn') ?? ''];
      if (!key) return jsonReply(404, { error: 'unknown MSISDN' });
      const { certificate, chain } = keys.keys[key];
      return jsonReply(200, [certificate, ...chain].map((der) => Buffer.from(der).toString('base64')));
    }
    if (call.route !== '' || call.method !== 'POST') return faultReply('soapenv:Client', 'WRONG_PARAM', `No MSS call ${call.method} ${call.route}.`, 404);
    try {
      const message = parseSoapBody(call.body.toString('utf8'));
      if (message.name === 'MSS_Signature') return signature(required(message, 'MSS_SignatureReq'));
      if (message.name === 'MSS_StatusQuery') return statusQuery(required(message, 'MSS_StatusReq'));
      throw new MssFault('WRONG_PARAM', `Unknown message ${message.name}.`);
    } catch (error) {
      if (error instanceof MssFault) return faultReply('soapenv:Client', error.status, error.message);
      throw error;
    }
  };
}

function statusOf(transaction: Transaction): StatusName {
  switch (transaction.state) {
    case 'approved':
      return 'SIGNATURE';
    case 'refused':
      return 'USER_CANCEL';
    case 'expired':
      return 'EXPIRED_TRANSACTION';
    case 'failed':
      return transaction.failure === 'pinBlocked' ? 'PIN_NR_BLOCKED' : 'OTA_ERROR';
    default:
      return 'OUTSTANDING_TRANSACTION';
  }
}
