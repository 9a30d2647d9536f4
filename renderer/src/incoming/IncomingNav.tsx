// The incoming register's own tasks, under the register tabs: the working list (accept, assign,
// follow), the register book, and the trusted certificates that signatures are checked against.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { TrustDialog } from '../validation/TrustDialog.js';
import '../outgoing/outgoing.css';

export type IncomingView = 'work' | 'book';

export function IncomingNav({ view, onView }: { view: IncomingView | null; onView: (view: IncomingView) => void }) {
  const { t } = useI18n();
  const [trustDialog, setTrustDialog] = useState(false);
  const link = (name: IncomingView, testId: string, icon: string, label: string) => (
    <button
      type="button"
      className={view === name ? 'outgoing-nav-link is-current' : 'outgoing-nav-link'}
      data-testid={testId}
      aria-current={view === name ? 'page' : undefined}
      onClick={() => onView(name)}
    >
      <span className={icon} aria-hidden="true" />
      {label}
    </button>
  );
  return (
    <nav className="outgoing-nav incoming-nav" aria-label={t('incomingNav.label')}>
      {link('work', 'open-incoming', 'icon-inbox', t('incomingNav.work'))}
      {link('book', 'open-incoming-book', 'icon-book', t('incomingNav.book'))}
      <button type="button" className="outgoing-nav-link" data-testid="open-trust-store" onClick={() => setTrustDialog(true)}>
        <span className="icon-shield" aria-hidden="true" />
        {t('incomingNav.trust')}
      </button>
      {trustDialog && <TrustDialog onClose={() => setTrustDialog(false)} />}
    </nav>
  );
}
