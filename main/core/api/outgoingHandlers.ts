// The handlers for issuing outgoing documents: drafts, places for the number and date,
// numbering, issuing with the agency's token, what follows issuing, and the outgoing register.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import { AppError } from '../../common/errors.js';
import { cleanFileName } from '../registry/importDocument.js';
import { localAgency } from '../registry/agency.js';
import { certificateImage, checkPng } from '../registry/certificateImages.js';
import { convertToPdf } from '../pdf/convertOffice.js';
import { afterIssue, createDraft, findPlacesAgain, issueDocument, markNumberPlaces, numberDocument, updateDraftDetails, type IssuingContext } from '../issuing/outgoing.js';
import { outgoingDetail } from '../issuing/outgoingDetail.js';
import { outgoingBook, outgoingBookRows } from '../issuing/outgoingBook.js';
import { bookColumns, bookPeriod } from '../books/book.js';
import { exportBook } from '../books/exportBook.js';
import { signersContext } from './signingHandlers.js';
import { assertUsable } from '../signing/signStoredFile.js';
import { withSignerKey } from '../signing/signers.js';
import { asSigningBatch } from './signingBatches.js';
import { getDocumentRow } from '../registry/documents.js';

type OutgoingHandlers = GroupHandlers<'outgoing'>;

const OFFICE_EXTENSIONS = /\.(docx|doc|odt|rtf)$/i;

/** A Word or Writer draft becomes a PDF through LibreOffice; the clerk's file is only read. */
async function asPdf(fileName: string, bytes: Uint8Array): Promise<{ fileName: string; bytes: Uint8Array }> {
  if (!OFFICE_EXTENSIONS.test(fileName)) return { fileName, bytes };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-draft-'));
  try {
    // Under the clerk's own (cleaned) name, so that an error names the file they chose.
    const input = path.join(dir, cleanFileName(fileName));
    fs.writeFileSync(input, bytes);
    return { fileName: fileName.replace(OFFICE_EXTENSIONS, '.pdf'), bytes: await convertToPdf(input) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function issuingContext(core: CoreServices): IssuingContext {
  return { db: core.db, blobs: core.blobs, actor: core.actor, separateConfidentialSeries: core.settings.read().separateConfidentialSeries };
}

export function createOutgoingHandlers(core: CoreServices, writeQueue: <T>(task: () => Promise<T>) => Promise<T>): OutgoingHandlers {
  const detail = (id: number) => outgoingDetail(core.db, core.blobs, id, core.settings.read().separateConfidentialSeries);
  const changed = (id: number) => {
    core.events.emit('documents.changed', { ids: [id] });
    return detail(id);
  };
  return {
    'outgoing.create': (input) =>
      writeQueue(async () => {
        const main = await asPdf(input.fileName, input.bytes);
        const attachments = [];
        for (const a of input.attachments) attachments.push(await asPdf(a.fileName, a.bytes));
        const maxBytes = core.settings.read().maxImportMegabytes * 1024 * 1024;
        const id = await createDraft({ ...issuingContext(core), maxBytes }, { ...main, details: input.details, attachments });
        return changed(id);
      }),
    'outgoing.get': ({ id }) => detail(id),
    'outgoing.updateDraft': ({ id, details }) => {
      updateDraftDetails(issuingContext(core), id, details);
      return changed(id);
    },
    'outgoing.markPlaces': ({ id, places }) =>
      writeQueue(async () => {
        await markNumberPlaces(issuingContext(core), id, places);
        return changed(id);
      }),
    'outgoing.findPlaces': ({ id }) => findPlacesAgain(issuingContext(core), id),
    'outgoing.number': ({ id }) =>
      writeQueue(async () => {
        await numberDocument(issuingContext(core), id);
        return changed(id);
      }),
    'outgoing.issue': async ({ id, signer, pin, confirmFinalTry, batchId, sealImage }) => {
      if (sealImage) await checkPng(sealImage);
      return writeQueue(() => asSigningBatch(core, batchId, async (batch) => {
        const agencyName = localAgency(core.db).name.trim();
        if (!agencyName) throw new AppError('AGENCY_NOT_CONFIGURED', "Set the agency's name before issuing: it is written in the agency's signature.");
        // Issuing is a signing act of its own: it asks for the agency token's PIN (or the agency's remote seal, on its phone).
        const subject = getDocumentRow(core.db, id).subject;
        const approval = { display: `Đóng dấu và phát hành: ${subject}`, signal: batch.abort.signal, onWaiting: batch.waiting };
        await withSignerKey(signersContext(core), signer, { pin, confirmFinalTry, askClient: batch.askClient }, async (key) => {
          assertUsable(key);
          const tsaUrl = core.settings.read().tsaUrl;
          await issueDocument(issuingContext(core), id, {
            key,
            agencyName,
            sealImage: sealImage ?? certificateImage(core, key.facts.fingerprint256, 'seal') ?? undefined,
            timestamp: tsaUrl ? { url: tsaUrl } : undefined,
          });
        }, approval);
        return changed(id);
      }));
    },
    'outgoing.afterIssue': ({ id, action, reason, replacementId }) =>
      writeQueue(async () => {
        await afterIssue(issuingContext(core), id, action, reason, replacementId);
        return changed(id);
      }),
    'outgoing.book': ({ year, confidential }) => ({
      columns: bookColumns('out').map((c) => c.vi),
      rows: outgoingBookRows(core.db, year, confidential),
    }),
    'outgoing.exportBook': ({ year, confidential, from, to, format }) => {
      const period = bookPeriod(year, from, to);
      return exportBook(outgoingBook(core.db, year, confidential, period), period, format);
    },
  };
}
