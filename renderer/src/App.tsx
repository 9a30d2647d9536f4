import { useCallback, useEffect, useState, type MouseEvent } from 'react';
import type { Output } from '../../main/common/contract.js';
import { call, onUnauthorized } from './api/client.js';
import { I18nProvider, useI18n, type Locale } from './i18n/i18n.js';
import { AppHeader } from './components/AppHeader.js';
import { StatusBar } from './components/StatusBar.js';
import { FOCUS_SEARCH_EVENT, Workspace } from './components/Workspace.js';
import { TokensProvider } from './tokens/TokensProvider.js';
import { ExchangeStatusProvider } from './exchange/ExchangeStatusProvider.js';
import { useSidebarCollapsed } from './components/sidebarState.js';
import type { Cover } from './components/Workspace.js';

type Boot =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; info: Output<'app.info'>; agencyName: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [locale, setLocale] = useState<Locale>('vi');
  const [unauthorized, setUnauthorized] = useState(false);
  // The exchange view and Cài đặt open from the header as well as from the sidebar, so which of
  // them covers the workspace is decided here. Cài đặt opens by itself as a first-run setup while
  // the agency has no name: every notation, signature and report needs it.
  const [cover, setCover] = useState<Cover>(null);
  const [sidebarCollapsed, setSidebarCollapsed] = useSidebarCollapsed();

  useEffect(() => onUnauthorized(() => setUnauthorized(true)), []);

  const start = useCallback(() => {
    setBoot({ status: 'loading' });
    Promise.all([call('app.info', {}), call('settings.get', {}), call('agency.get', {})]).then(
      ([info, settings, agency]) => {
        setLocale(settings.locale);
        setBoot({ status: 'ready', info, agencyName: agency.name });
        if (!agency.name) setCover('setup');
      },
      (error: unknown) => setBoot({ status: 'failed', error }),
    );
  }, []);
  useEffect(start, [start]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const changeLocale = useCallback((next: Locale) => {
    setLocale(next);
    // Not saving only means the next start opens in the old language; this session switches regardless.
    call('settings.update', { locale: next }).catch(() => undefined);
  }, []);

  return (
    <I18nProvider locale={locale}>
      {unauthorized ? (
        <UnauthorizedScreen />
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
