import { useCallback, useEffect, useRef, useState, type MouseEvent } from 'react';
import type { Output, UserInfo } from '../../main/common/contract.js';
import { allowedHere, call, officeSession, onOfficeHost, onUnauthorized, signOut, type Unauthorized } from './api/client.js';
import { I18nProvider, useI18n, type Locale } from './i18n/i18n.js';
import { AppHeader } from './components/AppHeader.js';
import { StatusBar } from './components/StatusBar.js';
import { SignInScreen } from './components/SignInScreen.js';
import { FOCUS_SEARCH_EVENT, Workspace } from './components/Workspace.js';
import { TokensProvider } from './tokens/TokensProvider.js';
import { ExchangeStatusProvider } from './exchange/ExchangeStatusProvider.js';
import { useSidebarCollapsed } from './components/sidebarState.js';
import type { Cover } from './components/Workspace.js';

type Boot =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; info: Output<'app.info'>; agencyName: string; user: UserInfo | null };

export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [locale, setLocale] = useState<Locale>('vi');
  const [unauthorized, setUnauthorized] = useState<Unauthorized | null>(null);
  // Why the sign-in screen is shown again, if not for the first time (sign-out failed to reach the host).
  const [signInProblem, setSignInProblem] = useState<unknown>(null);
  // A language chosen in this page (on the sign-in screen, say) outlasts the saved one at boot.
  const chosenLocale = useRef<Locale | null>(null);
  // Once the app has shown a person's work, the next sign-in reloads the page rather than reuse its state.
  const booted = useRef(false);
  // The exchange view and Cài đặt open from the header as well as from the sidebar, so which of
  // them covers the workspace is decided here. Cài đặt opens by itself as a first-run setup while
  // the agency has no name: every notation, signature and report needs it.
  const [cover, setCover] = useState<Cover>(null);
  const [sidebarCollapsed, setSidebarCollapsed] = useSidebarCollapsed();

  useEffect(() => onUnauthorized(setUnauthorized), []);

  const start = useCallback(() => {
    setBoot({ status: 'loading' });
    // On the office host nothing but the sign-in screen shows before a session.
    (onOfficeHost ? officeSession() : Promise.resolve(null))
      .then(async (user) => {
        if (onOfficeHost && !user) return setUnauthorized('sign-in');
        const [info, settings, agency] = await Promise.all([call('app.info', {}), call('settings.get', {}), call('agency.get', {})]);
        setLocale(chosenLocale.current ?? settings.locale);
        setBoot({ status: 'ready', info, agencyName: agency.name, user });
        booted.current = true;
        // The first-run setup is the administrator's to do; others see Cài đặt when they open it.
        if (!agency.name && allowedHere('agency.update')) setCover('setup');
      })
      .catch((error: unknown) => setBoot({ status: 'failed', error }));
  }, []);
  useEffect(start, [start]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const chooseLocale = useCallback((next: Locale) => {
    chosenLocale.current = next;
    setLocale(next);
  }, []);

  const changeLocale = useCallback((next: Locale) => {
    chooseLocale(next);
    // Not saving only means the next start opens in the old language; this session switches regardless.
    call('settings.update', { locale: next }).catch(() => undefined);
  }, [chooseLocale]);

  const signedIn = useCallback(() => {
    if (booted.current) return window.location.reload();
    setUnauthorized(null);
    setSignInProblem(null);
    start();
  }, [start]);

  const leave = useCallback(() => {
    // The work leaves the screen with the sign-in screen; the next sign-in reloads the page.
    signOut().then(
      () => {
        setSignInProblem(null);
        setUnauthorized('sign-in');
      },
      (error: unknown) => {
        setSignInProblem(error);
        setUnauthorized('sign-in');
      },
    );
  }, []);

  return (
    <I18nProvider locale={locale}>
      {unauthorized === 'reopen-url' ? (
        <UnauthorizedScreen />
      ) : unauthorized === 'sign-in' ? (
        // Choosing the language here only switches this page: settings.get needs a session.
        <SignInScreen problem={signInProblem} onLocaleChange={chooseLocale} onSignedIn={signedIn} />
      ) : boot.status === 'ready' ? (
        <ExchangeStatusProvider>
          <div className="app">
            <SkipLink />
            <AppHeader
              agencyName={boot.agencyName}
              onLocaleChange={changeLocale}
              onOpenExchange={() => setCover('exchange')}
              // While the agency has no name, Cài đặt opens as the setup it still is.
              onOpenSettings={() => setCover(boot.agencyName ? 'settings' : 'setup')}
              sidebarCollapsed={sidebarCollapsed}
              onToggleSidebar={() => setSidebarCollapsed(!sidebarCollapsed)}
              user={boot.user}
              onSignOut={leave}
            />
            <TokensProvider>
              <Workspace
                info={boot.info}
                agencyName={boot.agencyName}
                onAgencyNamed={(agencyName) => setBoot({ ...boot, agencyName })}
                cover={cover}
                onCover={setCover}
                onLocaleChange={changeLocale}
                sidebarCollapsed={sidebarCollapsed}
              />
            </TokensProvider>
            <StatusBar version={boot.info.version} dataDir={boot.info.dataDir} />
          </div>
        </ExchangeStatusProvider>
      ) : (
        <BootScreen boot={boot} onRetry={start} />
      )}
    </I18nProvider>
  );
}

function SkipLink() {
  const { t } = useI18n();
  const toSearch = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    window.dispatchEvent(new CustomEvent(FOCUS_SEARCH_EVENT));
  };
  // The start page is the overview, and the list may be hidden behind any view: the link goes to
  // the heading of whatever is on screen (views focus their title the same way), else the list.
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const target = [...document.querySelectorAll<HTMLElement>('.view-title[tabindex], #document-list-panel')].find((element) => element.offsetParent !== null);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  return (
    <>
      <a className="skip-link" href="#document-list-panel" onClick={skip} data-testid="skip-to-content">
        {t('dashboard.skipToContent')}
      </a>
      <a className="skip-link" href="#search" onClick={toSearch} data-testid="skip-to-search">
        {t('search.skipTo')}
      </a>
    </>
  );
}

function BootScreen({ boot, onRetry }: { boot: Exclude<Boot, { status: 'ready' }>; onRetry: () => void }) {
  const { t, errorMessage } = useI18n();
  return (
    <div className="splash">
      <div className="splash-card">
        <span className="brand-mark brand-mark-large" aria-hidden="true">
          e
        </span>
        {boot.status === 'loading' ? (
          <p role="status">
            <span className="spinner" aria-hidden="true" /> {t('app.loading')}
          </p>
        ) : (
          <>
            <h1>{t('app.bootFailed')}</h1>
            <p role="alert">{errorMessage(boot.error)}</p>
            <button type="button" className="button button-primary" onClick={onRetry}>
              {t('app.retry')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function UnauthorizedScreen() {
  const { t } = useI18n();
  return (
    <div className="splash">
      <div className="splash-card" role="alert">
        <span className="brand-mark brand-mark-large" aria-hidden="true">
          e
        </span>
        <h1>{t('app.unauthorized.title')}</h1>
        <p>{t('app.unauthorized.body')}</p>
      </div>
    </div>
  );
}
