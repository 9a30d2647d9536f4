// The CMS SignedData inside a PAdES signature (SubFilter ETSI.CAdES.detached), at the level
// ETSI EN 319 142-1 calls baseline B-B: detached content, SHA-256, and exactly the signed
// attributes content-type, message-digest and signing-certificate-v2. There is no signing-time
// attribute: B-B puts the time in the signature dictionary's /M instead.
//
// The ASN.1 is described with @peculiar/asn1-schema. Certificates, the issuer Name and the
// attributes are carried as opaque DER (ANY) rather than through the library's X.509 model: real
// Vietnamese CA certificates mix PrintableString, UTF8String and other string types, and
// re-encoding a Name or a certificate from a decoded model could change bytes that a verifier
// compares (the sid against the certificate's issuer) or that are signed (the certificate).
import { createHash, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  AsnArray,
  AsnConvert,
  AsnIntegerArrayBufferConverter,
  AsnParser,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
} from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  Attribute,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  id_contentType,
  id_data,
  id_messageDigest,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AppError } from '../../common/errors.js';
import type { SigningKey } from '../token/signingKey.js';

export const CMS_OIDS = {
  data: id_data,
  signedData: id_signedData,
  contentType: id_contentType,
  messageDigest: id_messageDigest,
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export interface BuildSignedDataOptions {
  /** More certificates to carry (e.g. the rest of the chain up to the root); duplicates are dropped. */
  extraCertificates?: Uint8Array[];
}

export interface ParsedAttribute {
  type: string;
  /** Each value's DER, verbatim. */
  values: Uint8Array[];
}

export interface ParsedSigningCertificateV2 {
  /** SHA-256 when the ESSCertIDv2 leaves the algorithm out (its default). */
  hashAlgorithm: string;
  certHash: Uint8Array;
  /** The issuerSerial, when present: the issuer GeneralNames DER and the serial number's content octets. */
  issuerSerial?: { issuer: Uint8Array; serialNumber: Uint8Array };
}

export type ParsedSignerIdentifier =
  | { issuer: Uint8Array; serialNumber: Uint8Array }
  | { subjectKeyIdentifier: Uint8Array };

export interface ParsedSignedData {
  version: number;
  digestAlgorithms: string[];
  eContentType: string;
  /** False for a detached signature, which is what PAdES requires. */
  hasEContent: boolean;
  /** Every certificate in the SignedData, DER, verbatim and in encoded order. */
  certificates: Uint8Array[];
  signerInfoVersion: number;
  /** For issuerAndSerialNumber: the issuer Name DER verbatim and the serial's content octets. */
  sid: ParsedSignerIdentifier;
  digestAlgorithm: string;
  signedAttributes: ParsedAttribute[];
  signedAttributeOids: string[];
  /** The signed attributes as the signature covers them: the embedded [0] bytes with the SET tag 0x31. */
  signedAttributesDer?: Uint8Array;
  contentType?: string;
  messageDigest?: Uint8Array;
  signingCertificateV2?: ParsedSigningCertificateV2;
  signatureAlgorithm: string;
  signature: Uint8Array;
  unsignedAttributes: ParsedAttribute[];
  unsignedAttributeOids: string[];
  /** The values of every id-aa-timeStampToken unsigned attribute (each a ContentInfo DER). */
  timestampTokens: Uint8Array[];
}

// ---- ASN.1 schema -------------------------------------------------------------------------
// The library's decorators are legacy (experimentalDecorators) decorators and this project
// compiles standard ones, so they are applied as plain function calls. Property order in the
// table is the encoding order.

type PropOptions = Parameters<typeof AsnProp>[0];

function defineSchema<T extends object>(target: new () => T, type: AsnTypeTypes, props: { [K in keyof T & string]?: PropOptions }): void {
  AsnType({ type })(target);
  for (const [name, options] of Object.entries(props) as [string, PropOptions][]) AsnProp(options)(target.prototype, name);
}

/** SET OF ANY: certificates, CRLs and attributes, each kept as its own DER. */
class DerSetOf extends AsnArray<ArrayBuffer> {}
AsnType({ type: AsnTypeTypes.Set, itemType: AsnPropTypes.Any })(DerSetOf);

class ObjectIdentifierValue {
  value = '';
}
defineSchema(ObjectIdentifierValue, AsnTypeTypes.Choice, { value: { type: AsnPropTypes.ObjectIdentifier } });

class OctetStringValue {
  value = new ArrayBuffer(0);
}
defineSchema(OctetStringValue, AsnTypeTypes.Choice, { value: { type: AsnPropTypes.OctetString } });

/** Just enough of a certificate to read its serial number and issuer Name verbatim. */
class TbsCertificateOutline {
  version?: ArrayBuffer;
  serialNumber = new ArrayBuffer(0);
  signature = new ArrayBuffer(0);
  issuer = new ArrayBuffer(0);
  validity = new ArrayBuffer(0);
  subject = new ArrayBuffer(0);
  subjectPublicKeyInfo = new ArrayBuffer(0);
  issuerUniqueID?: ArrayBuffer;
  subjectUniqueID?: ArrayBuffer;
  extensions?: ArrayBuffer;
}
defineSchema(TbsCertificateOutline, AsnTypeTypes.Sequence, {
  version: { type: AsnPropTypes.Any, context: 0, optional: true },
  serialNumber: { type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter },
  signature: { type: AsnPropTypes.Any },
  issuer: { type: AsnPropTypes.Any },
  validity: { type: AsnPropTypes.Any },
  subject: { type: AsnPropTypes.Any },
  subjectPublicKeyInfo: { type: AsnPropTypes.Any },
  issuerUniqueID: { type: AsnPropTypes.BitString, context: 1, implicit: true, optional: true },
  subjectUniqueID: { type: AsnPropTypes.BitString, context: 2, implicit: true, optional: true },
  extensions: { type: AsnPropTypes.Any, context: 3, optional: true },
});

class CertificateOutline {
  tbsCertificate = new TbsCertificateOutline();
  signatureAlgorithm = new ArrayBuffer(0);
  signatureValue = new ArrayBuffer(0);
}
defineSchema(CertificateOutline, AsnTypeTypes.Sequence, {
  tbsCertificate: { type: TbsCertificateOutline },
  signatureAlgorithm: { type: AsnPropTypes.Any },
  signatureValue: { type: AsnPropTypes.Any },
});

class IssuerAndSerialNumber {
  issuer = new ArrayBuffer(0);
  serialNumber = new ArrayBuffer(0);
}
defineSchema(IssuerAndSerialNumber, AsnTypeTypes.Sequence, {
  issuer: { type: AsnPropTypes.Any },
  serialNumber: { type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter },
});

class SignerIdentifier {
  subjectKeyIdentifier?: ArrayBuffer;
  issuerAndSerialNumber?: IssuerAndSerialNumber;
}
// The [0] alternative comes first: a choice's untagged SEQUENCE alternative is matched as ANY
// while parsing and would otherwise also swallow a subjectKeyIdentifier.
defineSchema(SignerIdentifier, AsnTypeTypes.Choice, {
  subjectKeyIdentifier: { type: AsnPropTypes.OctetString, context: 0, implicit: true },
  issuerAndSerialNumber: { type: IssuerAndSerialNumber },
});

class SignerInfo {
  version = 1;
  sid = new SignerIdentifier();
  digestAlgorithm = new AlgorithmIdentifier();
  signedAttrs?: DerSetOf;
  /** Set by the parser: the [0] element exactly as it was read. */
  signedAttrsRaw?: ArrayBuffer | ArrayBufferView;
  signatureAlgorithm = new AlgorithmIdentifier();
  signature = new ArrayBuffer(0);
  unsignedAttrs?: DerSetOf;
}
defineSchema(SignerInfo, AsnTypeTypes.Sequence, {
  version: { type: AsnPropTypes.Integer },
  sid: { type: SignerIdentifier },
  digestAlgorithm: { type: AlgorithmIdentifier },
  signedAttrs: { type: DerSetOf, context: 0, implicit: true, optional: true, raw: true },
  signatureAlgorithm: { type: AlgorithmIdentifier },
  signature: { type: AsnPropTypes.OctetString },
  unsignedAttrs: { type: DerSetOf, context: 1, implicit: true, optional: true },
});

class SignerInfos extends AsnArray<SignerInfo> {}
AsnType({ type: AsnTypeTypes.Set, itemType: SignerInfo })(SignerInfos);

class SignedData {
  version = 1;
  digestAlgorithms = new DigestAlgorithmIdentifiers();
  encapContentInfo = new EncapsulatedContentInfo();
  certificates?: DerSetOf;
  crls?: DerSetOf;
  signerInfos = new SignerInfos();
}
defineSchema(SignedData, AsnTypeTypes.Sequence, {
  version: { type: AsnPropTypes.Integer },
  digestAlgorithms: { type: DigestAlgorithmIdentifiers },
  encapContentInfo: { type: EncapsulatedContentInfo },
  certificates: { type: DerSetOf, context: 0, implicit: true, optional: true },
  crls: { type: DerSetOf, context: 1, implicit: true, optional: true },
  signerInfos: { type: SignerInfos },
});

// RFC 5035: SigningCertificateV2 and the ESSCertIDv2 that names the signer's certificate.
class EssIssuerSerial {
  /** GeneralNames, kept as DER so a parsed one can hold any kind of name. */
  issuer = new ArrayBuffer(0);
  serialNumber = new ArrayBuffer(0);
}
defineSchema(EssIssuerSerial, AsnTypeTypes.Sequence, {
  issuer: { type: AsnPropTypes.Any },
  serialNumber: { type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter },
});

class EssCertIdV2 {
  hashAlgorithm?: AlgorithmIdentifier;
  certHash = new ArrayBuffer(0);
  issuerSerial?: EssIssuerSerial;
}
defineSchema(EssCertIdV2, AsnTypeTypes.Sequence, {
  hashAlgorithm: { type: AlgorithmIdentifier, optional: true },
  certHash: { type: AsnPropTypes.OctetString },
  issuerSerial: { type: EssIssuerSerial, optional: true },
});

class EssCertIdV2List extends AsnArray<EssCertIdV2> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: EssCertIdV2 })(EssCertIdV2List);

