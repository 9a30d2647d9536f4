import { useI18n, type Locale } from '../i18n/i18n.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';

export function AppHeader({ agencyName, onLocaleChange }: { agencyName: string; onLocaleChange: (locale: Locale) => void }) {
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
      <LanguageSwitcher onChange={onLocaleChange} />
    </header>
  );
}
