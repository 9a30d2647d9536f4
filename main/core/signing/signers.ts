// Everyone who can sign on this PC, and the key of the one chosen: the certificates on the
// plugged-in tokens (token/) and the identities the configured remote services hold for their
// users (signing/remote/). The handlers and the command line name a signer with a SignerChoice and
// get a SignerKey here; nothing above this module asks whether the key is on a token or a phone.
import type { SignerChoice, SignerEntry } from '../../common/contract.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { formatSignerChoice } from '../../common/signerChoice.js';
import type { SettingsStore } from '../settings/settings.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { TokenService } from '../token/service.js';
import { certificateFacts } from '../token/certificate.js';
import { remoteSignerKey, type ApprovalRequest, type SignerKey } from './signerKey.js';
import { remoteServices, type RemoteService } from './remote/services.js';
import { clientSignerKey, type AskClient } from './clientKey.js';
import type { RemoteIdentity } from './remote/remoteSigner.js';

export interface SignersContext {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretBox;
  tokens: TokenService;
}

export interface SignerOptions {
  /** A token's PIN for this act; a remote signer asks on the phone. */
  pin?: string;
  confirmFinalTry?: boolean;
  /** For a 'client' signer: how to ask the caller's PC to sign (the batch's requests). */
  askClient?: AskClient;
}

function organizationOf(subject: string): string | null {
  return /(?:^|,\s*)O=([^,]+)/.exec(subject)?.[1]?.trim() ?? null;
}

function tokenEntries(ctx: SignersContext): SignerEntry[] {
  return ctx.tokens.list().tokens.flatMap((token) =>
    token.certificates
      .filter((certificate) => certificate.canSign && certificate.keyType !== 'other')
      .map((certificate) => {
        const choice: SignerChoice = { kind: 'token', label: token.label, certificateId: certificate.id };
        return {
          choice,
          name: formatSignerChoice(choice),
          source: token.label,
          approval: 'pin' as const,
          certificate: {
            subjectCommonName: certificate.subjectCommonName,
            organization: organizationOf(certificate.subject),
            issuerCommonName: certificate.issuerCommonName,
            serialNumber: certificate.serialNumber,
            validTo: certificate.validTo,
            fingerprint256: certificate.fingerprint256,
            keyType: certificate.keyType as 'rsa' | 'ec',
          },
        };
      }),
  );
}

function choiceOf(service: RemoteService, account: string | undefined, identity: RemoteIdentity): SignerChoice {
  switch (service.protocol) {
    case 'smartca':
      return { kind: 'smartca', account: account ?? '', credentialId: identity.credentialId };
    case 'csc':
      return { kind: 'csc', provider: service.provider, credentialId: identity.credentialId };
    case 'mss':
      return { kind: 'mss', msisdn: identity.credentialId };
  }
}

function remoteEntry(service: RemoteService, choice: SignerChoice, identity: RemoteIdentity): SignerEntry {
  const facts = certificateFacts(identity.certificate);
  return {
    choice,
    name: formatSignerChoice(choice),
    source: service.source,
    approval: 'phone',
    certificate: {
      subjectCommonName: facts.subjectCommonName,
      organization: organizationOf(facts.subject),
      issuerCommonName: facts.issuerCommonName,
      serialNumber: facts.serialNumber,
      validTo: facts.validTo,
      fingerprint256: facts.fingerprint256,
      keyType: identity.keyType,
    },
  };
}

/**
 * The tokens' certificates at once, and each remote service's identities as it answers; a service
 * that does not (offline, refused, not set up) is a problem of the list, never a failure of it.
 */
export async function listSigners(ctx: SignersContext, signal?: AbortSignal): Promise<{ signers: SignerEntry[]; problems: { source: string; error: ApiErrorShape }[] }> {
  const signers = tokenEntries(ctx);
  const problems: { source: string; error: ApiErrorShape }[] = [];
  const services = remoteServices({ dataDir: ctx.dataDir, box: ctx.secrets }, ctx.settings.read().remoteSigners);
  const answers = await Promise.all(
    services.flatMap((service) =>
      service.accounts.map(async (account) => {
        try {
          const identities = await service.client().listIdentities(account, signal);
          return identities.map((identity) => remoteEntry(service, choiceOf(service, account, identity), identity));
        } catch (error) {
          problems.push({ source: service.source, error: toShape(error) });
          return [];
        }
      }),
    ),
  );
  return { signers: [...signers, ...answers.flat()], problems };
}