class SigningCertificateV2 {
  certs = new EssCertIdV2List();
  policies?: ArrayBuffer;
}
defineSchema(SigningCertificateV2, AsnTypeTypes.Sequence, {
  certs: { type: EssCertIdV2List },
  policies: { type: AsnPropTypes.Any, optional: true },
});

/** A GeneralName of the directoryName kind: [4] EXPLICIT, because Name is itself a CHOICE. */
class DirectoryGeneralName {
  directoryName = new ArrayBuffer(0);
}
defineSchema(DirectoryGeneralName, AsnTypeTypes.Choice, { directoryName: { type: AsnPropTypes.Any, context: 4 } });

class DirectoryGeneralNames extends AsnArray<DirectoryGeneralName> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: DirectoryGeneralName })(DirectoryGeneralNames);

// ---- Bytes --------------------------------------------------------------------------------

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function encode(value: object): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** X.690 11.6: a DER SET OF lists its members' encodings in ascending order, the shorter padded with zeros. */
function compareSetMembers(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function derSetOf(members: Uint8Array[]): DerSetOf {
  return new DerSetOf([...members].sort(compareSetMembers).map(arrayBuffer));
}

function parseDer<T>(bytes: Uint8Array, target: new () => T, what: string): T {
  try {
    return AsnConvert.parse(bytes, target);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${what} is not valid DER: ${(error as Error).message}`);
  }
}

function encodeAttribute(type: string, value: Uint8Array): Uint8Array {
  return encode(new Attribute({ attrType: type, attrValues: [arrayBuffer(value)] }));
}

function readAttributes(set: DerSetOf | undefined): ParsedAttribute[] {
  // Array.from, not .map: mapping an AsnArray would make another AsnArray (Symbol.species).
  return Array.from(set ?? [], (member) => {
    const attribute = parseDer(new Uint8Array(member), Attribute, 'A CMS attribute');
    return { type: attribute.attrType, values: Array.from(attribute.attrValues, (value) => new Uint8Array(value)) };
  });
}

// ---- Building -----------------------------------------------------------------------------

// A key signs many documents with the same certificates: what is read from them is kept per
// certificate object, so a batch parses each certificate once, not once per document.
const certificateFacts = new WeakMap<Uint8Array, { issuer: Uint8Array; serialNumber: Uint8Array; signingCertificateV2?: Uint8Array; publicKey?: KeyObject }>();

function readCertificate(der: Uint8Array, what: string): { issuer: Uint8Array; serialNumber: Uint8Array; signingCertificateV2Attribute?: Uint8Array; publicKey?: KeyObject } {
  let facts = certificateFacts.get(der);
  if (!facts) {
    const tbs = parseDer(der, CertificateOutline, what).tbsCertificate;
    facts = { issuer: new Uint8Array(tbs.issuer), serialNumber: new Uint8Array(tbs.serialNumber) };
    certificateFacts.set(der, facts);
  }
  return facts;
}

/** Whether `der` holds `set` (a DER SET) with the [0] IMPLICIT tag a SignerInfo gives it. */
function holdsAsSignedAttributes(der: Uint8Array, set: Uint8Array): boolean {
  const tagged = Buffer.from(set);
  tagged[0] = 0xa0;
  return Buffer.from(der.buffer, der.byteOffset, der.byteLength).indexOf(tagged) >= 0;
}

function signingCertificateV2(certificate: Uint8Array, issuer: Uint8Array, serialNumber: Uint8Array): Uint8Array {
  const issuerNames = new DirectoryGeneralNames([new DirectoryGeneralName()]);
  issuerNames[0]!.directoryName = arrayBuffer(issuer);
  const certId = new EssCertIdV2();
  // hashAlgorithm stays absent: SHA-256 is its DEFAULT, and DER leaves defaults out.
  certId.certHash = arrayBuffer(createHash('sha256').update(certificate).digest());
  certId.issuerSerial = new EssIssuerSerial();
  certId.issuerSerial.issuer = arrayBuffer(encode(issuerNames));
  certId.issuerSerial.serialNumber = arrayBuffer(serialNumber);
  const value = new SigningCertificateV2();
  value.certs = new EssCertIdV2List([certId]);
  return encode(value);
}

/** The DER pieces every signature repeats, encoded through the schema classes once. */
let fixedPieces: {
  version1: Uint8Array;
  sha256Algorithm: Uint8Array;
  rsaSignatureAlgorithm: Uint8Array;
  ecSignatureAlgorithm: Uint8Array;
  contentTypeAttribute: Uint8Array;
  messageDigestAttribute: Uint8Array;
} | null = null;

function fixedDer(): NonNullable<typeof fixedPieces> {
  return (fixedPieces ??= {
    version1: Uint8Array.from([0x02, 0x01, 0x01]),
    // RFC 5754: SHA-2 digest AlgorithmIdentifiers are generated without parameters.
    sha256Algorithm: encode(new AlgorithmIdentifier({ algorithm: CMS_OIDS.sha256 })),
    rsaSignatureAlgorithm: encode(signatureAlgorithm('rsa')),
    ecSignatureAlgorithm: encode(signatureAlgorithm('ec')),
    contentTypeAttribute: encodeAttribute(CMS_OIDS.contentType, encode(Object.assign(new ObjectIdentifierValue(), { value: CMS_OIDS.data }))),
    // With a digest of zeros: the digest is the last 32 bytes (SEQUENCE { OID, SET { OCTET STRING } }).
    messageDigestAttribute: encodeAttribute(CMS_OIDS.messageDigest, encode(Object.assign(new OctetStringValue(), { value: new ArrayBuffer(32) }))),
  });
}

function messageDigestAttribute(digest: Uint8Array): Uint8Array {
  const attribute = fixedDer().messageDigestAttribute.slice();
  attribute.set(digest, attribute.length - 32);
  return attribute;
}

function signatureAlgorithm(keyType: SigningKey['keyType']): AlgorithmIdentifier {
  // RFC 4055 gives sha256WithRSAEncryption NULL parameters; RFC 5758 gives ECDSA none.
  return keyType === 'rsa'
    ? new AlgorithmIdentifier({ algorithm: CMS_OIDS.sha256WithRSAEncryption, parameters: null })
    : new AlgorithmIdentifier({ algorithm: CMS_OIDS.ecdsaWithSha256 });
}

/**
 * Builds the DER of a ContentInfo holding a detached CMS SignedData (PAdES baseline B-B) over
 * content whose SHA-256 is `contentDigest`; `key` signs the DER of the signed attributes.
 */
export async function buildSignedData(key: SigningKey, contentDigest: Uint8Array, options: BuildSignedDataOptions = {}): Promise<Uint8Array> {
  if (contentDigest.length !== 32) {
    throw new AppError('INVALID_INPUT', `The content digest must be a SHA-256 value (32 bytes), not ${contentDigest.length} bytes.`);
  }
  const signer = readCertificate(key.certificate, 'The signer certificate');
  signer.publicKey ??= new X509Certificate(key.certificate).publicKey;
  const publicKey = signer.publicKey;
  if (publicKey.asymmetricKeyType !== key.keyType) {
    throw new AppError('INVALID_INPUT', `The key is ${key.keyType} but the certificate holds a ${publicKey.asymmetricKeyType ?? 'unknown'} key.`);
  }

  const members = [
    fixedDer().contentTypeAttribute,
    messageDigestAttribute(contentDigest),
    (signer.signingCertificateV2Attribute ??= encodeAttribute(CMS_OIDS.signingCertificateV2, signingCertificateV2(key.certificate, signer.issuer, signer.serialNumber))),
  ].sort(compareSetMembers);
  const signedAttributesDer = derTlv(0x31, ...members);
  const signature = await key.sign(signedAttributesDer.slice());
  if (key.keyType === 'ec' && signature[0] !== 0x30) {
    throw new AppError('INVALID_INPUT', 'The key returned an ECDSA signature that is not a DER ECDSA-Sig-Value (raw r||s must be converted by the key).');
  }
  // A token that signs with a key other than the certificate's would yield a PDF that no one
  // can validate; refuse it here, where the cause is still known.
  if (!verifySignature('sha256', signedAttributesDer, publicKey, signature)) {
    throw new AppError('INVALID_INPUT', 'The signature made by the key does not verify with the signer certificate: the key and the certificate do not match.');
  }

  const certificates: Uint8Array[] = [];
  for (const certificate of [key.certificate, ...key.chain, ...(options.extraCertificates ?? [])]) {
    if (certificates.some((known) => sameBytes(known, certificate))) continue;
    readCertificate(certificate, 'A certificate of the chain');
    certificates.push(certificate);
  }

  // The SignerInfo is written here, around the parts encoded once (fixedDer): encoding it through
  // the schema classes cost more than the rest of the signature together (issue 19).
  const fixed = fixedDer();
  const signerInfo = derTlv(
    0x30,
    fixed.version1, // issuerAndSerialNumber
    derTlv(0x30, signer.issuer, derTlv(0x02, signer.serialNumber)),
    fixed.sha256Algorithm,
    derTlv(0xa0, ...members), // [0] IMPLICIT SET OF Attribute
    key.keyType === 'rsa' ? fixed.rsaSignatureAlgorithm : fixed.ecSignatureAlgorithm,
    derTlv(0x04, signature),
  );
  const der = contentInfoDer(signedDataHead(certificates), derTlv(0x31, signerInfo));
  // What was signed must be exactly what is embedded (with the [0] tag); a difference would
  // only show up later as a signature no one can verify.
  if (!holdsAsSignedAttributes(der, signedAttributesDer)) {
    throw new AppError('INTERNAL', 'The embedded signed attributes differ from the signed ones.');
  }
  return der;
}

/** A DER tag and length (short form below 128, else the shortest long form) before `content`. */
function derTlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, part) => n + part.length, 0);
  const lengthBytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n & 0xff);
  const header = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  return Buffer.concat([Uint8Array.from(header), ...content]);
}

const SIGNED_DATA_OID_DER = Buffer.from('06092a864886f70d010702', 'hex'); // 1.2.840.113549.1.7.2

// Everything of a SignedData before its SignerInfos — version, digest algorithms, the detached
// content type, the certificates — is the same for every signature a key makes. Encoding the
// certificates costs more than the rest of the signature, so a batch encodes them once.
const signedDataHeads = new WeakMap<Uint8Array, { certificates: Uint8Array[]; head: Uint8Array }>();

function signedDataHead(certificates: Uint8Array[]): Uint8Array {
  const cached = signedDataHeads.get(certificates[0]!);
  if (cached && cached.certificates.length === certificates.length && cached.certificates.every((c, i) => sameBytes(c, certificates[i]!))) return cached.head;
  const signedData = new SignedData();
  signedData.version = 1;
  signedData.digestAlgorithms = new DigestAlgorithmIdentifiers([new DigestAlgorithmIdentifier({ algorithm: CMS_OIDS.sha256 })]);
  signedData.encapContentInfo = new EncapsulatedContentInfo({ eContentType: CMS_OIDS.data }); // no eContent: detached
  // ISO 32000 asks for a DER SignedData, so the certificates are a sorted SET OF too; verifiers
  // find the signer's certificate through the sid, not by its position.
  signedData.certificates = derSetOf(certificates);
  signedData.signerInfos = new SignerInfos([]);
  const der = encode(signedData);
  // The SEQUENCE's content up to its last member, the empty SET OF SignerInfo (31 00).
  if (der[der.length - 2] !== 0x31 || der[der.length - 1] !== 0x00) throw new AppError('INTERNAL', 'Unexpected SignedData encoding.');
  const headerLength = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
  const head = der.slice(headerLength, der.length - 2);
  signedDataHeads.set(certificates[0]!, { certificates, head });
  return head;
}

/** ContentInfo { signedData, [0] EXPLICIT SignedData { head…, signerInfos } }. */
function contentInfoDer(signedDataHead: Uint8Array, signerInfosDer: Uint8Array): Uint8Array {
  return new Uint8Array(derTlv(0x30, SIGNED_DATA_OID_DER, derTlv(0xa0, derTlv(0x30, signedDataHead, signerInfosDer))));
}

function encodeContentInfo(signedData: SignedData): Uint8Array {
  return encode(new ContentInfo({ contentType: CMS_OIDS.signedData, content: arrayBuffer(encode(signedData)) }));
}

// ---- Reading and amending -----------------------------------------------------------------

function readSignedData(der: Uint8Array): SignedData {
  return readSignedDataNode(cmsNode(der));
}

/**
 * A CMS ContentInfo as asn1js reads it: the one reading of its bytes that parseSignedDataNode and
 * a validator's own look at the same structure (verify.ts) share. Each reading decodes every
 * certificate it carries, and reading the ContentInfo and then its SignedData apart did it twice.
 */
export function cmsNode(der: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.result.error) throw new AppError('INVALID_INPUT', `The CMS signature is not valid DER: ${parsed.result.error}`);
  return parsed.result;
}

function fromNode<T>(node: asn1js.AsnType | undefined, target: new () => T, what: string): T {
  try {
    if (!node) throw new Error('it is missing');
    return AsnParser.fromASN(node, target);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${what} is not valid DER: ${(error as Error).message}`);
  }
}

