// Whether a certificate has been revoked, from the services its certificate names: OCSP (RFC
// 6960, from the authority information access) and CRLs (RFC 5280, from the CRL distribution
// points), over http(s) as those services are published. Offline-first: every answer is kept
// in <dataDir>/revocation-cache/ as the signed bytes the CA published, and read back through the
// same checks, so a cache file that was altered is simply not an answer. A fresh cached answer is
// used without asking the network; a cached answer past its nextUpdate is used when nothing newer
// can be had, and said to be stale. With no answer at all the status is 'unknown', never 'good'.
//
// The URLs come from certificates, so asking them is a request the document's sender chose: only
// certificates on a trusted path are checked at all (report.ts), and a service is asked only at a
// public internet address (isPublicAddress), the one connected to being the one checked. The
// network gets one time budget per checker (one validation: a clerk is waiting), name resolution
// included, and a host that could not be reached is not asked again within it.
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import * as asn1 from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CertificateList, CRLReason, CRLReasons, IssuingDistributionPoint, id_ce_cRLReasons, id_ce_deltaCRLIndicator, id_ce_issuingDistributionPoint, id_ce_cRLNumber, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest, id_kp_OCSPSigning, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { OctetString } from '@peculiar/asn1-schema';
import { toVnIso } from '../../common/dates.js';
import type { RevocationGap, RevocationResult } from '../../common/validation.js';
import { canSignCrls, childrenOf, derNode, readCertificate, sameSerial, sha256Hex, signedBy, type CertificateView } from './certificates.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface RevocationOptions {
  /** The data directory; answers are cached in its revocation-cache folder. */
  dataDir: string;
  /** Whether the network may be asked. Offline, only cached answers count and nothing is even looked up. */
  online: boolean;
  /** Per request: name resolution, connection and answer together. */
  timeoutMs?: number;
  /** All the requests of this checker together, counted from the first; what is left when it runs out is not asked. */
  budgetMs?: number;
  /**
   * Which resolved addresses a service may be reached at: isPublicAddress unless given. Tests
   * allow their 127.0.0.1 server through it; shipped code keeps the default.
   */
  addressAllowed?: (address: string) => boolean;
  /** Name resolution, every address of a host: dns.lookup unless given (tests count the calls). */
  lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export interface RevocationChecker {
  /** The status of `certificate`, issued by `issuer`, as known at `now`. */
  check(certificate: CertificateView, issuer: CertificateView, now: Date): Promise<RevocationResult>;
}

