// Where this agency reaches the axis. The endpoint and system id are ordinary settings; the
// secret is sealed (safeStorage in the app, the key-file box elsewhere) into a file of its own, so
// it is never in settings.json, never sent to the UI, and never printed.
import type { SecretBox } from '../secrets/secretBox.js';
import { hasSealedSecret, readSealedSecret, SealedSecretUnavailable, writeSealedSecret } from '../secrets/sealedFile.js';
import type { SettingsStore } from '../settings/settings.js';
import type { AxisConfig } from '../axis/adapter.js';
import { axisEndpointIssue } from '../axis/endpoint.js';
import { AppError } from '../../common/errors.js';

const SECRET_NAME = 'axis-secret';

export function hasAxisSecret(dataDir: string): boolean {
  return hasSealedSecret(dataDir, SECRET_NAME);
}

export function writeAxisSecret(dataDir: string, box: SecretBox, secret: string): void {
  writeSealedSecret(dataDir, SECRET_NAME, box, secret);
}

function readAxisSecret(dataDir: string, box: SecretBox): string | null {
  try {
    return readSealedSecret(dataDir, SECRET_NAME, box);
  } catch (error) {
    if (!(error instanceof SealedSecretUnavailable)) throw error;
    if (error.reason === 'elsewhere') {
      throw new AppError('AXIS_SECRET_ELSEWHERE', `The axis secret was saved by ${error.sealedBy === 'safeStorage' ? 'the desktop app' : 'the command line'}; enter it again here.`);
    }
    throw new AppError('AXIS_SECRET_UNREADABLE', error.sealedBy === null ? 'The stored axis secret is unreadable; enter it again.' : error.message);
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
