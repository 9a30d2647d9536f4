// Vietnamese first, English second. Every visible string lives in vi.json / en.json; the
// English catalogue is typed against the Vietnamese one, so a missing key fails the build.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import vi from './vi.json';
import en from './en.json';
import type { Settings } from '../../../main/common/contract.js';
import type { ApiErrorShape } from '../../../main/common/errors.js';
import { documentType } from '../../../main/common/doctypes.js';
import type { ApiErrorCode, ErrorDetails } from '../api/client.js';
import { isApiError } from '../api/client.js';

export type Locale = Settings['locale'];
export type MessageKey = keyof typeof vi;
type MessageParams = Record<string, string | number | boolean | null | undefined>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { vi, en };

function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Digit grouping by hand: Vietnamese writes 250.000, English 250,000, whatever ICU the shell has. */
function formatCount(locale: Locale, n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'vi' ? '.' : ',');
}

function formatDecimal(locale: Locale, n: number): string {
  const [whole = '0', fraction] = n.toFixed(1).split('.');
  const grouped = formatCount(locale, Number(whole));
  return fraction && fraction !== '0' ? `${grouped}${locale === 'vi' ? ',' : '.'}${fraction}` : grouped;
}

export interface I18n {
  locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  count(n: number): string;
  fileSize(bytes: number): string;
  typeName(code: string): string;
  /** A sentence for any thrown value; `params` fill what the error's details lack (e.g. fileName). */
  errorMessage(error: unknown, params?: MessageParams): string;
  /** A problem the core carries inside an answer (a queued job's last error, a pass's error), as a sentence. */
  problemMessage(problem: ApiErrorShape): string;
}

function createI18n(locale: Locale): I18n {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  return {
    locale,
    t,
    count: (n) => formatCount(locale, n),
    fileSize(bytes) {
      if (bytes < 1024) return t('size.bytes', { size: formatCount(locale, bytes) });
      if (bytes < 1024 * 1024) return t('size.kilobytes', { size: formatDecimal(locale, bytes / 1024) });
      return t('size.megabytes', { size: formatDecimal(locale, bytes / (1024 * 1024)) });
    },
    typeName: (code) => documentType(code)?.[locale] ?? code,
    errorMessage(error, params) {
      const code: ApiErrorCode = isApiError(error) ? error.code : 'INTERNAL';
      const details: ErrorDetails = isApiError(error) ? error.details : {};
      return t(`error.${code}`, { ...params, ...details });
    },
    problemMessage: (problem) => t(`error.${problem.code}`, problem.details),
  };
}

const I18nContext = createContext<I18n>(createI18n('vi'));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => createI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
