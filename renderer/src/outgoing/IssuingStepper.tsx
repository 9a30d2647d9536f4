// Quy trình phát hành as an ordered list: dự thảo → đã ký → đã cấp số → đã đóng dấu (ký số cơ
// quan) → chờ gửi → đã gửi, each done step with who, when (Vietnam time) and with which
// certificate. The step in progress carries aria-current; a recalled, updated or replaced
// document ends the list with that state and its reason.
import type { OutgoingDetail } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { useI18n } from '../i18n/i18n.js';
import { commonName } from '../../../main/common/distinguishedName.js';

const AFTER_ISSUE_KINDS = { recalled: 'recalled', updated: 'updated', replaced: 'replaced' } as const;
type AfterIssueState = keyof typeof AFTER_ISSUE_KINDS;

function isAfterIssue(state: string): state is AfterIssueState {
  return state in AFTER_ISSUE_KINDS;
}

export function IssuingStepper({ outgoing }: { outgoing: OutgoingDetail }) {
  const { t } = useI18n();
  const { steps, document } = outgoing;
  const ended = isAfterIssue(document.state) ? document.state : null;
  const next = steps.findIndex((s) => !s.done);
  // Where the document stands: the first step not yet done, or the last one once all are.
  const current = ended ? -1 : next === -1 ? steps.length - 1 : next;
  // The state change's own entry in the audit trail, for its time and the replacement's notation.
  const endEvent = ended ? [...document.events].reverse().find((e) => e.kind === AFTER_ISSUE_KINDS[ended] && typeof e.details.reason === 'string') : undefined;
  const replacement = typeof endEvent?.details.replacementNotation === 'string' ? endEvent.details.replacementNotation : null;

  return (
    <ol className="issuing-steps" aria-label={t('issuing.stepsLabel')} data-testid="issuing-steps">
      {steps.map((step, index) => {
        const status = step.done ? 'done' : index === current ? 'current' : 'upcoming';
        return (
          <li
            key={step.step}
            className={`issuing-step is-${status}`}
            aria-current={index === current ? 'step' : undefined}
            data-testid="issuing-step"
            data-step={step.step}
            data-done={step.done ? 'true' : 'false'}
          >
            <span className="step-marker" aria-hidden="true">
              {step.done ? '✓' : index + 1}
            </span>
            <div className="step-body">
              <span className="step-title">
                {t(`issuing.step.${step.step}`)}
                <span className="visually-hidden"> — {t(`issuing.status.${status}`)}</span>
              </span>
              {step.detail && (
                <span className="step-detail" data-testid="step-detail">
                  {step.detail}
                </span>
              )}
              {step.done && step.at && (
                <span className="step-meta">
                  <time dateTime={step.at} title={step.at}>
                    {formatDateTimeVn(step.at)}
                  </time>
                  {step.actor && <span>{t('issuing.by', { actor: step.actor })}</span>}
                </span>
              )}
              {step.certificate && (
                <span className="step-certificate" data-testid="step-certificate" title={step.certificate}>
                  {t('issuing.certificate', { name: commonName(step.certificate) })}
                </span>
              )}
              {!step.done && index === current && <span className="step-next">{t(`issuing.next.${step.step}`)}</span>}
            </div>
          </li>
        );
      })}
      {ended && (
        <li className={`issuing-step is-ended is-${ended}`} aria-current="step" data-testid="issuing-step" data-step={ended}>
          <span className="step-marker" aria-hidden="true">
            !
          </span>
          <div className="step-body">
            <span className="step-title">{t(`state.${ended}`)}</span>
            {outgoing.stateReason && (
              <span className="step-reason" data-testid="state-reason">
                {t('issuing.reason', { reason: outgoing.stateReason })}
              </span>
            )}
            {replacement && <span className="step-detail">{t('issuing.replacedBy', { notation: replacement })}</span>}
            {endEvent && (
              <span className="step-meta">
                <time dateTime={endEvent.at} title={endEvent.at}>
                  {formatDateTimeVn(endEvent.at)}
                </time>
                {endEvent.actor && <span>{t('issuing.by', { actor: endEvent.actor })}</span>}
              </span>
            )}
          </div>
        </li>
      )}
    </ol>
  );
}
