// The sidebar's way back to Tổng quan, the start page, above the registers.
import { useI18n } from '../i18n/i18n.js';
import './dashboard.css';

export function DashboardNav({ current, onOpen }: { current: boolean; onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <nav className="dashboard-nav" aria-label={t('dashboard.nav')}>
      <button
        type="button"
        className={current ? 'exchange-nav-link dashboard-nav-link is-current' : 'exchange-nav-link dashboard-nav-link'}
        data-testid="open-dashboard"
        aria-current={current ? 'page' : undefined}
        onClick={onOpen}
      >
        <span className="icon-dashboard" aria-hidden="true" />
        <span className="exchange-nav-label">{t('dashboard.title')}</span>
      </button>
    </nav>
  );
}
