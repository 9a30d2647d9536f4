// A pass's progress in words and as a share, for the header's indicator and the exchange view.
import type { ExchangeStatus } from '../../../main/common/contract.js';
import type { I18n } from '../i18n/i18n.js';

type Progress = NonNullable<ExchangeStatus['progress']>;

export function passProgressLabel({ t, count }: I18n, progress: Progress): string {
  return t(`exchange.progress.${progress.phase}`, { done: count(progress.done), total: count(progress.total) });
}

export function progressPercent(progress: Progress): number {
  return progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
}
