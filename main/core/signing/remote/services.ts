// The remote signing services this PC is set up for: their addresses and client ids are settings
// (the administrator's, through eoffice config set signer.*), their secrets are sealed in the data
// folder (secrets/sealedFile.ts) and are opened only to make a client. eOffice ships none.
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { RemoteSignerSettings } from '../../../common/contract.js';
import { AppError } from '../../../common/errors.js';
import type { SecretBox } from '../../secrets/secretBox.js';
import { readSealedSecret, SealedSecretUnavailable } from '../../secrets/sealedFile.js';
import type { RemoteProtocol, RemoteSignerClient } from './remoteSigner.js';
import { createSmartCaClient } from './smartca.js';
import { createCscClient } from './csc.js';
import { createMssClient } from './mss.js';

/** The sealed secret of each service: SmartCA's client secret, a CSC service's, the MSS gateway's AP password. */
export function remoteSecretName(protocol: RemoteProtocol, provider?: string): string {
  return protocol === 'csc' ? `signer-csc-${provider}` : `signer-${protocol}`;
}

/** A configured service: its client, and what it is called in the picker and on the command line. */
export interface RemoteService {
  protocol: RemoteProtocol;
  /** The CSC service's short name; the protocol's for the others. */
  provider: string;
  /** Shown in the picker: "VNPT SmartCA", "CSC: vnpt", "SIM PKI". */
  source: string;
  /** The accounts whose identities are offered (SmartCA's user ids; CSC's userId or everyone; MSS's numbers). */
  accounts: (string | undefined)[];
  client(): RemoteSignerClient;
}

export interface ServicesContext {
  dataDir: string;
  box: SecretBox;
}

function secretOf(ctx: ServicesContext, protocol: RemoteProtocol, provider: string | undefined, source: string): string {
  let secret: string | null;
  try {
    secret = readSealedSecret(ctx.dataDir, remoteSecretName(protocol, provider), ctx.box);
  } catch (error) {
    if (error instanceof SealedSecretUnavailable) throw new AppError('REMOTE_NOT_CONFIGURED', `The secret of ${source} cannot be opened here (${error.message}); set it again with eoffice config.`, { source });
    throw error;
  }
  if (!secret) throw new AppError('REMOTE_NOT_CONFIGURED', `${source} has no secret set; set it with eoffice config.`, { source });
  return secret;
}

function readFile(path: string, what: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    throw new AppError('REMOTE_NOT_CONFIGURED', `The ${what} (${path}) cannot be read: ${(error as Error).message}.`, { path });
  }
}

/** Every certificate of a PEM file, or the one of a DER file, in the file's order. */
export function certificatesOfFile(path: string): Uint8Array[] {
  const bytes = readFile(path, 'certificate file');
  const text = bytes.toString('latin1');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    const ders = pems ? pems.map((pem) => new X509Certificate(pem).raw) : [new X509Certificate(bytes).raw];
    return ders.map((der) => new Uint8Array(der));
  } catch (error) {
    throw new AppError('REMOTE_NOT_CONFIGURED', `${path} does not hold a certificate (${(error as Error).message}).`, { path });
  }
}

export function remoteServices(ctx: ServicesContext, settings: RemoteSignerSettings): RemoteService[] {
  const services: RemoteService[] = [];
  const { smartca, csc, mss } = settings;
  if (smartca) {
    const source = 'VNPT SmartCA';
    services.push({
      protocol: 'smartca',
      provider: 'smartca',
      source,
      accounts: smartca.accounts,
      client: () => createSmartCaClient({ baseUrl: smartca.baseUrl, clientId: smartca.clientId, clientSecret: secretOf(ctx, 'smartca', undefined, source) }),
    });
  }
  for (const service of csc) {
    const source = `CSC: ${service.name}`;
    services.push({
      protocol: 'csc',
      provider: service.name,
      source,
      accounts: [service.userId || undefined],
      client: () => createCscClient({ baseUrl: service.baseUrl, clientId: service.clientId, clientSecret: secretOf(ctx, 'csc', service.name, source) }),
    });
  }
  if (mss) {
    const source = 'SIM PKI';
    services.push({
      protocol: 'mss',
      provider: 'mss',
      source,
      accounts: mss.identities.map((identity) => identity.msisdn),
      client: () =>
        createMssClient({
          url: mss.url,
          apId: mss.apId,
          apPassword: secretOf(ctx, 'mss', undefined, source),
          msspId: mss.msspId,
          identities: mss.identities.map((identity) => ({ msisdn: identity.msisdn, certificateChainDer: certificatesOfFile(identity.certificateFile) })),
          tls: {
            cert: readFile(mss.clientCertificateFile, "AP's client certificate"),
            key: readFile(mss.clientKeyFile, "AP's client key"),
            ...(mss.caFile ? { ca: readFile(mss.caFile, "gateway's CA certificate") } : {}),
          },
        }),
    });
  }
  return services;
}