interface Answer {
  status: 'good' | 'revoked';
  source: 'ocsp' | 'crl';
  url: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revokedAt: Date | null;
  revocationReason: string | null;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_BUDGET_MS = 30_000;
/** How far a CA's clock may run ahead of ours before its thisUpdate is refused as future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CRL_BYTES = 64 << 20;
const MAX_OCSP_BYTES = 1 << 20;
const SHA1 = '1.3.14.3.2.26';
const HASH_NAMES: Record<string, string> = { [SHA1]: 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };

/** The reason an answer cannot be used; the message says which and why. */
class Unusable extends Error {}
/** No answer: the name did not resolve, the connection failed, or time ran out. */
class Unreachable extends Error {}
/** The service was not asked: not http(s), or not at a public internet address. */
class NotAsked extends Error {}

/** When several services failed differently, the gap said is the first of these that happened. */
const GAP_ORDER: RevocationGap[] = ['unusable-answer', 'unreachable', 'no-service'];

function gapOf(error: unknown): RevocationGap {
  if (error instanceof NotAsked) return 'no-service';
  if (error instanceof Unreachable) return 'unreachable';
  return 'unusable-answer';
}

export function openRevocationChecker(options: RevocationOptions): RevocationChecker {
  const cacheDir = path.join(options.dataDir, 'revocation-cache');
  const network = openNetwork(options);

  return {
    async check(certificate, issuer, now) {
      const problems: string[] = [];
      const ocspUrls = certificate.ocspUrls;
      const crlUrls = certificate.crlUrls;
      if (ocspUrls.length === 0 && crlUrls.length === 0) return unknown(['the certificate names no OCSP service and no CRL'], 'no-service');

      const ocspFile = (url: string) => path.join(cacheDir, `ocsp-${sha256Hex(`${url} ${Buffer.from(issuer.publicKeyBits).toString('hex')} ${certificate.serialNumber}`)}.der`);
      const crlFile = (url: string) => path.join(cacheDir, `crl-${sha256Hex(url)}.der`);
      const cachedAnswers: Answer[] = [];
      const fromCache = (file: string, url: string, read: (der: Uint8Array) => Answer) => {
        let der: Uint8Array;
        try {
          der = new Uint8Array(fs.readFileSync(file));
        } catch {
          return;
        }
        try {
          cachedAnswers.push(read(der));
        } catch (error) {
          problems.push(`the cached answer from ${url} cannot be used: ${(error as Error).message}`);
        }
      };
      for (const url of ocspUrls) fromCache(ocspFile(url), url, (der) => readOcspResponse(der, url, certificate, issuer, now));
      for (const url of crlUrls) fromCache(crlFile(url), url, (der) => readCrl(der, url, certificate, issuer, now));

      // A revocation outweighs a 'good' from another service.
      const fresh = cachedAnswers.filter((answer) => !isStale(answer, now)).sort((a, b) => Number(b.status === 'revoked') - Number(a.status === 'revoked'))[0];
      if (fresh) return result(fresh, { cached: true, stale: false, problems, unavailableBecause: null });

      const gaps = new Set<RevocationGap>();
      if (options.online) {
        for (const url of ocspUrls) {
          try {
            const der = await network.ask(url, ocspRequest(certificate, issuer), 'application/ocsp-request', MAX_OCSP_BYTES);
            const answer = readOcspResponse(der, url, certificate, issuer, now);
            keep(cacheDir, ocspFile(url), der);
            return result(answer, { cached: false, stale: false, problems, unavailableBecause: null });
          } catch (error) {
            problems.push(`OCSP ${url}: ${(error as Error).message}`);
            gaps.add(gapOf(error));
          }
        }
        for (const url of crlUrls) {
          try {
            const der = await network.ask(url, null, null, MAX_CRL_BYTES);
            const answer = readCrl(der, url, certificate, issuer, now);
            keep(cacheDir, crlFile(url), der);
            // A CRL past its nextUpdate as the CA publishes it: the newest there is, so no gap to name.
            return result(answer, { cached: false, stale: isStale(answer, now), problems, unavailableBecause: null });
          } catch (error) {
            problems.push(`CRL ${url}: ${(error as Error).message}`);
            gaps.add(gapOf(error));
          }
        }
      } else {
        problems.push('offline: no OCSP service or CRL was asked');
      }
      const unavailableBecause: RevocationGap = options.online ? (GAP_ORDER.find((gap) => gaps.has(gap)) ?? 'unreachable') : 'offline';

      // Nothing fresh: the newest stale answer, said to be stale.
      const newest = cachedAnswers.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
      if (newest) return result(newest, { cached: true, stale: true, problems, unavailableBecause });
      return unknown(problems.length > 0 ? problems : ['no revocation answer is available'], unavailableBecause);
    },
  };
}

function isStale(answer: Answer, now: Date): boolean {
  // An OCSP answer without nextUpdate says newer information is always available (RFC 6960
  // §4.2.2.1): it is fresh only when just fetched.
  return answer.nextUpdate === null || now.getTime() > answer.nextUpdate.getTime();
}

function unknown(problems: string[], unavailableBecause: RevocationGap): RevocationResult {
  return { status: 'unknown', source: null, url: null, cached: false, stale: false, thisUpdate: null, nextUpdate: null, revokedAt: null, revocationReason: null, problems, unavailableBecause };
}

function result(answer: Answer, how: { cached: boolean; stale: boolean; problems: string[]; unavailableBecause: RevocationGap | null }): RevocationResult {
  return {
    status: answer.status,
    source: answer.source,
    url: answer.url,
    cached: how.cached,
    stale: how.stale,
    thisUpdate: toVnIso(answer.thisUpdate),
    nextUpdate: answer.nextUpdate ? toVnIso(answer.nextUpdate) : null,
    revokedAt: answer.revokedAt ? toVnIso(answer.revokedAt) : null,
    revocationReason: answer.revocationReason,
    problems: how.problems,
    unavailableBecause: how.unavailableBecause,
  };
}

function checkThisUpdate(thisUpdate: Date, now: Date): void {
  if (thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new Unusable(`it claims to be from ${toVnIso(thisUpdate)}, in the future`);
}

// ---- CRL ----------------------------------------------------------------------------------

function readCrl(der: Uint8Array, url: string, certificate: CertificateView, issuer: CertificateView, now: Date): Answer {
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new Unusable(`it is not a CRL (${(error as Error).message})`);
  }
  const tbs = crl.tbsCertList;
  if (!Buffer.from(crlIssuerName(der)).equals(Buffer.from(issuer.subjectNameDer))) throw new Unusable(`the CRL was issued by another CA than "${issuer.subject}"`);
  if (!canSignCrls(issuer)) throw new Unusable(`"${issuer.subject}" may not sign CRLs (keyUsage)`);
  if (!crl.tbsCertListRaw || !signedBy(new Uint8Array(crl.tbsCertListRaw), crl.signatureAlgorithm, new Uint8Array(crl.signature), issuer.x509.publicKey)) {
    throw new Unusable(`the CRL's signature does not verify with the key of "${issuer.subject}"`);
  }
  for (const extension of tbs.crlExtensions ?? []) {
    if (extension.extnID === id_ce_deltaCRLIndicator) throw new Unusable('it is a delta CRL, which lists only changes');
    if (extension.extnID === id_ce_issuingDistributionPoint) {
      const scope = AsnConvert.parse(extension.extnValue.buffer, IssuingDistributionPoint);
      if (scope.indirectCRL || scope.onlySomeReasons || scope.onlyContainsAttributeCerts) throw new Unusable('it is a partial or indirect CRL');
      if (scope.onlyContainsUserCerts && certificate.isCa) throw new Unusable('it covers end-entity certificates only');
      if (scope.onlyContainsCACerts && !certificate.isCa) throw new Unusable('it covers CA certificates only');
    } else if (extension.critical && extension.extnID !== id_ce_cRLNumber && extension.extnID !== id_ce_authorityKeyIdentifier) {
      // RFC 5280 §5.2: a CRL with a critical extension the reader does not know must not be used.
      throw new Unusable(`it has an unknown critical extension ${extension.extnID}`);
    }
  }
  const thisUpdate = tbs.thisUpdate.getTime();
  checkThisUpdate(thisUpdate, now);
  const base = { source: 'crl' as const, url, thisUpdate, nextUpdate: tbs.nextUpdate?.getTime() ?? null };
  for (const entry of tbs.revokedCertificates ?? []) {
    if (!sameSerial(new Uint8Array(entry.userCertificate), certificate.serialBytes)) continue;
    const reasonExtension = entry.crlEntryExtensions?.find((extension) => extension.extnID === id_ce_cRLReasons);
    const reason = reasonExtension ? AsnConvert.parse(reasonExtension.extnValue.buffer, CRLReason).reason : null;
    // removeFromCRL belongs to delta CRLs: in a full CRL it takes a held certificate off the list.
    if (reason === CRLReasons.removeFromCRL) break;
    return { ...base, status: 'revoked', revokedAt: entry.revocationDate.getTime(), revocationReason: reason === null ? null : CRLReasons[reason] ?? String(reason) };
  }
  return { ...base, status: 'good', revokedAt: null, revocationReason: null };
}

/** The CRL's issuer Name as encoded: compared byte for byte with the CA's subject. */
function crlIssuerName(der: Uint8Array): Uint8Array {
  const tbs = childrenOf(childrenOf(derNode(der))[0]!);
  // TBSCertList: version (optional INTEGER), signature, issuer, …
  const at = tbs[0] instanceof asn1.Integer ? 1 : 0;
  return new Uint8Array(tbs[at + 1]!.valueBeforeDecodeView);
}

// ---- OCSP ---------------------------------------------------------------------------------

/** A request for one certificate, without a nonce so that the answer may be cached (RFC 5019). */
function ocspRequest(certificate: CertificateView, issuer: CertificateView): Uint8Array {
  const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId(SHA1, certificate, issuer) })] }) });
  return new Uint8Array(AsnConvert.serialize(request));
}

