// Cài đặt: everything a commune sets once, in one place — the agency (its name, identifier code
// and abbreviation), the connection to the axis, the trusted certificates, the token libraries
// and the language. Each part opens the dialog that already edits it (AgencyDialog, AxisDialog,
// TrustDialog, the token panel's "Thêm thư viện token"). While the agency has no name the page
// opens by itself as the first-run setup; it can be closed and reopened from the header's agency
// name or the sidebar. On the office host only the administrator changes them (common/access.ts):
// others see what is set, without the buttons that would be refused. The accounts and the office
// host's fingerprint are the administrator's alone (UsersPart).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Output } from '../../../main/common/contract.js';
import { allowedHere, call } from '../api/client.js';
import { useI18n, type Locale } from '../i18n/i18n.js';
import { AgencyDialog } from '../outgoing/AgencyDialog.js';
import { AxisDialog } from '../exchange/AxisDialog.js';
import { useExchangeStatus } from '../exchange/ExchangeStatusProvider.js';
import { TrustDialog } from '../validation/TrustDialog.js';
import { useTokens } from '../tokens/TokensProvider.js';
import { AddModuleButton } from '../components/TokenPanel.js';
import { LanguageSwitcher } from '../components/LanguageSwitcher.js';
import { Fact, Part } from './SettingsPart.js';
import { UsersPart } from './UsersPart.js';
import '../outgoing/outgoing.css';
import './settings.css';

interface Facts {
  agency: Output<'agency.get'>;
  /** null for whom the host does not show the axis settings (a specialist, a leader). */
  axis: Output<'exchange.getAxis'> | null;
  trusted: number;
}

type Dialog = 'agency' | 'axis' | 'trust' | null;

interface SettingsViewProps {
  /** Opened by itself because the agency has no name yet: the same page, worded as a setup. */
  firstRun: boolean;
  onAgencyNamed: (name: string) => void;
  onLocaleChange: (locale: Locale) => void;
  onOpenExchange: () => void;
  onClose: () => void;
}

