// The tokens plugged in, for every view that needs them (the token panel, the signing form): read
// once, then kept current by the host's token.changed events. A browser on the office host has no
// token of its own (the host's are its PC's, never offered to others): it sees none, and signs
// through the remote signers signers.list offers.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SignerEntry, TokenCertificateInfo, TokenInfo, TokenOverview } from '../../../main/common/contract.js';
import { allowedHere, call, isApiError } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';

export interface Tokens {
  overview: TokenOverview | null;
  error: unknown;
  refresh(): void;
}

/** What a browser on the office host sees: no token library, no token. */
const NO_TOKENS: TokenOverview = { modules: [], tokens: [] };

const TokensContext = createContext<Tokens>({ overview: null, error: null, refresh: () => undefined });

export function TokensProvider({ children }: { children: ReactNode }) {
  const [overview, setOverview] = useState<TokenOverview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(() => {
    if (!allowedHere('tokens.list')) {
      setOverview(NO_TOKENS);
      return;
    }
    call('tokens.list', {}).then(
      (next) => {
        setOverview(next);
        setError(null);
      },
      // A host that refuses tokens.list to this caller has none to offer it: not an error to show.
      (failure: unknown) => (isApiError(failure) && failure.code === 'FORBIDDEN' ? setOverview(NO_TOKENS) : setError(failure)),
    );
  }, []);
  useEffect(refresh, [refresh]);
  useApiEvent('token.changed', (next) => {
    // The office host's own tokens changed: nothing of this browser's.
    if (!allowedHere('tokens.list')) return;
    setOverview(next);
    setError(null);
  });
  const value = useMemo(() => ({ overview, error, refresh }), [overview, error, refresh]);
  return <TokensContext.Provider value={value}>{children}</TokensContext.Provider>;
}

export function useTokens(): Tokens {
  return useContext(TokensContext);
}

/** A certificate with the token it is on. */
export interface TokenCertificate {
  token: TokenInfo;
  certificate: TokenCertificateInfo;
}

/** A certificate can make a valid signature now: in its validity period and allowed to sign. */
export function canSignWith(certificate: TokenCertificateInfo): boolean {
  return certificate.canSign && certificate.warning !== 'expired' && certificate.warning !== 'not-yet-valid';
}

export function sameToken(a: Pick<TokenInfo, 'label' | 'serial'>, b: Pick<TokenInfo, 'label' | 'serial'>): boolean {
  return a.label === b.label && a.serial === b.serial;
}

/** A certificate on a token here, not an identity a remote signing service holds (a picker offers both). */
export function onToken(entry: TokenCertificate | SignerEntry): entry is TokenCertificate {
  return 'token' in entry;
}

/** Every certificate on every token, for choosing one to sign with. */
export function allCertificates(overview: TokenOverview | null): TokenCertificate[] {
  return (overview?.tokens ?? []).flatMap((token) => token.certificates.map((certificate) => ({ token, certificate })));
}
