// Error sentences for the issuing views. The host names a state by its code ("draft"); the clerk
// reads it in words ("Dự thảo"), so WRONG_STATE gets its state translated before it is shown. A
// missing signer name comes as a bare INVALID_INPUT, which is given its own sentence.
import type { ApiErrorShape } from '../../../main/common/errors.js';
import { ApiError, isApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { DOCUMENT_STATES, type DocumentState } from '../documents/filters.js';

export function useIssuingErrorMessage(): (error: unknown, params?: Record<string, string | undefined>) => string {
  const { t, errorMessage } = useI18n();
  return (error, params) => {
    // Numbering compares the signature with the declared signer: with none declared, say which field to fill.
    if (isApiError(error) && error.code === 'INVALID_INPUT' && error.details.field === 'signerName') return t('issuing.error.signerMissing');
    if (isApiError(error) && error.code === 'WRONG_STATE') {
      const state = error.details.state;
      if (typeof state === 'string' && (DOCUMENT_STATES as readonly string[]).includes(state)) {
        return errorMessage(new ApiError(error.code, error.message, { ...error.details, state: t(`state.${state as DocumentState}`) }), params);
      }
    }
    return errorMessage(error, params);
  };
}

/** An error as the contract carries it inside an answer (numbering.reason), as a throwable one. */
export function fromShape(shape: ApiErrorShape): ApiError {
  return new ApiError(shape.code, shape.message, shape.details);
}
