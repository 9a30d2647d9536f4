// One part of Cài đặt: a card with its title, a line on what it is for, the button that edits it,
// and what is set; in the first-run setup marked done or still to do.
import { useId, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

export function Part({
  name,
  title,
  lead,
  done,
  action,
  adminOnly = false,
  children,
}: {
  name: string;
  title: MessageKey;
  lead: MessageKey;
  done: boolean;
  action?: { label: MessageKey; onClick: () => void; primary?: boolean } | undefined;
  /** Changed by an administrator only: without the button (not one, on the office host), this says so. */
  adminOnly?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <li className={done ? 'settings-part is-done' : 'settings-part'} data-testid={`settings-${name}`} data-done={done ? 'true' : 'false'} aria-labelledby={`${id}-title`}>
      <div className="settings-part-head">
        <span className="settings-part-mark" aria-hidden="true" />
        <div className="settings-part-text">
          <h3 id={`${id}-title`} className="settings-part-title">
            {t(title)}
            <span className="visually-hidden">{t(done ? 'settings.partDone' : 'settings.partTodo')}</span>
          </h3>
          <p className="muted">{t(lead)}</p>
        </div>
        {action && (
          <button type="button" className={action.primary ? 'button button-primary' : 'button'} data-testid={`settings-${name}-edit`} onClick={action.onClick}>
            {t(action.label)}
          </button>
        )}
      </div>
      <div className="settings-part-body">
        {children}
        {!action && adminOnly && <p className="settings-note muted">{t('settings.adminOnly')}</p>}
      </div>
    </li>
  );
}

export function Fact({ label, value, technical, testId }: { label: string; value: string; technical?: boolean; testId?: string }) {
  return (
    <div className="settings-fact">
      <dt>{label}</dt>
      <dd className={technical ? 'technical-value' : undefined} title={value} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