export function SettingsView({ firstRun, onAgencyNamed, onLocaleChange, onOpenExchange, onClose }: SettingsViewProps) {
  const i18n = useI18n();
  const { t, count, errorMessage } = i18n;
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const { overview } = useTokens();
  const exchange = useExchangeStatus();

  const load = useCallback(() => {
    Promise.all([call('agency.get', {}), allowedHere('exchange.getAxis') ? call('exchange.getAxis', {}) : null, call('trust.list', {})]).then(
      ([agency, axis, trust]) => {
        setFacts({ agency, axis, trusted: trust.length });
        setFailure(null);
      },
      setFailure,
    );
  }, []);
  useEffect(load, [load]);
  useEffect(() => heading.current?.focus(), []);

  const closeDialog = () => {
    setDialog(null);
    load();
  };

  const agency = facts?.agency;
  const axis = facts?.axis;
  const modules = overview?.modules ?? [];
  const none = t('common.none');

  return (
    <section className="settings-view" aria-labelledby={`${id}-title`} data-testid="settings-view" data-first-run={firstRun ? 'true' : 'false'}>
      <header className="view-head">
        <div className="view-head-text">
          <h2 id={`${id}-title`} className="view-title" ref={heading} tabIndex={-1}>
            {t(firstRun ? 'settings.setupTitle' : 'settings.title')}
          </h2>
          <p className="muted">{t(firstRun ? 'settings.setupLead' : 'settings.lead')}</p>
        </div>
        <button type="button" className="button" data-testid="settings-close" onClick={onClose}>
          {t(firstRun ? 'settings.later' : 'settings.close')}
        </button>
      </header>
      <div className="view-body settings-body">
        {failure !== null && (
          <p className="form-error" role="alert">
            {errorMessage(failure)}
          </p>
        )}
        <ol className="settings-parts">
          <Part
            name="agency"
            title="settings.agency.title"
            lead="settings.agency.lead"
            done={Boolean(agency?.name && agency.code && agency.abbreviation)}
            action={allowedHere('agency.update') ? { label: agency?.name ? 'settings.agency.edit' : 'settings.agency.enter', onClick: () => setDialog('agency'), primary: !agency?.name } : undefined}
            adminOnly
          >
            <dl className="settings-facts">
              <Fact label={t('agency.name')} value={agency?.name || none} testId="settings-agency-name" />
              <Fact label={t('agency.code')} value={agency?.code || none} testId="settings-agency-code" />
              <Fact label={t('agency.abbreviation')} value={agency?.abbreviation || none} />
            </dl>
          </Part>
          <Part
            name="axis"
            title="settings.axis.title"
            lead="settings.axis.lead"
            done={Boolean(axis?.endpoint && axis.systemId && axis.secretSet)}
            action={allowedHere('exchange.setAxis') ? { label: 'settings.axis.edit', onClick: () => setDialog('axis') } : undefined}
            adminOnly
          >
            {/* Not shown to this person by the host: unknown, not unset. */}
            {facts?.axis !== null && (
              <dl className="settings-facts">
                <Fact label={t('axis.endpoint')} value={axis?.endpoint || none} technical />
                <Fact label={t('axis.systemId')} value={axis?.systemId || none} technical />
                <Fact label={t('axis.secret')} value={axis?.secretSet ? t('axis.secretSaved') : none} />
              </dl>
            )}
            {exchange && (
              <p className="settings-note">
                <button type="button" className="link-button" onClick={onOpenExchange}>
                  {t(`exchange.connection.${exchange.connection}`)}
                </button>
                {exchange.lastError && exchange.connection !== 'online' && <span title={exchange.lastError.code}> — {i18n.problemMessage(exchange.lastError)}</span>}
              </p>
            )}
          </Part>
          <Part
            name="trust"
            title="settings.trust.title"
            lead="settings.trust.lead"
            done={(facts?.trusted ?? 0) > 0}
            action={allowedHere('trust.import') ? { label: 'settings.trust.edit', onClick: () => setDialog('trust') } : undefined}
            adminOnly
          >
            <p className="settings-note" data-testid="settings-trust-count">
              {facts ? (facts.trusted > 0 ? t('trust.count', { count: count(facts.trusted) }) : t('trust.emptyTitle')) : none}
            </p>
          </Part>
          {allowedHere('users.list') && <UsersPart />}
          <Part name="tokens" title="settings.tokens.title" lead="settings.tokens.lead" done={modules.some((m) => m.loaded)}>
            {!allowedHere('tokens.list') ? (
              <p className="settings-note">{t('tokens.officeHost')}</p>
            ) : modules.length > 0 ? (
              <ul className="settings-modules" data-testid="settings-modules">
                {modules.map((m) => (
                  <li key={m.path} className={m.error ? 'is-error' : undefined}>
                    <span className="technical-value settings-module-path" title={m.path}>
                      {m.path}
                    </span>
                    <span className="settings-module-state">{m.error ? t(`error.${m.error.code}`, { ...m.error.details }) : t(m.loaded ? 'settings.tokens.loaded' : 'settings.tokens.notLoaded')}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="settings-note">{t('tokens.noModules')}</p>
            )}
            <AddModuleButton />
          </Part>
          <Part name="language" title="settings.language.title" lead="settings.language.lead" done>
            <LanguageSwitcher onChange={onLocaleChange} />
          </Part>
        </ol>
        {firstRun && (
          <div className="settings-finish">
            <p className="muted">{t('settings.setupFinishHint')}</p>
            <button type="button" className="button button-primary" data-testid="settings-done" onClick={onClose}>
              {t('settings.setupDone')}
            </button>
          </div>
        )}
      </div>
      {dialog === 'agency' && (
        <AgencyDialog
          related={false}
          onClose={closeDialog}
          onSaved={(saved) => {
            onAgencyNamed(saved.name);
            load();
          }}
        />
      )}
      {dialog === 'axis' && <AxisDialog onClose={closeDialog} />}
      {dialog === 'trust' && <TrustDialog onClose={closeDialog} />}
    </section>
  );
}
