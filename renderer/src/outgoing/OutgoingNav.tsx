// The outgoing register's own tasks, under the register tabs: write a new draft, open the
// register book, set the agency's facts that every notation and agency signature need.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { AgencyDialog } from './AgencyDialog.js';
import './outgoing.css';

export type OutgoingView = 'compose' | 'book';

interface OutgoingNavProps {
  view: OutgoingView | null;
  onView: (view: OutgoingView) => void;
  onAgencyNamed: (name: string) => void;
}

export function OutgoingNav({ view, onView, onAgencyNamed }: OutgoingNavProps) {
  const { t } = useI18n();
  const [agencyDialog, setAgencyDialog] = useState(false);
  return (
    <nav className="outgoing-nav" aria-label={t('outgoingNav.label')}>
      <button
        type="button"
        className="button button-primary outgoing-nav-compose"
        data-testid="new-draft"
        aria-current={view === 'compose' ? 'page' : undefined}
        onClick={() => onView('compose')}
      >
        <span className="icon-plus" aria-hidden="true" />
        {t('outgoingNav.compose')}
      </button>
      <button
        type="button"
        className={view === 'book' ? 'outgoing-nav-link is-current' : 'outgoing-nav-link'}
        data-testid="open-book"
        aria-current={view === 'book' ? 'page' : undefined}
        onClick={() => onView('book')}
      >
        <span className="icon-book" aria-hidden="true" />
        {t('outgoingNav.book')}
      </button>
      <button type="button" className="outgoing-nav-link" data-testid="open-agency" onClick={() => setAgencyDialog(true)}>
        <span className="icon-agency" aria-hidden="true" />
        {t('outgoingNav.agency')}
      </button>
      {agencyDialog && <AgencyDialog onClose={() => setAgencyDialog(false)} onSaved={(saved) => onAgencyNamed(saved.name)} />}
    </nav>
  );
}
