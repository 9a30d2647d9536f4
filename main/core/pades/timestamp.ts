// RFC 3161 timestamps for PAdES B-T: the signature value is hashed, sent to a timestamp
// authority, and the token it returns is added to the CMS as an unsigned attribute. A TSA that
// cannot be reached (a commune offline for days) is not a failure: the signature stays B-B and
// the caller says so; it can be upgraded later.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1 from 'asn1js';
import { AppError } from '../../common/errors.js';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';

export interface TimestampOptions {
  url: string;
  timeoutMs?: number;
}

export type TimestampOutcome = { status: 'stamped'; token: Uint8Array; time: string } | { status: 'unavailable'; reason: string };

function timeStampRequest(digest: Uint8Array, nonce: Uint8Array): ArrayBuffer {
  const request = new asn1.Sequence({
    value: [
      new asn1.Integer({ value: 1 }),
      new asn1.Sequence({
        value: [new asn1.Sequence({ value: [new asn1.ObjectIdentifier({ value: SHA256 }), new asn1.Null()] }), new asn1.OctetString({ valueHex: digest })],
      }),
      new asn1.Integer({ valueHex: nonce }),
      new asn1.Boolean({ value: true }), // certReq: the TSA's certificate comes with the token
    ],
  });
  return request.toBER();
}

function parse(der: Uint8Array, what: string): asn1.AsnType {
  const parsed = asn1.fromBER(der);
  if (parsed.offset === -1) throw new AppError('INTERNAL', `The timestamp authority sent an unreadable ${what}.`);
  return parsed.result;
}

function children(node: asn1.AsnType): asn1.AsnType[] {
  return (node as asn1.Sequence).valueBlock.value as asn1.AsnType[];
}

function bytesEqual(a: ArrayBuffer | Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(Buffer.from(b));
}

/** Checks the answer is a token for this digest and this nonce, and returns it with its time. */
export function readTimeStampResponse(der: Uint8Array, digest: Uint8Array, nonce: Uint8Array): { token: Uint8Array; time: string } {
  const [statusInfo, token] = children(parse(der, 'answer'));
  const status = (children(statusInfo!)[0] as asn1.Integer).valueBlock.valueDec;
  // 0 granted, 1 granted with modifications; anything else is a refusal.
  if (status !== 0 && status !== 1) throw new AppError('INTERNAL', `The timestamp authority refused the request (status ${status}).`);
  if (!token) throw new AppError('INTERNAL', 'The timestamp authority answered without a token.');
  const [contentType, content] = children(token);
  if ((contentType as asn1.ObjectIdentifier).valueBlock.toString() !== ID_SIGNED_DATA) throw new AppError('INTERNAL', 'The timestamp token is not CMS SignedData.');
  const signedData = children(children(content!)[0]!);
  const encap = children(signedData[2]!);
  if ((encap[0] as asn1.ObjectIdentifier).valueBlock.toString() !== ID_CT_TSTINFO) throw new AppError('INTERNAL', 'The timestamp token does not carry TSTInfo.');
  const eContent = children(encap[1]!)[0] as asn1.OctetString;
  const tstInfoDer = eContent.valueBlock.isConstructed
    ? Buffer.concat((eContent.valueBlock.value as asn1.OctetString[]).map((p) => Buffer.from(p.valueBlock.valueHexView)))
    : Buffer.from(eContent.valueBlock.valueHexView);
  const tstInfo = children(parse(tstInfoDer, 'TSTInfo'));
  const imprint = children(tstInfo[2]!);
  if (!bytesEqual((imprint[1] as asn1.OctetString).valueBlock.valueHexView, digest)) throw new AppError('INTERNAL', 'The timestamp token is for another document.');
  const time = (tstInfo[4] as asn1.GeneralizedTime).toDate().toISOString();
  const nonceField = tstInfo.slice(5).find((n) => n instanceof asn1.Integer) as asn1.Integer | undefined;
  if (!nonceField || !bytesEqual(nonceField.valueBlock.valueHexView, new Uint8Array(new asn1.Integer({ valueHex: nonce }).valueBlock.valueHexView))) {
    throw new AppError('INTERNAL', 'The timestamp token does not answer this request (nonce mismatch).');
  }
  return { token: new Uint8Array(token.toBER()), time };
}

/** Asks the TSA for a token over `signatureValue` (the CMS SignerInfo signature, as B-T requires). */
export async function requestTimestamp(signatureValue: Uint8Array, options: TimestampOptions): Promise<TimestampOutcome> {
  const digest = new Uint8Array(createHash('sha256').update(signatureValue).digest());
  const nonce = randomBytes(8);
  // A positive INTEGER in minimal DER: the first byte neither zero nor with its high bit set
  // (a TSA rejects "00 7f …" as badly encoded, and "80 …" would be negative).
  nonce[0] = (nonce[0]! & 0x7f) | 0x01;
  let answer: Uint8Array;
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: timeStampRequest(digest, nonce),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (!response.ok) return { status: 'unavailable', reason: `the timestamp authority answered HTTP ${response.status}` };
    answer = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    return { status: 'unavailable', reason: `the timestamp authority cannot be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})` };
  }
  return { status: 'stamped', ...readTimeStampResponse(answer, digest, nonce) };
}
