import { useI18n } from '../i18n/i18n.js';
import type { ImportState } from '../import/useImport.js';

export function ImportProgress({ state }: { state: ImportState }) {
  const { t } = useI18n();
  const label = t('import.progress', { current: Math.min(state.done + 1, state.total), total: state.total, fileName: state.current ?? '' });
  return (
    <div className="import-progress" data-testid="import-progress" role="progressbar" aria-valuemin={0} aria-valuemax={state.total} aria-valuenow={state.done} aria-valuetext={label}>
      <div className="import-progress-label">{label}</div>
      <div className="progress-track" aria-hidden="true">
        <div className="progress-fill" style={{ width: `${state.total ? (state.done / state.total) * 100 : 0}%` }} />
      </div>
    </div>
  );
}
