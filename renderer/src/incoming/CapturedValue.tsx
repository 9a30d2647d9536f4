// A field of an incoming document's record as the clerk should read it: a value eOffice read off
// the file is marked "đoán từ …" until the clerk confirms it at tiếp nhận (the tooltip says where
// it came from); a field the register needs and the file does not say is "chưa xác định — nhập
// khi tiếp nhận", never a silent default.
import type { ReactNode } from 'react';
import { isGuessed, missingRegisterFields, type Capture, type CaptureField, type RegisterValues } from '../../../main/common/capture.js';
import { useI18n } from '../i18n/i18n.js';
import './capture.css';

interface CapturedValueProps {
  field: CaptureField;
  capture: Capture | null;
  /** The document's values, to tell what the register still lacks. */
  values: RegisterValues;
  /** 'missing': only what is to fill in is marked (a heading, whose guesses the data below marks). */
  marks?: 'all' | 'missing';
  children: ReactNode;
}

export function CapturedValue({ field, capture, values, marks = 'all', children }: CapturedValueProps) {
  const { t } = useI18n();
  const source = capture?.sources[field] ?? null;
  if ((missingRegisterFields(values, capture) as string[]).includes(field)) {
    return (
      <span className="capture-missing" data-testid={`capture-missing-${field}`} title={t('capture.missingTitle')}>
        {source === 'file-name' && children}
        <span className="capture-mark">{t('capture.missing')}</span>
      </span>
    );
  }
  if (marks === 'all' && isGuessed(capture, field) && source) {
    const from = t(`capture.source.${source}`);
    return (
      <span className="capture-guessed" data-testid={`capture-guessed-${field}`} data-source={source} title={t('capture.guessedTitle', { source: from })}>
        {children}
        <span className="capture-mark">{t('capture.guessed', { source: from })}</span>
      </span>
    );
  }
  // Confirmed or given: where it came from stays a tooltip away.
  return source && source !== 'clerk' ? <span title={t('capture.confirmedTitle', { source: t(`capture.source.${source}`) })}>{children}</span> : <>{children}</>;
}

/** The type's name, or "Chưa xác định loại" when nothing said what the document is. */
export function useTypeLabel() {
  const { t, typeName } = useI18n();
  return (typeCode: string, capture: Capture | null) => (capture && capture.sources.typeCode === null && !capture.confirmedAt ? t('capture.unknownType') : typeName(typeCode));
}
