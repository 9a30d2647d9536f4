// A SigningKey over a private key file, standing in for a USB token in the tests.
import { createPrivateKey, sign } from 'node:crypto';
import type { SigningKey } from '../../main/core/token/signingKey.js';

export function fileSigningKey(privateKeyPem: string, certDer: Uint8Array, chain: Uint8Array[] = []): SigningKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const type = privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new Error(`A test signing key must be RSA or EC, not ${type}.`);
  return {
    certificate: certDer,
    chain,
    keyType: type,
    // Node signs RSA with PKCS#1 v1.5 and encodes ECDSA as a DER ECDSA-Sig-Value by default,
    // which is what SigningKey promises.
    async sign(data: Uint8Array): Promise<Uint8Array> {
      return new Uint8Array(sign('sha256', data, privateKey));
    },
  };
}
