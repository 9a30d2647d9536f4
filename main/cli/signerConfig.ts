// eoffice config … signer.*: the remote signing services the administrator sets up (VNPT SmartCA,
// CSC API services by name, a SIM PKI gateway). They are the administrator's, like the signing
// window: set on the data folder's settings themselves, not through the API's settings.update
// (which the app's pages can call). Their secrets are read from standard input only and sealed
// apart, as axis.secret is.
import fs from 'node:fs';
import path from 'node:path';
import { prettifyError } from 'zod';
import type { Core } from '../core/app/core.js';
import { RemoteSignerSettings, type Settings } from '../common/contract.js';
import { hasSealedSecret, removeSealedSecret, writeSealedSecret } from '../core/secrets/sealedFile.js';
import { remoteSecretName } from '../core/signing/remote/services.js';
import { CliError } from './cliError.js';

type Remote = Settings['remoteSigners'];
type Csc = Remote['csc'][number];

export const SIGNER_CONFIG_KEYS = [
  'signer.smartca.url',
  'signer.smartca.clientId',
  'signer.smartca.accounts',
  'signer.smartca.secret',
  'signer.csc.<name>.url',
  'signer.csc.<name>.clientId',
  'signer.csc.<name>.userId',
  'signer.csc.<name>.secret',
  'signer.mss.url',
  'signer.mss.apId',
  'signer.mss.msspId',
  'signer.mss.clientCertificate',
  'signer.mss.clientKey',
  'signer.mss.ca',
  'signer.mss.identities',
  'signer.mss.apPassword',
] as const;

const SECRET_KEY = /^signer\.(smartca\.secret|csc\.([^.]+)\.secret|mss\.apPassword)$/;

function sealedState(core: Core, protocol: 'smartca' | 'csc' | 'mss', provider?: string): string {
  return hasSealedSecret(core.dataDir, remoteSecretName(protocol, provider)) ? '(set)' : '(not set)';
}

/** Every signer.* key with its value, secrets as (set)/(not set); a service not set up shows as (not configured). */
export function signerConfigValues(core: Core): Record<string, string> {
  const { smartca, csc, mss } = core.settings.read().remoteSigners;
  const values: Record<string, string> = {};
  if (smartca) {
    values['signer.smartca.url'] = smartca.baseUrl;
    values['signer.smartca.clientId'] = smartca.clientId;
    values['signer.smartca.accounts'] = smartca.accounts.join(',');
    values['signer.smartca.secret'] = sealedState(core, 'smartca');
  } else values['signer.smartca'] = '(not configured)';
  for (const service of csc) {
    const at = `signer.csc.${service.name}`;
    values[`${at}.url`] = service.baseUrl;
    values[`${at}.clientId`] = service.clientId;
    values[`${at}.userId`] = service.userId;
    values[`${at}.secret`] = sealedState(core, 'csc', service.name);
  }
  if (mss) {
    values['signer.mss.url'] = mss.url;
    values['signer.mss.apId'] = mss.apId;
    values['signer.mss.msspId'] = mss.msspId;
    values['signer.mss.clientCertificate'] = mss.clientCertificateFile;
    values['signer.mss.clientKey'] = mss.clientKeyFile;
    values['signer.mss.ca'] = mss.caFile;
    values['signer.mss.identities'] = mss.identities.map((i) => `${i.msisdn}=${i.certificateFile}`).join(',');
    values['signer.mss.apPassword'] = sealedState(core, 'mss');
  } else values['signer.mss'] = '(not configured)';
  return values;
}

function commaList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** A file the administrator placed on this PC: kept as an absolute path, and it must be there. */
function localFile(key: string, value: string): string {
  if (!value) throw new CliError(`${key} is the path of a file on this computer`);
  const absolute = path.resolve(value);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) throw new CliError(`${key}: no file at ${absolute}`);
  return absolute;
}

/** "84912345678=/path/cert.pem,…": each leader's number and the certificate the operator issued. */
function identities(value: string): Array<{ msisdn: string; certificateFile: string }> {
  return commaList(value).map((pair) => {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new CliError(`signer.mss.identities is a list of number=certificate, e.g. 84912345678=/etc/eoffice/an.pem; not "${pair}"`);
    return { msisdn: pair.slice(0, equals).trim(), certificateFile: localFile('signer.mss.identities', pair.slice(equals + 1).trim()) };
  });
}

/** One key=value on a copy of the remote signers' settings; the whole is checked after every pair. */
function apply(remote: Remote, key: string, value: string): void {
  const smartca = /^signer\.smartca\.(url|clientId|accounts)$/.exec(key);
  if (smartca) {
    const section = (remote.smartca ??= { baseUrl: '', clientId: '', accounts: [] });
    if (smartca[1] === 'url') section.baseUrl = value;
    else if (smartca[1] === 'clientId') section.clientId = value;
    else section.accounts = commaList(value);
    return;
  }
  const csc = /^signer\.csc\.([^.]+)\.(url|clientId|userId)$/.exec(key);
  if (csc) {
    const name = csc[1]!;
    let service: Csc | undefined = remote.csc.find((s) => s.name === name);
    if (!service) remote.csc.push((service = { name, baseUrl: '', clientId: '', userId: '' }));
    if (csc[2] === 'url') service.baseUrl = value;
    else if (csc[2] === 'clientId') service.clientId = value;
    else service.userId = value;
    return;
  }
  const mss = /^signer\.mss\.(url|apId|msspId|clientCertificate|clientKey|ca|identities)$/.exec(key);
  if (mss) {
    const section = (remote.mss ??= { url: '', apId: '', msspId: '', clientCertificateFile: '', clientKeyFile: '', caFile: '', identities: [] });
    switch (mss[1]) {
      case 'url': section.url = value; break;
      case 'apId': section.apId = value; break;
      case 'msspId': section.msspId = value; break;
      case 'clientCertificate': section.clientCertificateFile = localFile(key, value); break;
      case 'clientKey': section.clientKeyFile = localFile(key, value); break;
      case 'ca': section.caFile = value ? localFile(key, value) : ''; break;
      case 'identities': section.identities = identities(value); break;
    }
    return;
  }
  throw new CliError(`unknown key "${key}"; signer keys: ${SIGNER_CONFIG_KEYS.join(', ')}`);
}

