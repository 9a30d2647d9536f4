// Cài đặt → Người dùng và máy chủ văn phòng (issue 15), the administrator's alone: the accounts as
// the host lists them, adding one, changing one (roles, unit, position, disabled, a new password,
// the certificate it signs in with, its sessions ended), who is connected now, and the office
// host's certificate fingerprint with its QR code, for colleagues' PCs to compare on first connection.
// Passwords are read from their fields when sent and the fields emptied after: never kept in state.
import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import QRCode from 'qrcode';
import type { Output, Role, UserInfo } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { Part } from './SettingsPart.js';
import './users.css';

const ROLES: readonly Role[] = ['van-thu', 'lanh-dao', 'chuyen-vien', 'quan-tri'];

interface Facts {
  users: UserInfo[];
  sessions: Output<'users.sessions'>;
  office: Output<'office.info'>;
}

/** AA:BB:… as the contract wants it, from what was typed or pasted (spaces, lower case, no colons); null when it is not 32 bytes. */
function normalizeFingerprint(typed: string): string | null {
  const hex = typed.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** The two password fields' value when they agree, else null (and the fields emptied). */
function takePassword(first: RefObject<HTMLInputElement | null>, second: RefObject<HTMLInputElement | null>): string | null {
  const a = first.current?.value ?? '';
  const b = second.current?.value ?? '';
  if (a === b && a !== '') return a;
  clear(first, second);
  return null;
}

function clear(...fields: RefObject<HTMLInputElement | null>[]): void {
  for (const field of fields) if (field.current) field.current.value = '';
}

export function UsersPart() {
  const { t, errorMessage } = useI18n();
  const [facts, setFacts] = useState<Facts | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([call('users.list', {}), call('users.sessions', {}), call('office.info', {})]).then(
      ([users, sessions, office]) => {
        setFacts({ users, sessions, office });
        setFailure(null);
      },
      setFailure,
    );
  }, []);
  useEffect(load, [load]);

  const users = facts?.users ?? [];
  const done = users.some((u) => u.active && u.hasPassword && u.roles.includes('quan-tri'));
  return (
    <Part name="users" title="settings.users.title" lead="settings.users.lead" done={done} action={adding ? undefined : { label: 'users.add', onClick: () => setAdding(true) }}>
      {failure !== null && (
        <p className="form-error" role="alert">
          {errorMessage(failure)}
        </p>
      )}
      {adding && (
        <AddUser
          onCancel={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            load();
          }}
        />
      )}
      {facts && users.length === 0 && <p className="settings-note">{t('users.none')}</p>}
      {users.length > 0 && (
        <ul className="users-list" data-testid="users-list">
          {users.map((user) => (
            <UserRow key={user.login} user={user} open={editing === user.login} onToggle={() => setEditing(editing === user.login ? null : user.login)} onChanged={load} />
          ))}
        </ul>
      )}
      {facts && <Sessions sessions={facts.sessions} />}
      {facts && <HostCertificate office={facts.office} />}
    </Part>
  );
}

