import type { UserInfo } from '../../../main/common/contract.js';
import { useI18n, type Locale } from '../i18n/i18n.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import { ConnectionIndicator } from '../exchange/ConnectionIndicator.js';

interface AppHeaderProps {
  agencyName: string;
  onLocaleChange: (locale: Locale) => void;
  onOpenExchange: () => void;
  /** The agency's name is the way to Cài đặt, where it is set (with the axis, the trust roots, the token libraries). */
  onOpenSettings: () => void;
  sidebarCollapsed: boolean;
  onToggleSidebar: () => void;
  /** Who is signed in to the office host; null in the desktop app and on the loopback host, which have no accounts. */
  user?: UserInfo | null;
  onSignOut?: () => void;
}

export function AppHeader({ agencyName, onLocaleChange, onOpenExchange, onOpenSettings, sidebarCollapsed, onToggleSidebar, user = null, onSignOut }: AppHeaderProps) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <button
        type="button"
        className="sidebar-toggle"
        data-testid="sidebar-toggle"
        aria-controls="sidebar"
        aria-expanded={!sidebarCollapsed}
        title={t(sidebarCollapsed ? 'sidebar.expand' : 'sidebar.collapse')}
        onClick={onToggleSidebar}
      >
        <span className="icon-menu" aria-hidden="true" />
        <span className="visually-hidden">{t(sidebarCollapsed ? 'sidebar.expand' : 'sidebar.collapse')}</span>
      </button>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          e
        </span>
        <span className="brand-name">eOffice</span>
      </div>
      <button
        type="button"
        className={agencyName ? 'agency-name' : 'agency-name is-unset'}
        data-testid="header-agency"
        title={agencyName ? t('app.agencyOpenSettings', { name: agencyName }) : t('app.agencySetUp')}
        onClick={onOpenSettings}
      >
        <span className="agency-name-text">{agencyName || t('app.agencyUnset')}</span>
        <span className="icon-gear" aria-hidden="true" />
      </button>
      <ConnectionIndicator onOpen={onOpenExchange} />
      <LanguageSwitcher onChange={onLocaleChange} />
      {user && <SignedIn user={user} onSignOut={onSignOut} />}
    </header>
  );
}

function SignedIn({ user, onSignOut }: { user: UserInfo; onSignOut?: (() => void) | undefined }) {
  const { t } = useI18n();
  const roles = user.roles.map((role) => t(`account.role.${role}`)).join(', ');
  return (
    <div className="header-user" data-testid="header-user" data-login={user.login}>
      <span className="header-user-icon" aria-hidden="true" />
      <span className="header-user-text" title={t('account.signedInAs', { name: user.fullName, login: user.login })}>
        <span className="header-user-name" data-testid="header-user-name">
          {user.fullName}
        </span>
        <span className="header-user-roles" data-testid="header-user-roles">
          {roles}
        </span>
      </span>
      <button type="button" className="header-sign-out" data-testid="sign-out" onClick={onSignOut}>
        {t('account.signOut')}
      </button>
    </div>
  );
}
