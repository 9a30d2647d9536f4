// Đăng nhập: the office host's first screen (issue 15). Nothing of the office is shown before a
// session — not even the agency's name, which takes a signed-in call — so the card is generic.
// The host's refusals come with their code: a wrong login or password (alike, on purpose), a wait
// after several (with its seconds), a locked or a disabled account.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { signIn } from '../api/client.js';
import { useI18n, type Locale } from '../i18n/i18n.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';

interface SignInScreenProps {
  /** Why the screen is shown again (a sign-out that did not reach the host), if any. */
  problem?: unknown;
  onLocaleChange: (locale: Locale) => void;
  onSignedIn: () => void;
}

export function SignInScreen({ problem = null, onLocaleChange, onSignedIn }: SignInScreenProps) {
  const { t, errorMessage } = useI18n();
  const id = useId();
  const loginField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(problem);

  useEffect(() => loginField.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !login.trim() || !password) return;
    setBusy(true);
    setFailure(null);
    try {
      await signIn(login.trim(), password);
      onSignedIn();
    } catch (error) {
      setFailure(error);
      // The password is typed again; the login usually stays right.
      setPassword('');
      setBusy(false);
      passwordField.current?.focus();
    }
  }

  return (
    <div className="splash">
      <form className="splash-card sign-in-card" data-testid="sign-in" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
        <span className="brand-mark brand-mark-large" aria-hidden="true">
          e
        </span>
        <div className="sign-in-heading">
          <h1 id={`${id}-title`}>{t('signIn.title')}</h1>
          <p className="muted">{t('signIn.host')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-login`}>{t('signIn.login')}</label>
          <input
            ref={loginField}
            id={`${id}-login`}
            data-testid="sign-in-login"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={login}
            maxLength={64}
            disabled={busy}
            onChange={(e) => setLogin(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('signIn.password')}</label>
          <input
            ref={passwordField}
            id={`${id}-password`}
            data-testid="sign-in-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            maxLength={256}
            disabled={busy}
            aria-invalid={failure !== null ? true : undefined}
            aria-describedby={failure !== null ? `${id}-error` : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {failure !== null && (
          <p id={`${id}-error`} className="form-error sign-in-error" role="alert" data-testid="sign-in-error">
            {errorMessage(failure)}
          </p>
        )}
        <button type="submit" className="button button-primary sign-in-submit" data-testid="sign-in-submit" disabled={busy || !login.trim() || !password}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('signIn.submit')}
        </button>
        <p className="field-hint">{t('signIn.hint')}</p>
        <div className="sign-in-language">
          <LanguageSwitcher onChange={onLocaleChange} />
        </div>
      </form>
    </div>
  );
}