function RoleChoice({ value, onChange, disabled, testId }: { value: Role[]; onChange: (roles: Role[]) => void; disabled: boolean; testId: string }) {
  const { t } = useI18n();
  return (
    <fieldset className="users-roles" data-testid={testId}>
      <legend>{t('users.roles')}</legend>
      {ROLES.map((role) => (
        <label key={role} className="users-role">
          <input
            type="checkbox"
            data-role={role}
            checked={value.includes(role)}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked ? ROLES.filter((r) => r === role || value.includes(r)) : value.filter((r) => r !== role))}
          />
          {t(`account.role.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

function PasswordFields({ first, second, disabled, testId }: { first: RefObject<HTMLInputElement | null>; second: RefObject<HTMLInputElement | null>; disabled: boolean; testId: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-1`}>{t('users.password')}</label>
        <input ref={first} id={`${id}-1`} type="password" autoComplete="new-password" data-testid={`${testId}-password`} maxLength={256} disabled={disabled} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-2`}>{t('users.passwordAgain')}</label>
        <input ref={second} id={`${id}-2`} type="password" autoComplete="new-password" data-testid={`${testId}-password-again`} maxLength={256} disabled={disabled} />
      </div>
    </>
  );
}

/** A call that changes an account: busy while it runs, its error in words, the list reloaded after. */
function useAction(onChanged: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [problem, setProblem] = useState<'users.passwordMismatch' | 'users.fingerprintInvalid' | 'users.rolesRequired' | null>(null);
  const run = async (action: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    setFailure(null);
    setProblem(null);
    try {
      await action();
      after?.();
      onChanged();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, problem, setProblem, run };
}

function Problem({ failure, problem }: { failure: unknown; problem: MessageKey | null }) {
  const { t, errorMessage } = useI18n();
  if (failure === null && problem === null) return null;
  return (
    <p className="form-error" role="alert" data-testid="users-error">
      {problem ? t(problem) : errorMessage(failure)}
    </p>
  );
}

function AddUser({ onCancel, onAdded }: { onCancel: () => void; onAdded: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const loginField = useRef<HTMLInputElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  const [login, setLogin] = useState('');
  const [fullName, setFullName] = useState('');
  const [position, setPosition] = useState('');
  const [unit, setUnit] = useState('');
  const [roles, setRoles] = useState<Role[]>(['chuyen-vien']);
  const { busy, failure, problem, setProblem, run } = useAction(onAdded);

  useEffect(() => loginField.current?.focus(), []);

  function add() {
    if (roles.length === 0) return setProblem('users.rolesRequired');
    const password = takePassword(first, second);
    if (password === null) return setProblem('users.passwordMismatch');
    // The password goes into this one call; the fields are emptied whatever the answer.
    void run(() => call('users.add', { login: login.trim(), fullName: fullName.trim(), position: position.trim(), unit: unit.trim(), roles, password }).finally(() => clear(first, second)));
  }

  return (
    <fieldset className="users-form" data-testid="users-add-form">
      <legend>{t('users.addTitle')}</legend>
      <div className="users-fields">
        <div className="field">
          <label htmlFor={`${id}-login`}>{t('users.login')}</label>
          <input ref={loginField} id={`${id}-login`} data-testid="users-add-login" value={login} maxLength={64} autoComplete="off" disabled={busy} onChange={(e) => setLogin(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('users.fullName')}</label>
          <input id={`${id}-name`} data-testid="users-add-name" value={fullName} maxLength={200} disabled={busy} onChange={(e) => setFullName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-position`}>{t('users.position')}</label>
          <input id={`${id}-position`} data-testid="users-add-position" value={position} maxLength={200} disabled={busy} onChange={(e) => setPosition(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-unit`}>{t('users.unit')}</label>
          <input id={`${id}-unit`} data-testid="users-add-unit" value={unit} maxLength={200} disabled={busy} onChange={(e) => setUnit(e.target.value)} />
        </div>
        <PasswordFields first={first} second={second} disabled={busy} testId="users-add" />
      </div>
      <RoleChoice value={roles} onChange={setRoles} disabled={busy} testId="users-add-roles" />
      <Problem failure={failure} problem={problem} />
      <div className="users-actions">
        <button type="button" className="button button-small button-quiet" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button-small button-primary" data-testid="users-add-save" disabled={busy || !login.trim() || !fullName.trim()} onClick={add}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('users.addSave')}
        </button>
      </div>
    </fieldset>
  );
}

function userState(user: UserInfo, t: ReturnType<typeof useI18n>['t']): { text: string; kind: 'active' | 'disabled' | 'locked' } {
  if (!user.active) return { text: t('users.state.disabled'), kind: 'disabled' };
  if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) {
    // dd/MM/yyyy HH:mm in Vietnam time: the lock lasts minutes, the hour is what matters.
    return { text: t('users.state.locked', { time: formatDateTimeVn(user.lockedUntil).slice(11) }), kind: 'locked' };
  }
  return { text: t('users.state.active'), kind: 'active' };
}

function UserRow({ user, open, onToggle, onChanged }: { user: UserInfo; open: boolean; onToggle: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const state = userState(user, t);
  const details = [user.position, user.unit].filter(Boolean).join(' · ');
  const roles = user.roles.map((r) => t(`account.role.${r}`)).join(', ');
  return (
    <li className="users-row" data-testid="users-row" data-login={user.login} data-state={state.kind}>
      <div className="users-row-head">
        <div className="users-row-text">
          <span className="users-name">{user.fullName}</span> <span className="technical-value users-login">{user.login}</span>
          {details && (
            <div className="muted users-details" data-testid="users-details">
              {details}
            </div>
          )}
          <div className="users-row-meta">
            <span data-testid="users-roles">{roles}</span>
            <span className={`users-state is-${state.kind}`} data-testid="users-state">
              {state.text}
            </span>
            {user.certificateFingerprint && <span className="muted">{t('users.certificateBound')}</span>}
          </div>
        </div>
        <button type="button" className="button button-small" data-testid="users-edit" aria-expanded={open} onClick={onToggle}>
          {t(open ? 'users.editClose' : 'users.edit')}
        </button>
      </div>
      {open && <UserEditor user={user} onChanged={onChanged} />}
    </li>
  );
}

function UserEditor({ user, onChanged }: { user: UserInfo; onChanged: () => void }) {
  const { t, count } = useI18n();
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  const [fullName, setFullName] = useState(user.fullName);
  const [position, setPosition] = useState(user.position);
  const [unit, setUnit] = useState(user.unit);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [fingerprint, setFingerprint] = useState(user.certificateFingerprint ?? '');
  const [note, setNote] = useState<string | null>(null);
  const { busy, failure, problem, setProblem, run } = useAction(onChanged);
  const done = (message: string) => () => setNote(message);

  function save() {
    if (roles.length === 0) return setProblem('users.rolesRequired');
    void run(() => call('users.update', { login: user.login, patch: { fullName: fullName.trim(), position: position.trim(), unit: unit.trim(), roles } }), done(t('users.saved')));
  }

  function resetPassword() {
    const password = takePassword(first, second);
    if (password === null) return setProblem('users.passwordMismatch');
    void run(() => call('users.setPassword', { login: user.login, password }).finally(() => clear(first, second)), done(t('users.passwordSet')));
  }

  function bind() {
    const fingerprint256 = normalizeFingerprint(fingerprint);
    if (fingerprint256 === null) return setProblem('users.fingerprintInvalid');
    void run(
      () => call('users.bindCertificate', { login: user.login, fingerprint256 }),
      () => {
        setFingerprint(fingerprint256);
        setNote(t('users.certificateSaved'));
      },
    );
  }

  return (
    <div className="users-editor" data-testid="users-editor">
      <fieldset className="users-form">
        <legend>{t('users.details')}</legend>
        <div className="users-fields">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('users.fullName')}</label>
            <input id={`${id}-name`} data-testid="users-edit-name" value={fullName} maxLength={200} disabled={busy} onChange={(e) => setFullName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-position`}>{t('users.position')}</label>
            <input id={`${id}-position`} data-testid="users-edit-position" value={position} maxLength={200} disabled={busy} onChange={(e) => setPosition(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-unit`}>{t('users.unit')}</label>
            <input id={`${id}-unit`} data-testid="users-edit-unit" value={unit} maxLength={200} disabled={busy} onChange={(e) => setUnit(e.target.value)} />
          </div>
        </div>
        <RoleChoice value={roles} onChange={setRoles} disabled={busy} testId="users-edit-roles" />
        <div className="users-actions">
          <button type="button" className="button button-small button-primary" data-testid="users-save" disabled={busy || !fullName.trim()} onClick={save}>
            {t('users.save')}
          </button>
        </div>
      </fieldset>
      <fieldset className="users-form">
        <legend>{t('users.resetPassword')}</legend>
        <div className="users-fields">
          <PasswordFields first={first} second={second} disabled={busy} testId="users-reset" />
        </div>
        <div className="users-actions">
          <button type="button" className="button button-small" data-testid="users-reset-save" disabled={busy} onClick={resetPassword}>
            {t('users.resetPasswordSave')}
          </button>
        </div>
      </fieldset>
      <fieldset className="users-form">
        <legend>{t('users.certificate')}</legend>
        <div className="field">
          <label htmlFor={`${id}-fingerprint`}>{t('users.fingerprint')}</label>
          <input
            id={`${id}-fingerprint`}
            className="technical-value"
            data-testid="users-fingerprint"
            value={fingerprint}
            placeholder="AA:BB:…"
            spellCheck={false}
            autoComplete="off"
            maxLength={200}
            disabled={busy}
            onChange={(e) => setFingerprint(e.target.value)}
          />
        </div>
        <div className="users-actions">
          {user.certificateFingerprint && (
            <button type="button" className="button button-small button-quiet" data-testid="users-unbind" disabled={busy} onClick={() => void run(() => call('users.bindCertificate', { login: user.login, fingerprint256: null }), () => setFingerprint(''))}>
              {t('users.unbind')}
            </button>
          )}
          <button type="button" className="button button-small" data-testid="users-bind" disabled={busy || !fingerprint.trim()} onClick={bind}>
            {t('users.bind')}
          </button>
        </div>
      </fieldset>
      <div className="users-actions">
        <button type="button" className="button button-small" data-testid="users-sign-out-everywhere" disabled={busy} onClick={() => void run(async () => setNote(t('users.signedOut', { count: count((await call('users.signOutEverywhere', { login: user.login })).sessions) })))}>
          {t('users.signOutEverywhere')}
        </button>
        <button type="button" className="button button-small" data-testid="users-toggle-active" disabled={busy} onClick={() => void run(() => call('users.update', { login: user.login, patch: { active: !user.active } }))}>
          {t(user.active ? 'users.disable' : 'users.enable')}
        </button>
      </div>
      <Problem failure={failure} problem={problem} />
      {note && failure === null && problem === null && (
        <p className="settings-note users-note" role="status" data-testid="users-note">
          {note}
        </p>
      )}
    </div>
  );
}

function Sessions({ sessions }: { sessions: Output<'users.sessions'> }) {
  const { t } = useI18n();
  return (
    <section className="users-block" data-testid="users-sessions">
      <h4 className="users-block-title">{t('users.sessions')}</h4>
      {sessions.length === 0 ? (
        <p className="settings-note">{t('users.sessionsNone')}</p>
      ) : (
        <ul className="users-sessions">
          {sessions.map((s, i) => (
            <li key={`${s.login}-${s.since}-${i}`} data-testid="users-session" data-login={s.login}>
              <span className="users-name">{s.fullName}</span> <span className="technical-value">{s.client}</span>
              <span className="muted"> — {t('users.sessionTimes', { since: formatDateTimeVn(s.since), lastSeen: formatDateTimeVn(s.lastSeen) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HostCertificate({ office }: { office: Output<'office.info'> }) {
  const { t } = useI18n();
  const certificate = office.hostCertificate;
  const fingerprint = certificate?.fingerprint256;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (!fingerprint) return;
    let live = true;
    // An <img> of a data: URL: the SVG is shown, never put into the page as markup.
    void QRCode.toString(`eoffice-host:${fingerprint}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((svg) => {
      if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [fingerprint]);
  return (
    <section className="users-block" data-testid="office-host">
      <h4 className="users-block-title">{t('users.hostTitle')}</h4>
      {certificate ? (
        <div className="users-host">
          <div className="users-host-text">
            <p className="muted">{t('users.hostLead')}</p>
            <p className="technical-value users-fingerprint" data-testid="office-fingerprint">
              {certificate.fingerprint256}
            </p>
            <p className="users-words" data-testid="office-words">
              {certificate.words}
            </p>
          </div>
          {qr && <img className="users-qr" data-testid="office-qr" src={qr} width={148} height={148} alt={t('users.hostQr')} />}
        </div>
      ) : (
        <p className="settings-note" data-testid="office-not-served">
          {t('users.hostNotServed')}
        </p>
      )}
    </section>
  );
}
