// Signature validation and the trust store, as the UI and the CLI call them.
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import { validateDocument } from '../validation/documentValidation.js';
import { openTrustStore } from '../validation/trustStore.js';

type ValidationHandlers = GroupHandlers<'validation'>;

export function createValidationHandlers(core: CoreServices): ValidationHandlers {
  const store = () => openTrustStore(core.dataDir);
  return {
    'documents.validate': ({ id, online, sha256 }) => validateDocument({ db: core.db, blobs: core.blobs, dataDir: core.dataDir }, id, { online, sha256 }),
    'trust.list': () => store().list(),
    'trust.import': ({ fileName, bytes }) => store().import(bytes, fileName),
    'trust.remove': ({ fingerprint256 }) => {
      store().remove(fingerprint256);
      return store().list();
    },
  };
}
