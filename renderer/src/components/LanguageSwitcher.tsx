import { useI18n, type Locale } from '../i18n/i18n.js';

const LOCALES: readonly Locale[] = ['vi', 'en'];

export function LanguageSwitcher({ onChange }: { onChange: (locale: Locale) => void }) {
  const { t, locale } = useI18n();
  return (
    <div className="language-switcher" role="group" aria-label={t('language.label')}>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="segment"
          aria-pressed={option === locale}
          onClick={() => option !== locale && onChange(option)}
        >
          {t(`language.${option}`)}
        </button>
      ))}
    </div>
  );
}
