// The tokens plugged in, for every view that needs them (the token panel, the signing form): read
// once, then kept current by the host's token.changed events.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SignerEntry, TokenCertificateInfo, TokenInfo, TokenOverview } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';

export interface Tokens {
  overview: TokenOverview | null;
  error: unknown;
  refresh(): void;
}

const TokensContext = createContext<Tokens>({ overview: null, error: null, refresh: () => undefined });

export function TokensProvider({ children }: { children: ReactNode }) {
  const [overview, setOverview] = useState<TokenOverview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(() => {
    call('tokens.list', {}).then(
      (next) => {
        setOverview(next);
        setError(null);
      },
      (failure: unknown) => setError(failure),
    );
  }, []);
  useEffect(refresh, [refresh]);
  useApiEvent('token.changed', (next) => {
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