function readSignedDataNode(node: asn1js.AsnType): SignedData {
  const contentInfo = fromNode(node, ContentInfo, 'The CMS signature');
  if (contentInfo.contentType !== CMS_OIDS.signedData) {
    throw new AppError('INVALID_INPUT', `The CMS signature holds ${contentInfo.contentType}, not SignedData.`);
  }
  // content [0] EXPLICIT: the SignedData is the one element inside the tag.
  const explicit = (node as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed | undefined;
  const signedData = fromNode(explicit?.valueBlock.value[0], SignedData, 'The CMS SignedData');
  if (signedData.signerInfos.length !== 1) {
    throw new AppError('INVALID_INPUT', `A PAdES signature has exactly one SignerInfo; this one has ${signedData.signerInfos.length}.`);
  }
  return signedData;
}

function onlySignerInfo(signedData: SignedData): SignerInfo {
  return signedData.signerInfos[0]!;
}

function singleValue(attribute: ParsedAttribute): Uint8Array {
  if (attribute.values.length !== 1) {
    throw new AppError('INVALID_INPUT', `The ${attribute.type} attribute must have exactly one value, not ${attribute.values.length}.`);
  }
  return attribute.values[0]!;
}

/** Reads a CMS ContentInfo(SignedData) with one SignerInfo, as a validator and the tests need it. */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  return parseSignedDataNode(cmsNode(der));
}

