import { useI18n, type Locale } from '../i18n/i18n.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import { ConnectionIndicator } from '../exchange/ConnectionIndicator.js';

export function AppHeader({ agencyName, onLocaleChange, onOpenExchange }: { agencyName: string; onLocaleChange: (locale: Locale) => void; onOpenExchange: () => void }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          e
        </span>
        <span className="brand-name">eOffice</span>
      </div>
      <div className={agencyName ? 'agency-name' : 'agency-name is-unset'} title={agencyName || undefined}>
        {agencyName || t('app.agencyUnset')}
      </div>
      <ConnectionIndicator onOpen={onOpenExchange} />
      <LanguageSwitcher onChange={onLocaleChange} />
    </header>
  );
}