/** What a service still lacks, said as the keys to set, before the schema's own words. */
function incomplete(remote: Remote): string | null {
  const missing: string[] = [];
  if (remote.smartca) {
    if (!remote.smartca.baseUrl) missing.push('signer.smartca.url');
    if (!remote.smartca.clientId) missing.push('signer.smartca.clientId');
  }
  for (const s of remote.csc) {
    if (!s.baseUrl) missing.push(`signer.csc.${s.name}.url`);
    if (!s.clientId) missing.push(`signer.csc.${s.name}.clientId`);
  }
  if (remote.mss) {
    const m = remote.mss;
    for (const [field, key] of [[m.url, 'url'], [m.apId, 'apId'], [m.clientCertificateFile, 'clientCertificate'], [m.clientKeyFile, 'clientKey']] as const) if (!field) missing.push(`signer.mss.${key}`);
  }
  return missing.length ? `also needs ${missing.join(', ')}: set them in the same command, e.g. eoffice config set ${missing[0]} <value> ${missing[1] ?? ''}`.trim() : null;
}

/**
 * eoffice config set signer.… <value> [signer.… <value>…]: several keys in one command, since a
 * service is only usable whole (a SmartCA address without its client id is nothing), and nothing
 * is saved unless the result is.
 */
export function setSignerConfig(core: Core, args: string[], out: (line: string) => void): number {
  const [key, ...rest] = args;
  const secret = SECRET_KEY.exec(key ?? '');
  if (secret) {
    // Only from standard input: an argument stays in the shell's history and shows in the process list.
    if (rest.length !== 1 || rest[0] !== '-') {
      throw new CliError(`${key} is read from standard input only, never from the command line (the shell history and the process list would keep it): run "eoffice config set ${key} -" and type or pipe it`);
    }
    const protocol = key!.startsWith('signer.smartca') ? 'smartca' : key!.startsWith('signer.mss') ? 'mss' : 'csc';
    const provider = secret[2];
    const remote = core.settings.read().remoteSigners;
    const configured = protocol === 'smartca' ? remote.smartca !== null : protocol === 'mss' ? remote.mss !== null : remote.csc.some((s) => s.name === provider);
    if (!configured) throw new CliError(`${key}: set the service up first (${protocol === 'csc' ? `signer.csc.${provider}.url and .clientId` : `signer.${protocol}.url …`})`);
    const value = fs.readFileSync(0, 'utf8').trim();
    if (!value) throw new CliError(`${key} is empty`);
    writeSealedSecret(core.dataDir, remoteSecretName(protocol, provider), core.secrets, value);
    out(`${key}=(set)`);
    return 0;
  }
  if (rest.length === 0 || (rest.length - 1) % 2 !== 0) throw new CliError('usage: eoffice config set signer.<key> <value> [signer.<key> <value>…]');
  const remote: Remote = structuredClone(core.settings.read().remoteSigners);
  const pairs: Array<[string, string]> = [[key!, rest[0]!]];
  for (let i = 1; i < rest.length; i += 2) pairs.push([rest[i]!, rest[i + 1]!]);
  for (const [k, v] of pairs) {
    if (SECRET_KEY.test(k)) throw new CliError(`${k} is set on its own, from standard input: eoffice config set ${k} -`);
    apply(remote, k, v);
  }
  const lacking = incomplete(remote);
  if (lacking) throw new CliError(`the remote signer ${lacking}`);
  const parsed = RemoteSignerSettings.safeParse(remote);
  if (!parsed.success) throw new CliError(`not saved: ${prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ')}`);
  core.settings.update({ remoteSigners: parsed.data });
  const shown = signerConfigValues(core);
  for (const [k] of pairs) out(`${k}=${shown[k] ?? ''}`);
  return 0;
}

/** eoffice config unset signer.smartca | signer.csc.<name> | signer.mss: the service and its sealed secret go. */
export function unsetSignerConfig(core: Core, key: string | undefined, out: (line: string) => void): number {
  const remote: Remote = structuredClone(core.settings.read().remoteSigners);
  const csc = /^signer\.csc\.([^.]+)$/.exec(key ?? '');
  if (key === 'signer.smartca' || key === 'signer.mss') {
    const protocol = key === 'signer.smartca' ? 'smartca' : 'mss';
    if (remote[protocol] === null) throw new CliError(`${key} is not set up`);
    remote[protocol] = null;
    core.settings.update({ remoteSigners: remote });
    removeSealedSecret(core.dataDir, remoteSecretName(protocol));
  } else if (csc) {
    const name = csc[1]!;
    if (!remote.csc.some((s) => s.name === name)) throw new CliError(`no CSC service named "${name}"; the names set up: ${remote.csc.map((s) => s.name).join(', ') || 'none'}`);
    remote.csc = remote.csc.filter((s) => s.name !== name);
    core.settings.update({ remoteSigners: remote });
    removeSealedSecret(core.dataDir, remoteSecretName('csc', name));
  } else {
    throw new CliError('usage: eoffice config unset signer.smartca | signer.csc.<name> | signer.mss');
  }
  out(`${key} removed`);
  return 0;
}
