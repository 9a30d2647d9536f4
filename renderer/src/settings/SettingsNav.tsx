// The sidebar's way to Cài đặt, at the bottom of the links: the agency, the axis, the trusted
// certificates, the token libraries and the language, in one place (the header's agency name goes there too).
import { useI18n } from '../i18n/i18n.js';
import './settings.css';

export function SettingsNav({ current, onOpen }: { current: boolean; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <nav className="settings-nav" aria-label={t('settings.title')}>
      <button
        type="button"
        className={current ? 'exchange-nav-link is-current' : 'exchange-nav-link'}
        data-testid="open-settings"
        aria-current={current ? 'page' : undefined}
        onClick={onOpen}
      >
        <span className="icon-gear icon-gear-dark" aria-hidden="true" />
        <span className="exchange-nav-label">{t('settings.title')}</span>
      </button>
    </nav>
  );
}
