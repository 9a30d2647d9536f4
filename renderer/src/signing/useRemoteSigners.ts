// The identities the configured remote signing services hold (signers.list), for the signer
// picker beside the tokens' certificates, and the services that could not be asked — said at once
// so that the clerk signs with a token instead. Tokens come from TokensProvider, which also knows
// their PIN and login state; only the remote entries are taken from here.
import { useEffect, useState } from 'react';
import type { SignerEntry } from '../../../main/common/contract.js';
import { ApiError, call } from '../api/client.js';

export interface RemoteSigners {
  remote: SignerEntry[];
  /** A service that could not be asked, with why. */
  problems: Array<{ source: string; error: ApiError }>;
}

const NONE: RemoteSigners = { remote: [], problems: [] };

export function useRemoteSigners(): RemoteSigners {
  const [signers, setSigners] = useState<RemoteSigners>(NONE);
  useEffect(() => {
    let live = true;
    call('signers.list', {}).then(
      ({ signers: all, problems }) => {
        if (!live) return;
        setSigners({
          remote: all.filter((entry) => entry.choice.kind !== 'token'),
          problems: problems.map((p) => ({ source: p.source, error: new ApiError(p.error.code, p.error.message, p.error.details) })),
        });
      },
      // The list itself failed: tokens still sign; the picker simply offers no remote signer.
      () => live && setSigners(NONE),
    );
    return () => {
      live = false;
    };
  }, []);
  return signers;
}

/** The picker's value for a remote identity; a token certificate's is its fingerprint. */
export function remoteValue(entry: SignerEntry): string {
  return `remote:${entry.name}`;
}

/** A remote certificate can sign now: within its validity period. */
export function remoteCanSign(entry: SignerEntry): boolean {
  return Date.parse(entry.certificate.validTo) > Date.now();
}
