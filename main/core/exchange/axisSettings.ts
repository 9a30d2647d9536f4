// Where this agency reaches the axis. The endpoint and system id are ordinary settings; the
// secret is sealed (safeStorage in the app, the key-file box elsewhere) into a file of its own, so
// it is never in settings.json, never sent to the UI, and never printed.
import fs from 'node:fs';
import path from 'node:path';
import type { SecretBox } from '../secrets/secretBox.js';
import type { SettingsStore } from '../settings/settings.js';
import type { AxisConfig } from '../axis/adapter.js';
import { axisEndpointIssue } from '../axis/endpoint.js';
import { AppError } from '../../common/errors.js';

const SECRET_FILE = 'axis-secret.sealed';

interface SealedFile {
  kind: SecretBox['kind'];
  sealed: string;
}

function secretPath(dataDir: string): string {
  return path.join(dataDir, SECRET_FILE);
}

export function hasAxisSecret(dataDir: string): boolean {
  return fs.existsSync(secretPath(dataDir));
}

export function writeAxisSecret(dataDir: string, box: SecretBox, secret: string): void {
  const file: SealedFile = { kind: box.kind, sealed: box.seal(secret) };
  const target = secretPath(dataDir);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
  fs.renameSync(tmp, target);
}

function readAxisSecret(dataDir: string, box: SecretBox): string | null {
  let file: SealedFile;
  try {
    file = JSON.parse(fs.readFileSync(secretPath(dataDir), 'utf8')) as SealedFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('AXIS_SECRET_UNREADABLE', 'The stored axis secret is unreadable; enter it again.');
  }
  if (file.kind !== box.kind) {
    // The OS keystore's seal opens only in the app; the key-file box's only outside it.
    throw new AppError('AXIS_SECRET_ELSEWHERE', `The axis secret was saved by ${file.kind === 'safeStorage' ? 'the desktop app' : 'the command line'}; enter it again here.`);
  }
  try {
    return box.open(file.sealed);
  } catch (error) {
    throw new AppError('AXIS_SECRET_UNREADABLE', (error as Error).message);
  }
}

/**
 * The adapter's configuration, or null while the endpoint, system id or secret is missing. An
 * endpoint saved before plain http was refused is reported here, as a setting to fix, and so is a
 * secret this shell cannot open (AXIS_ENDPOINT_*, AXIS_SECRET_*).
 */
export function axisConfig(dataDir: string, settings: SettingsStore, box: SecretBox): AxisConfig | null {
  const { axisEndpoint, axisSystemId, axisSigning, axisHexStyle, axisPaths } = settings.read();
  if (!axisEndpoint || !axisSystemId) return null;
  const issue = axisEndpointIssue(axisEndpoint);
  if (issue) throw new AppError(issue.code, issue.message, { endpoint: axisEndpoint });
  const secret = readAxisSecret(dataDir, box);
  if (!secret) return null;
  return { variant: 'vxp', endpoint: axisEndpoint, systemId: axisSystemId, secret, signing: axisSigning, hmacHex: axisHexStyle, paths: axisPaths };
}
