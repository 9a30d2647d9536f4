// SIM PKI over ETSI TS 102 204 (Mobile Signature Service): the key is on the leader's SIM and the
// operator's gateway asks for the PIN on the phone. SOAP 1.1 over HTTPS with the agency's client
// certificate (mutual TLS); MSS_Signature in asynchClientServer mode starts a transaction and
// MSS_StatusQuery polls it. One hash per transaction: the standard signs one DTBS.
// See PROTOCOLS.md §3.
import { randomUUID } from 'node:crypto';
import sax from 'sax';
import { AppError } from '../../../common/errors.js';
import { agentFor, checkHashes, displayText, pollOptions, pollUntilDone, post, providerFailure, providerText, unreachable, type PostAnswer } from './http.js';
import type { PollOptions, RemoteIdentity, RemoteSignerClient } from './remoteSigner.js';
import { checkedSignatureValues, identityFromChain } from './signatureValue.js';

export interface MssIdentityConfig {
  /** The phone number in international form without "+", e.g. 84912345678. */
  msisdn: string;
  /** The SIM's certificate first, then its issuers (DER), as the administrator imported them. */
  certificateChainDer: Uint8Array[];
}

/** The agency's (the AP's) client certificate for mutual TLS, and the CA the gateway's certificate must chain to. */
export type MssTls = { ca?: string | Buffer; cert: string | Buffer; key: string | Buffer } | { ca?: string | Buffer; pfx: Buffer; passphrase: string };

export interface MssConfig {
  /** The gateway's endpoint, https only. */
  url: string;
  apId: string;
  apPassword: string;
  /** The MSSP's URI (MSSP_Info/MSSP_ID/URI). */
  msspId: string;
  identities: MssIdentityConfig[];
  tls: MssTls;
}

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const MSS_NS = 'http://uri.etsi.org/TS102204/v1.1.2#';
const SIGNATURE_PROFILE = 'http://mss.gov.vn/profiles/sha256-hash';
const MSS_FORMAT_PKCS1 = 'http://uri.etsi.org/TS102204/v1.1.2#PKCS1';
/** What a phone shows of DataToBeDisplayed. */
const DISPLAY_CHARS = 160;
/** Seconds the user has to enter the PIN (TimeOut of MSS_SignatureReq). */
const TIMEOUT_SECONDS = 300;

// ETSI TS 102 204 status codes (§6.2).
const REQUEST_OK = 100;
const UNAUTHORIZED_ACCESS = 104;
const UNKNOWN_CLIENT = 105;
const EXPIRED_TRANSACTION = 208;
const USER_CANCEL = 401;
const PIN_NR_BLOCKED = 402;
const SIGNATURE = 500;
const VALID_SIGNATURE = 502;
const OUTSTANDING_TRANSACTION = 504;

const PROTOCOL = 'mss';