function toShape(error: unknown): ApiErrorShape {
  return error instanceof AppError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function serviceFor(ctx: SignersContext, choice: Exclude<SignerChoice, { kind: 'token' | 'client' }>): RemoteService {
  const services = remoteServices({ dataDir: ctx.dataDir, box: ctx.secrets }, ctx.settings.read().remoteSigners);
  const provider = choice.kind === 'csc' ? choice.provider : choice.kind;
  const service = services.find((s) => s.protocol === choice.kind && s.provider === provider);
  if (!service) throw new AppError('REMOTE_NOT_CONFIGURED', `No ${choice.kind === 'csc' ? `CSC service "${provider}"` : choice.kind === 'smartca' ? 'SmartCA service' : 'SIM PKI gateway'} is set up on this computer (eoffice config set signer.${choice.kind}.…).`, { signer: choice.kind });
  return service;
}

/** The remote identity a choice names: the account's only one, or the credential it names. */
async function remoteIdentity(service: RemoteService, choice: Exclude<SignerChoice, { kind: 'token' | 'client' }>, signal?: AbortSignal): Promise<RemoteIdentity> {
  const client = service.client();
  const account = choice.kind === 'smartca' ? choice.account : choice.kind === 'mss' ? choice.msisdn : service.accounts[0];
  const identities = await client.listIdentities(account, signal);
  const wanted = choice.kind === 'mss' ? choice.msisdn : choice.credentialId;
  const found = wanted === undefined ? (identities.length === 1 ? identities[0] : undefined) : identities.find((identity) => identity.credentialId === wanted);
  if (!found) {
    const known = identities.map((identity) => identity.credentialId).join(', ') || 'none';
    throw new AppError('REMOTE_UNKNOWN_IDENTITY', wanted === undefined ? `${service.source} holds ${identities.length} certificates for ${account}; name one (${known}).` : `${service.source} has no certificate "${wanted}" (it has: ${known}).`, { signer: formatSignerChoice(choice) });
  }
  return found;
}

/**
 * Runs `act` with the chosen signer's key. A token's act is one login with the PIN given and a
 * logout after (TokenService.signingAct); a remote signer's key asks the phone at each approval,
 * showing `approval.display` and stopping at `approval.signal` when a single signature asks.
 */
export async function withSignerKey<T>(ctx: SignersContext, choice: SignerChoice, options: SignerOptions, act: (key: SignerKey) => Promise<T>, approval: Partial<ApprovalRequest> = {}): Promise<T> {
  if (choice.kind === 'client') {
    // Only a caller through the office host has a PC of their own to sign on.
    if (!options.askClient) throw new AppError('INVALID_INPUT', "Signing on the caller's own PC is for colleagues connected to the office host; here, choose a token or a remote signer.");
    return act(clientSignerKey(choice.certificate, choice.chain, options.askClient));
  }
  if (choice.kind === 'token') {
    const certificateId = choice.certificateId ?? onlySigningCertificate(ctx, choice.label, choice.serial);
    return ctx.tokens.signingAct({ label: choice.label, serial: choice.serial }, certificateId, options, act);
  }
  const service = serviceFor(ctx, choice);
  const identity = await remoteIdentity(service, choice, approval.signal);
  return act(remoteSignerKey(service.client(), identity, approval));
}

/** A token named without its certificate: the one certificate on it that can sign now. */
function onlySigningCertificate(ctx: SignersContext, label: string, serial: string | undefined): string {
  const token = ctx.tokens.list().tokens.find((t) => t.label === label && (serial === undefined || t.serial === serial));
  if (!token) throw new AppError('TOKEN_NOT_FOUND', `No token labelled “${label}” is plugged in; plug it in and retry.`, { label });
  const usable = token.certificates.filter((c) => c.canSign && c.keyType !== 'other' && c.warning !== 'expired' && c.warning !== 'not-yet-valid');
  if (usable.length !== 1) {
    throw new AppError('INVALID_INPUT', `The token “${label}” holds ${usable.length} certificates that can sign; name one (token:${label}/<certificate>).`, { label });
  }
  return usable[0]!.id;
}
