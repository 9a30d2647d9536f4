import { PRIORITIES } from '../documents/filters.js';
import { useI18n } from '../i18n/i18n.js';

/** The priorities (thường … hỏa tốc hẹn giờ) as <option>s, named in the UI language. */
export function PriorityOptions() {
  const { t } = useI18n();
  return (
    <>
      {PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {t(`priority.${p}`)}
        </option>
      ))}
    </>
  );
}