/** parseSignedData of a ContentInfo read already (cmsNode). */
export function parseSignedDataNode(node: asn1js.AsnType): ParsedSignedData {
  const signedData = readSignedDataNode(node);
  const signerInfo = onlySignerInfo(signedData);
  const signedAttributes = readAttributes(signerInfo.signedAttrs);
  const unsignedAttributes = readAttributes(signerInfo.unsignedAttrs);

  let signedAttributesDer: Uint8Array | undefined;
  if (signerInfo.signedAttrsRaw) {
    // RFC 5652 5.4: the signature covers the attributes with the SET OF tag, not the [0] tag.
    signedAttributesDer = bytesOf(signerInfo.signedAttrsRaw).slice();
    signedAttributesDer[0] = 0x31;
  }

  const sid = signerInfo.sid.issuerAndSerialNumber
    ? { issuer: new Uint8Array(signerInfo.sid.issuerAndSerialNumber.issuer), serialNumber: new Uint8Array(signerInfo.sid.issuerAndSerialNumber.serialNumber) }
    : { subjectKeyIdentifier: new Uint8Array(signerInfo.sid.subjectKeyIdentifier ?? new ArrayBuffer(0)) };

  const parsed: ParsedSignedData = {
    version: signedData.version,
    digestAlgorithms: Array.from(signedData.digestAlgorithms, (algorithm) => algorithm.algorithm),
    eContentType: signedData.encapContentInfo.eContentType,
    hasEContent: signedData.encapContentInfo.eContent !== undefined,
    certificates: Array.from(signedData.certificates ?? [], (certificate) => new Uint8Array(certificate)),
    signerInfoVersion: signerInfo.version,
    sid,
    digestAlgorithm: signerInfo.digestAlgorithm.algorithm,
    signedAttributes,
    signedAttributeOids: signedAttributes.map((attribute) => attribute.type),
    signatureAlgorithm: signerInfo.signatureAlgorithm.algorithm,
    signature: new Uint8Array(signerInfo.signature),
    unsignedAttributes,
    unsignedAttributeOids: unsignedAttributes.map((attribute) => attribute.type),
    timestampTokens: unsignedAttributes.filter((attribute) => attribute.type === CMS_OIDS.timeStampToken).flatMap((attribute) => attribute.values),
  };
  if (signedAttributesDer) parsed.signedAttributesDer = signedAttributesDer;

  for (const attribute of signedAttributes) {
    if (attribute.type === CMS_OIDS.contentType) {
      parsed.contentType = parseDer(singleValue(attribute), ObjectIdentifierValue, 'The content-type attribute').value;
    } else if (attribute.type === CMS_OIDS.messageDigest) {
      parsed.messageDigest = new Uint8Array(parseDer(singleValue(attribute), OctetStringValue, 'The message-digest attribute').value);
    } else if (attribute.type === CMS_OIDS.signingCertificateV2) {
      const value = parseDer(singleValue(attribute), SigningCertificateV2, 'The signing-certificate-v2 attribute');
      // The first ESSCertIDv2 names the signing certificate (RFC 5035 5.4.1).
      const certId = value.certs[0];
      if (!certId) throw new AppError('INVALID_INPUT', 'The signing-certificate-v2 attribute names no certificate.');
      parsed.signingCertificateV2 = {
        hashAlgorithm: certId.hashAlgorithm?.algorithm ?? CMS_OIDS.sha256,
        certHash: new Uint8Array(certId.certHash),
        ...(certId.issuerSerial
          ? { issuerSerial: { issuer: new Uint8Array(certId.issuerSerial.issuer), serialNumber: new Uint8Array(certId.issuerSerial.serialNumber) } }
          : {}),
      };
    }
  }
  return parsed;
}