function certId(hashOid: string, certificate: CertificateView, issuer: CertificateView): CertID {
  const hash = (bytes: Uint8Array) => new OctetString(createHash(HASH_NAMES[hashOid]!).update(bytes).digest());
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid, parameters: null }),
    issuerNameHash: hash(issuer.subjectNameDer),
    issuerKeyHash: hash(issuer.publicKeyBits),
    serialNumber: certificate.serialBytes.slice().buffer,
  });
}

function readOcspResponse(der: Uint8Array, url: string, certificate: CertificateView, issuer: CertificateView, now: Date): Answer {
  let basic: BasicOCSPResponse;
  let basicDer: Uint8Array;
  try {
    const response = AsnConvert.parse(der, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful) throw new Unusable(`the responder answered ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`);
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) throw new Unusable('the answer is not a basic OCSP response');
    basicDer = new Uint8Array(response.responseBytes.response.buffer);
    basic = AsnConvert.parse(basicDer, BasicOCSPResponse);
  } catch (error) {
    if (error instanceof Unusable) throw error;
    throw new Unusable(`it is not an OCSP response (${(error as Error).message})`);
  }
  if (!basic.tbsResponseDataRaw) throw new Unusable('the response data cannot be read');
  const signed = new Uint8Array(basic.tbsResponseDataRaw);
  const signature = new Uint8Array(basic.signature);
  // The responder is the CA itself or a certificate the CA issued for OCSP signing (RFC 6960
  // §4.2.2.2). Which one the responderID names is a hint only; the signature decides.
  const responder = [issuer, ...responseCertificates(basicDer)].find((candidate) => authorizedResponder(candidate, issuer, now) && signedBy(signed, basic.signatureAlgorithm, signature, candidate.x509.publicKey));
  if (!responder) throw new Unusable(`the response is not signed by "${issuer.subject}" or a responder it authorised`);

  for (const single of basic.tbsResponseData.responses) {
    const hashOid = single.certID.hashAlgorithm.algorithm;
    if (!HASH_NAMES[hashOid]) continue;
    const expected = certId(hashOid, certificate, issuer);
    const same = (a: OctetString, b: OctetString) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
    if (!same(single.certID.issuerNameHash, expected.issuerNameHash) || !same(single.certID.issuerKeyHash, expected.issuerKeyHash) || !sameSerial(new Uint8Array(single.certID.serialNumber), certificate.serialBytes)) continue;
    checkThisUpdate(single.thisUpdate, now);
    const base = { source: 'ocsp' as const, url, thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate ?? null };
    if (single.certStatus.revoked) {
      const reason = single.certStatus.revoked.revocationReason?.reason;
      return { ...base, status: 'revoked', revokedAt: single.certStatus.revoked.revocationTime, revocationReason: reason === undefined ? null : CRLReasons[reason] ?? String(reason) };
    }
    if (single.certStatus.unknown !== undefined) throw new Unusable('the responder does not know the certificate');
    return { ...base, status: 'good', revokedAt: null, revocationReason: null };
  }
  throw new Unusable('the response does not speak of this certificate');
}

