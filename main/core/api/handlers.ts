// One handler per contract method. Inputs arrive already parsed (invoke.ts); handlers only do
// the work and throw AppError for anything the user can act on.
import { serialized } from './serialized.js';
import type { CoreServices } from '../app/core.js';
import type { Handlers } from './invoke.js';
import { APP_VERSION } from '../app/version.js';
import { currentCaller } from '../app/caller.js';
import { localAgency, updateLocalAgency } from '../registry/agency.js';
import { listRegisters } from '../registry/registers.js';
import { getDocument, getDocumentRow, toSummary, updateDocument } from '../registry/documents.js';
import { listResults, searchDocuments } from '../registry/search.js';
import { listSavedSearches, removeSavedSearch, saveSearch } from '../registry/savedSearches.js';
import { auditRefusals } from '../registry/recordLock.js';
import { verifyAudit } from '../registry/audit.js';
import { listDocumentFiles, readDocumentFile, revealDocumentFile } from '../registry/documentFiles.js';
import { duplicatesOf } from '../registry/duplicates.js';
import { createExchangeHandlers } from './exchangeHandlers.js';
import { lazyGroup } from './methodGroups.js';
import type { ExchangeService } from '../exchange/service.js';

export function createHandlers(core: CoreServices, exchange: ExchangeService, info: { shell: 'electron' | 'web'; schemaVersion: number }): Handlers {
  const maxImportBytes = () => core.settings.read().maxImportMegabytes * 1024 * 1024;
  // Imports, signing and issuing run one at a time: the duplicate check, the file journal and
  // "sign the current file" all assume a single writer (and two batches over one document would
  // each sign the file the other replaces).
  const writeQueue = serialized();
  return {
    // A colleague on the office host is not told where the host keeps its data.
    'app.info': () => ({ version: APP_VERSION, dataDir: currentCaller() ? '' : core.dataDir, schemaVersion: info.schemaVersion, shell: info.shell, maxImportBytes: maxImportBytes() }),
    'agency.get': () => {
      const a = localAgency(core.db);
      return { code: a.code, name: a.name, abbreviation: a.abbreviation };
    },
    'agency.update': (input) => {
      const a = updateLocalAgency(core.db, input);
      return { code: a.code, name: a.name, abbreviation: a.abbreviation };
    },
    'settings.get': () => core.settings.read(),
    'settings.update': (patch) => core.settings.update(patch),
    'registers.list': ({ year }) => listRegisters(core.db, year),
    'documents.list': ({ offset, limit, sort, order, ...filters }) => listResults(core.db, filters, offset, limit, { sort, order }),
    'documents.search': ({ query, offset, limit, sort, order, ...filters }) => searchDocuments(core.db, query, filters, offset, limit, { sort, order }),
    'searches.list': () => listSavedSearches(core.db),
    'searches.save': ({ name, search }) => saveSearch(core.db, name, search),
    'searches.remove': ({ name }) => removeSavedSearch(core.db, name),
    'audit.verify': () => verifyAudit(core.db),
    'documents.get': ({ id }) => getDocument(core.db, id),
    'documents.update': ({ id, patch }) => {
      // What the record's lock holds is refused (recordLock.ts), and the refusal audited.
      auditRefusals(core.db, core.actor, () => core.db.transaction(() => updateDocument(core.db, id, patch, core.actor)).immediate());
      core.events.emit('documents.changed', { ids: [id] });
      return getDocument(core.db, id);
    },
    'documents.files': ({ id }) => listDocumentFiles(core.db, id),
    'documents.content': ({ id, sha256 }) => {
      const { file, bytes } = readDocumentFile(core.db, core.blobs, id, sha256);
      return { fileName: file.fileName, mediaType: file.mediaType, bytes };
    },
    'documents.showInFolder': ({ id, sha256 }) => revealDocumentFile(core.db, core.blobs, core.fileReveal, id, sha256),
    'documents.import': (input) =>
      writeQueue(async () => {
        // pdf.js comes with the import: listing and searching never need it.
        const { importDocument } = await import('../registry/importDocument.js');
        const id = await importDocument({ db: core.db, blobs: core.blobs, maxBytes: maxImportBytes(), actor: core.actor }, input);
        core.events.emit('documents.changed', { ids: [id] });
        const document = toSummary(getDocumentRow(core.db, id));
        // Imported whatever it duplicates: the clerk is warned, and decides (Appendix VI 1h).
        return { document, duplicates: document.direction === 'in' ? duplicatesOf(core.db, id) : [] };
      }),
    ...createExchangeHandlers(core, exchange),
    ...lazyGroup('signing', async () => (await import('./signingHandlers.js')).createSigningHandlers(core, writeQueue)),
    ...lazyGroup('outgoing', async () => (await import('./outgoingHandlers.js')).createOutgoingHandlers(core, writeQueue)),
    ...lazyGroup('validation', async () => (await import('./validationHandlers.js')).createValidationHandlers(core)),
    ...lazyGroup('accounts', async () => (await import('./accountHandlers.js')).createAccountHandlers(core)),
    ...lazyGroup('incoming', async () => (await import('./incomingHandlers.js')).createIncomingHandlers(core, exchange, writeQueue)),
    ...lazyGroup('report', async () => (await import('./reportHandlers.js')).createReportHandlers(core)),
  };
}