/** The SignerInfo's signature value: what an RFC 3161 signature timestamp is computed over. */
export function signatureValue(cmsDer: Uint8Array): Uint8Array {
  return new Uint8Array(onlySignerInfo(readSignedData(cmsDer)).signature);
}

/**
 * Returns the CMS with `tokenDer` (an RFC 3161 TimeStampToken, a ContentInfo) added to the
 * SignerInfo as an id-aa-timeStampToken unsigned attribute. The signed attributes, the signature
 * and the certificates come out byte for byte as they went in.
 */
export function addTimestampToken(cmsDer: Uint8Array, tokenDer: Uint8Array): Uint8Array {
  parseDer(tokenDer, ContentInfo, 'The timestamp token');
  const before = parseSignedData(cmsDer);
  const signedData = readSignedData(cmsDer);
  const signerInfo = onlySignerInfo(signedData);
  const members = Array.from(signerInfo.unsignedAttrs ?? [], (member) => new Uint8Array(member));
  signerInfo.unsignedAttrs = derSetOf([...members, encodeAttribute(CMS_OIDS.timeStampToken, tokenDer)]);
  const der = encodeContentInfo(signedData);

  // The amended CMS is encoded afresh from the parsed one; what the signature depends on must
  // not have moved by a byte.
  const after = parseSignedData(der);
  const unchanged =
    (before.signedAttributesDer === undefined) === (after.signedAttributesDer === undefined) &&
    (!before.signedAttributesDer || sameBytes(before.signedAttributesDer, after.signedAttributesDer!)) &&
    sameBytes(before.signature, after.signature) &&
    before.certificates.length === after.certificates.length &&
    before.certificates.every((certificate, i) => sameBytes(certificate, after.certificates[i]!));
  if (!unchanged) throw new AppError('INTERNAL', 'Adding the timestamp token would have changed the signed part of the CMS.');
  return der;
}