export function createMssClient(config: MssConfig, poll?: PollOptions): RemoteSignerClient {
  const options = pollOptions(poll);
  const url = new URL(config.url);
  if (url.protocol !== 'https:') throw new AppError('INVALID_INPUT', 'The SIM PKI gateway is reached over https only (it needs the client certificate).', { protocol: PROTOCOL });
  const agent = agentFor(url, config.tls);

  const authFailed = () => new AppError('REMOTE_AUTH_FAILED', `The SIM PKI gateway (${url.host}) refused AP ${config.apId}.`, { protocol: PROTOCOL, host: url.host });

  /** The ETSI status (from a Status element or a SOAP Fault's detail) as its REMOTE_* error. */
  const statusError = (call: string, code: number, message: string, msisdn: string): AppError => {
    const said = providerText(message);
    switch (code) {
      case UNAUTHORIZED_ACCESS:
        return authFailed();
      case UNKNOWN_CLIENT:
        return new AppError('REMOTE_UNKNOWN_IDENTITY', `The SIM PKI gateway does not know MSISDN ${msisdn}.`, { protocol: PROTOCOL, providerCode: code });
      case USER_CANCEL:
        return new AppError('REMOTE_REFUSED', `The signer refused on the phone (${msisdn}).`, { protocol: PROTOCOL, providerCode: code });
      case PIN_NR_BLOCKED:
        return new AppError('REMOTE_PIN_BLOCKED', `The PIN of the SIM of ${msisdn} is blocked.`, { protocol: PROTOCOL, providerCode: code });
      case EXPIRED_TRANSACTION:
        return new AppError('REMOTE_EXPIRED', `The signature on the phone (${msisdn}) was not made in time.`, { protocol: PROTOCOL, providerCode: code });
      default:
        // WRONG_PARAM (101), OTA_ERROR (209) and the rest.
        return providerFailure(PROTOCOL, call, `status ${code}${said ? ` ${said}` : ''}`, { providerCode: code });
    }
  };

  /** Sends one SOAP message and gives the Body's first element; a Fault or a non-XML answer fails. */
  const soap = async (action: 'MSS_Signature' | 'MSS_StatusQuery', body: string, msisdn: string, signal: AbortSignal | undefined): Promise<XmlElement> => {
    const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_NS}" xmlns:mss="${MSS_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
    const answer: PostAnswer = await post({
      protocol: PROTOCOL,
      url,
      call: action,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"#${action}"` },
      body: envelope,
      timeoutMs: options.requestTimeoutMs,
      signal,
      agent,
    });
    // SOAP 1.1 sends a Fault with HTTP 500: read the body before blaming the provider's health.
    const document = readXml(answer.body);
    const bodyElement = document && document.uri === SOAP_NS && document.local === 'Envelope' ? document.children.find((c) => c.uri === SOAP_NS && c.local === 'Body') : undefined;
    const first = bodyElement?.children[0];
    if (!first) {
      if (answer.status >= 500) throw unreachable(PROTOCOL, url.host, action, `HTTP ${answer.status}`, answer.status);
      if (answer.status === 401 || answer.status === 403) throw authFailed();
      throw providerFailure(PROTOCOL, action, `its answer (HTTP ${answer.status}) is not a SOAP message`, { reason: 'answer-not-soap', status: answer.status });
    }
    if (first.uri === SOAP_NS && first.local === 'Fault') {
      const { code, text } = faultStatus(first);
      if (code === null) {
        if (answer.status >= 500 && /server/i.test(childText(first, 'faultcode'))) throw unreachable(PROTOCOL, url.host, action, `SOAP fault ${text}`, answer.status);
        throw providerFailure(PROTOCOL, action, `SOAP fault${text ? ` (${text})` : ''}`, { reason: 'soap-fault' });
      }
      throw statusError(action, code, text, msisdn);
    }
    if (answer.status !== 200) throw providerFailure(PROTOCOL, action, `HTTP ${answer.status}`, { status: answer.status });
    return first;
  };

  /** AP_Info with its own AP_TransID: every message from the AP carries a new one. */
  const apInfo = () =>
    `<mss:AP_Info AP_ID="${escapeXml(config.apId)}" AP_TransID="${escapeXml(`eoffice-${randomUUID()}`)}" AP_PWD="${escapeXml(config.apPassword)}" Instant="${instant(new Date())}"/>`;
  const msspInfo = () => `<mss:MSSP_Info><mss:MSSP_ID><mss:URI>${escapeXml(config.msspId)}</mss:URI></mss:MSSP_ID></mss:MSSP_Info>`;

  return {
    protocol: PROTOCOL,

    async listIdentities(account?: string): Promise<RemoteIdentity[]> {
      // MSS has no call that lists certificates: they are the ones the administrator configured.
      return config.identities.filter((i) => !account || i.msisdn === account).map((i) => identityFromChain(PROTOCOL, i.msisdn, i.certificateChainDer, 1));
    },

    async signHashes(identity, request): Promise<Uint8Array[]> {
      const { hashes, names, signal } = request;
      checkHashes(PROTOCOL, hashes, names, 1);
      const msisdn = identity.credentialId;
      const display = displayText(request.display, DISPLAY_CHARS);
      const signatureRequest =
        `<mss:MSS_Signature><mss:MSS_SignatureReq MajorVersion="1" MinorVersion="1" MessagingMode="asynchClientServer" TimeOut="${TIMEOUT_SECONDS}">` +
        apInfo() +
        msspInfo() +
        `<mss:MobileUser><mss:MSISDN>${escapeXml(msisdn)}</mss:MSISDN></mss:MobileUser>` +
        `<mss:DataToBeSigned MimeType="application/octet-stream" Encoding="base64">${Buffer.from(hashes[0]!).toString('base64')}</mss:DataToBeSigned>` +
        `<mss:DataToBeDisplayed MimeType="text/plain" Encoding="UTF-8">${escapeXml(display)}</mss:DataToBeDisplayed>` +
        `<mss:SignatureProfile><mss:mssURI>${SIGNATURE_PROFILE}</mss:mssURI></mss:SignatureProfile>` +
        `<mss:MSS_Format><mss:mssURI>${MSS_FORMAT_PKCS1}</mss:mssURI></mss:MSS_Format>` +
        `</mss:MSS_SignatureReq></mss:MSS_Signature>`;
      // Not retried on a network failure: a second request would make the phone ask twice.
      const response = find(await soap('MSS_Signature', signatureRequest, msisdn, signal), 'MSS_SignatureResp');
      const started = statusOf(response);
      if (started.code !== REQUEST_OK) throw statusError('MSS_Signature', started.code ?? -1, started.text, msisdn);
      const transactionId = response?.attributes.MSSP_TransID;
      if (!transactionId) throw providerFailure(PROTOCOL, 'MSS_Signature', 'no MSSP_TransID in its answer', { reason: 'no-transaction' });
      const expiresAt = new Date(Date.now() + TIMEOUT_SECONDS * 1000);
      request.onWaiting?.({ protocol: PROTOCOL, transactionId, display, hashes: 1, expiresAt });

      const signature = await pollUntilDone(PROTOCOL, options, expiresAt, signal, async () => {
        const query =
          `<mss:MSS_StatusQuery><mss:MSS_StatusReq MajorVersion="1" MinorVersion="1" MSSP_TransID="${escapeXml(transactionId)}">` +
          apInfo() +
          msspInfo() +
          `</mss:MSS_StatusReq></mss:MSS_StatusQuery>`;
        const status = find(await soap('MSS_StatusQuery', query, msisdn, signal), 'MSS_StatusResp');
        const { code, text } = statusOf(status);
        if (code === OUTSTANDING_TRANSACTION) return { done: false };
        if (code === SIGNATURE || code === VALID_SIGNATURE) return { done: true, value: find(find(status, 'MSS_Signature'), 'Base64Signature')?.text };
        throw statusError('MSS_StatusQuery', code ?? -1, text, msisdn);
      });
      return checkedSignatureValues(identity, hashes, [signature]);
    },
  };
}

// ---- the XML --------------------------------------------------------------------------------

/** For text and attribute values alike. */
function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** xs:dateTime in Vietnam's time (+07:00), as the gateways log it. */
function instant(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${local}+07:00`;
}

interface XmlElement {
  uri: string;
  local: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** The answer as a tree with namespaces resolved; null when it is not well-formed XML. sax reads no DTD, so no entity can expand. */
function readXml(bytes: Buffer): XmlElement | null {
  const parser = sax.parser(true, { xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failed = false;
  parser.onerror = () => {
    failed = true;
  };
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(qualified.attributes)) if (attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns') attributes[attribute.local] = attribute.value;
    const element: XmlElement = { uri: qualified.uri, local: qualified.local, attributes, text: '', children: [] };
    stack.at(-1)?.children.push(element);
    if (!root) root = element;
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  };
  try {
    parser.write(bytes.toString('utf8')).close();
  } catch {
    return null;
  }
  return failed ? null : root;
}

/** The first descendant (or the element itself) in the MSS namespace with this local name. */
function find(element: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!element) return undefined;
  if (element.uri === MSS_NS && element.local === local) return element;
  for (const child of element.children) {
    const found = find(child, local);
    if (found) return found;
  }
  return undefined;
}

function childText(element: XmlElement, local: string): string {
  return element.children.find((c) => c.local === local)?.text.trim() ?? '';
}

function statusOf(element: XmlElement | undefined): { code: number | null; text: string } {
  const status = find(element, 'Status');
  const value = find(status, 'StatusCode')?.attributes.Value;
  const code = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
  return { code, text: find(status, 'StatusMessage')?.text.trim() ?? '' };
}

/**
 * The ETSI status a SOAP Fault carries: a StatusCode in its detail, a numeric detail, or the
 * faultcode's subcode (mss:_104), whichever the gateway uses.
 */
function faultStatus(fault: XmlElement): { code: number | null; text: string } {
  const text = childText(fault, 'faultstring');
  const detail = fault.children.find((c) => c.local === 'detail');
  const fromStatus = statusOf(detail);
  if (fromStatus.code !== null) return { code: fromStatus.code, text: fromStatus.text || text };
  const numeric = detail && firstNumericText(detail);
  if (numeric !== null && numeric !== undefined) return { code: numeric, text };
  const subcode = /_(\d{3})\b/.exec(childText(fault, 'faultcode'));
  return { code: subcode ? Number(subcode[1]) : null, text };
}

function firstNumericText(element: XmlElement): number | null {
  const own = element.text.trim();
  if (/^\d{3}$/.test(own)) return Number(own);
  for (const child of element.children) {
    const found = firstNumericText(child);
    if (found !== null) return found;
  }
  return null;
}
