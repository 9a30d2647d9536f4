// The first signer's certificate of a signed PDF, as PEM: a real certificate that is not a CA's,
// for the tests that offer it to the trust store (which must refuse it).
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { verifyPdfSignatures } from '../../main/core/pades/verify.js';
import { fileSource } from '../../main/core/pdf/source.js';

export function signerCertificatePem(pdfFile: string): string {
  const fd = fs.openSync(pdfFile, 'r');
  try {
    const [check] = verifyPdfSignatures(fileSource(fd), path.basename(pdfFile));
    if (!check?.signer) throw new Error(`${pdfFile} has no readable signer certificate`);
    return new X509Certificate(check.signer.certificateDer).toString();
  } finally {
    fs.closeSync(fd);
  }
}