function authorizedResponder(candidate: CertificateView, issuer: CertificateView, now: Date): boolean {
  if (candidate.fingerprint256 === issuer.fingerprint256) return true;
  return (
    candidate.extendedKeyUsage?.includes(id_kp_OCSPSigning) === true &&
    candidate.x509.checkIssued(issuer.x509) &&
    candidate.x509.verify(issuer.x509.publicKey) &&
    now.getTime() >= candidate.notBefore.getTime() &&
    now.getTime() <= candidate.notAfter.getTime()
  );
}

/** The certificates a BasicOCSPResponse carries, as encoded (re-encoding would break their signatures). */
function responseCertificates(basicDer: Uint8Array): CertificateView[] {
  const certs = childrenOf(derNode(basicDer)).find((node) => node.idBlock.tagClass === 3 && node.idBlock.tagNumber === 0);
  if (!certs) return [];
  return childrenOf(childrenOf(certs)[0]!).flatMap((node) => {
    try {
      return [readCertificate(new Uint8Array(node.valueBeforeDecodeView))];
    } catch {
      return [];
    }
  });
}

// ---- The network and the cache ----------------------------------------------------------

/**
 * Addresses that are not the public internet (IANA special-purpose registries): loopback,
 * private, shared (CGNAT), link-local, unspecified, documentation, benchmarking, multicast,
 * reserved, unique-local and deprecated site-local. IPv4-mapped IPv6 addresses are judged as
 * the IPv4 address they carry.
 */
