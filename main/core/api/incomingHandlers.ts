// The incoming register as the UI and the CLI call it: the list and the "ĐẾN" data, tiếp nhận
// and trả lại, chuyển xử lý / đang xử lý / xong, the answer to a recall, the register book, and
// the directory of handlers.
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import type { ExchangeService } from '../exchange/service.js';
import { bookColumns, bookPeriod } from '../books/book.js';
import { exportBook } from '../books/exportBook.js';
import { acceptIncoming, registerPaper, returnIncoming, type IncomingContext } from '../incoming/register.js';
import { assignIncoming, finishIncoming, startIncoming } from '../incoming/handling.js';
import { answerRecall } from '../incoming/recall.js';
import { incomingCounts, incomingDetail, listIncoming } from '../incoming/views.js';
import { incomingBook, incomingBookRows } from '../incoming/incomingBook.js';
import { readIncomingRecord } from '../registry/importDocument.js';
import { missingRegisterFields } from '../../common/capture.js';
import { addHandler, listHandlers, updateHandler } from '../incoming/handlersDirectory.js';
import { duplicatesOf, findDuplicates, linkDuplicates } from '../registry/duplicates.js';

type IncomingHandlers = GroupHandlers<'incoming'>;

export function createIncomingHandlers(core: CoreServices, exchange: ExchangeService, writeQueue: <T>(task: () => Promise<T>) => Promise<T>): IncomingHandlers {
  const ctx = (): IncomingContext => ({ db: core.db, blobs: core.blobs, actor: core.actor, separateConfidentialSeries: core.settings.read().separateConfidentialSeries });
  /** After a step that may have queued a status: the UI refreshes the document and the queue's counts. */
  const answered = (id: number) => {
    core.events.emit('documents.changed', { ids: [id] });
    core.events.emit('exchange.changed', exchange.status());
    return incomingDetail(core.db, id);
  };
  return {
    'incoming.list': ({ filter, year, offset, limit }) => listIncoming(core.db, { filter, year, offset, limit }),
    'incoming.counts': ({ year }) => incomingCounts(core.db, year),
    'incoming.get': ({ id }) => incomingDetail(core.db, id),
    'incoming.accept': ({ id, fields }) => {
      acceptIncoming(ctx(), id, fields);
      return answered(id);
    },
    'incoming.duplicates': ({ id, notation, authorAgency, documentDate }) =>
      id === undefined
        ? findDuplicates(core.db, { notation: notation ?? null, authorAgency: authorAgency ?? '', documentDate: documentDate ?? null, exchangeId: null })
        : duplicatesOf(core.db, id, { notation, authorAgency, documentDate }),
    'incoming.linkDuplicate': ({ id, linkedId }) => {
      core.db.transaction(() => linkDuplicates(core.db, id, linkedId, core.actor)).immediate();
      core.events.emit('documents.changed', { ids: [id, linkedId] });
      return incomingDetail(core.db, id);
    },
    'incoming.return': ({ id, reason }) => {
      returnIncoming(ctx(), id, reason);
      return answered(id);
    },
    'incoming.register': ({ fileName, bytes, fields }) =>
      writeQueue(async () => {
        const maxBytes = core.settings.read().maxImportMegabytes * 1024 * 1024;
        const id = await registerPaper({ ...ctx(), maxBytes }, { fileName, bytes }, fields);
        core.events.emit('documents.changed', { ids: [id] });
        return incomingDetail(core.db, id);
      }),
    'incoming.readRecord': async ({ fileName, bytes }) => {
      const { number: _number, ...record } = await readIncomingRecord(core.settings.read().maxImportMegabytes * 1024 * 1024, { fileName, bytes });
      return { ...record, missing: missingRegisterFields(record, record.capture) };
    },
    'incoming.assign': ({ id, handlerId, due, note }) => {
      assignIncoming(ctx(), id, { handlerId, due, note });
      return answered(id);
    },
    'incoming.start': ({ id }) => {
      startIncoming(ctx(), id);
      return answered(id);
    },
    'incoming.done': ({ id, note }) => {
      finishIncoming(ctx(), id, note);
      return answered(id);
    },
    'incoming.answerRecall': ({ id, accept, reason }) => {
      answerRecall(ctx(), id, accept, reason);
      return answered(id);
    },
    'incoming.book': ({ year, confidential }) => ({
      columns: bookColumns('in').map((c) => c.vi),
      rows: incomingBookRows(core.db, year, confidential),
    }),
    'incoming.exportBook': ({ year, confidential, from, to, format }) => {
      const period = bookPeriod(year, from, to);
      return exportBook(incomingBook(core.db, year, confidential, period), period, format);
    },
    'handlers.list': ({ includeInactive }) => listHandlers(core.db, includeInactive),
    'handlers.add': (fields) => addHandler(core.db, core.actor, fields),
    'handlers.update': ({ id, ...patch }) => updateHandler(core.db, core.actor, id, patch),
    'handlers.deactivate': ({ id }) => updateHandler(core.db, core.actor, id, { active: false }),
  };
}