const NOT_PUBLIC = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv6');
}

/** Whether `address` (an IP address, not a name) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const systemLookup = (hostname: string): Promise<readonly ResolvedAddress[]> => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Requests for one checker: its time budget, its address policy, the hosts already found unreachable. */
function openNetwork(options: RevocationOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const addressAllowed = options.addressAllowed ?? isPublicAddress;
  const lookup = options.lookup ?? systemLookup;
  let deadline: number | null = null;
  // Every signature of a document names the same few hosts: each is looked up once, and one that
  // failed is not waited on again.
  const addresses = new Map<string, Promise<ResolvedAddress>>();
  const failedHosts = new Map<string, Error>();

  async function addressOf(host: string): Promise<ResolvedAddress> {
    const family = net.isIP(host);
    let found: readonly ResolvedAddress[];
    if (family !== 0) {
      found = [{ address: host, family }];
    } else {
      try {
        found = await lookup(host);
      } catch (error) {
        throw new Unreachable(`${host} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      if (found.length === 0) throw new Unreachable(`${host} has no address`);
    }
    const allowed = found.find((candidate) => addressAllowed(candidate.address));
    if (!allowed) throw new NotAsked(`${family !== 0 ? host : `${host} is at ${found.map((a) => a.address).join(', ')}`}: not a public internet address, so it is not asked`);
    return allowed;
  }

  return {
    /** A GET (no body) or a POST to `url`, answered 200 within the time left and the size limit. */
    async ask(url: string, body: Uint8Array | null, contentType: string | null, maxBytes: number): Promise<Uint8Array> {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        throw new NotAsked('not a URL');
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new NotAsked('only http and https services are asked');
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      const earlier = failedHosts.get(host);
      if (earlier) throw earlier;
      deadline ??= Date.now() + budgetMs;
      const limit = Math.min(timeoutMs, deadline - Date.now());
      if (limit <= 0) throw new Unreachable(`not asked: the ${budgetMs} ms allowed for revocation checks are used up`);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), limit);
      const late = () => new Unreachable(`no answer within ${limit} ms`);
      try {
        let address = addresses.get(host);
        if (!address) addresses.set(host, (address = addressOf(host)));
        address.catch(() => undefined);
        const connectTo = await Promise.race([
          address,
          new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(late()), { once: true })),
        ]);
        return await exchange(target, connectTo, body, contentType, maxBytes, controller.signal, late);
      } catch (error) {
        if (error instanceof Unreachable || error instanceof NotAsked) failedHosts.set(host, error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** One request, connected to `address` whatever the host name would resolve to by now. */
function exchange(target: URL, address: ResolvedAddress, body: Uint8Array | null, contentType: string | null, maxBytes: number, signal: AbortSignal, late: () => Error): Promise<Uint8Array> {
  const pinned: net.LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      // What a service said (status, size) makes its answer unusable; anything else means no answer.
      reject(signal.aborted ? late() : error instanceof Unusable ? error : new Unreachable(error.message));
    };
    const request = client.request(target, { method: body ? 'POST' : 'GET', headers: body ? { 'Content-Type': contentType!, 'Content-Length': body.length } : {}, lookup: pinned, signal }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        fail(new Unusable(`HTTP ${response.statusCode}`));
        return;
      }
      if (Number(response.headers['content-length']) > maxBytes) {
        request.destroy(new Unusable(`the answer is larger than ${maxBytes} bytes`));
        return;
      }
      const parts: Buffer[] = [];
      let size = 0;
      response.on('data', (part: Buffer) => {
        size += part.length;
        if (size > maxBytes) request.destroy(new Unusable(`the answer is larger than ${maxBytes} bytes`));
        else parts.push(part);
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(new Uint8Array(Buffer.concat(parts)));
      });
      response.on('error', fail);
    });
    request.on('error', fail);
    request.end(body ?? undefined);
  });
}

/** Whole file or nothing (temporary name, then rename): a half-written answer would be no answer. */
function keep(cacheDir: string, file: string, der: Uint8Array): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, der);
    fs.renameSync(tmp, file);
  } catch {
    // The answer was good and is used; failing to keep it only costs a fetch next time.
    fs.rmSync(tmp, { force: true });
  }
}
