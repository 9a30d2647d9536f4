// The periodic report's figures on a real data folder: a hand-built set of outgoing and incoming
// documents, outbox jobs and received packages around the edges of November 2026 (the last
// second of 30/11 and the first of 01/12, a draft and a signed document that are not issued, an
// imported one counted on the date it bears, paper and axis documents, every incoming state,
// documents done on time, late and without a due date, overdue ones per handler, a due-soon one,
// a document of another year). Every expected figure is worked out by hand below from the
// dataset, following the header comment of main/common/report.ts, never copied from the output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import { openDatabase } from '../../main/core/storage/database.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { ensureRegister } from '../../main/core/registry/registers.js';
import { updateLocalAgency } from '../../main/core/registry/agency.js';
import { reportFigures, reportList } from '../../main/core/reports/figures.js';
import { REPORT_LIST_KEYS, OVERDUE_LISTED, type ReportFigures, type ReportListItem, type ReportListKey, type TrendPoint } from '../../main/common/report.js';
import { AppError } from '../../main/common/errors.js';
import { toVnIso, vnDate } from '../../main/common/dates.js';
import { tempDir } from '../support/fixtures.js';

const work: string[] = [];
const cores: Core[] = [];
after(() => {
  for (const c of cores) c.close();
  for (const dir of work) fs.rmSync(dir, { recursive: true, force: true });
});

const AGENCY = { code: '000.00.02.H99', name: 'Ủy ban nhân dân huyện Thử Nghiệm', abbreviation: 'UBND' };
const SENDER = '000.00.01.H99';
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
// The report is made on 3 December 2026 in the morning: "today" in Vietnam is 2026-12-03, so
// overdue means a due date up to 2026-12-02 and due soon means 2026-12-03 … 2026-12-05.
const NOW = new Date('2026-12-03T09:00:00+07:00');

function openReportCore(): Core {
  const dataDir = tempDir('eoffice-report-core-');
  work.push(dataDir);
  const core = openCore({ dataDir, shell: 'web', actor: 'văn thư' });
  cores.push(core);
  updateLocalAgency(core.db, AGENCY);
  return core;
}

interface DocSpec {
  direction: 'in' | 'out';
  state: string;
  /** ISO +07:00 */
  registeredAt: string;
  documentDate?: string | null;
  numberedAt?: string | null;
  sealedAt?: string | null;
  axis?: boolean;
  /** An incoming document outside the axis: an electronic file imported, or a paper scan; none recorded (before migration 0010) is paper. */
  receivedVia?: 'electronic' | 'paper';
  incomingNumber?: boolean;
  handlerId?: number | null;
  assignedAt?: string | null;
  handlingDue?: string | null;
  startedAt?: string | null;
  handledAt?: string | null;
}

let serial = 0;
const incomingNumbers = new Map<number, number>();

/** Inserts a document through the registry, then sets the columns the report reads. */
function add(core: Core, spec: DocSpec): number {
  const n = ++serial;
  // The register's year: the year the document arrived (incoming) or was numbered (outgoing).
  const year = Number((spec.numberedAt ?? spec.registeredAt).slice(0, 4));
  const notation = spec.direction === 'out' ? `${n}/QĐ-UBND` : `${n}/UBND-VP`;
  return core.db.transaction(() => {
    const id = insertDocument(
      core.db,
      {
        direction: spec.direction,
        year,
        typeCode: spec.direction === 'out' ? 'QD' : 'CV',
        subject: `Văn bản thử ${n}`,
        state: spec.state,
        number: n,
        notation,
        documentDate: spec.documentDate ?? null,
        authorAgency: spec.direction === 'in' ? 'Ủy ban nhân dân xã Thử Nghiệm' : '',
        registeredAt: spec.registeredAt,
      },
      'văn thư',
    );
    let incomingNumber: number | null = null;
    if (spec.incomingNumber) {
      incomingNumber = (incomingNumbers.get(year) ?? 0) + 1;
      incomingNumbers.set(year, incomingNumber);
    }
    core.db
      .prepare(
        `UPDATE documents SET numbered_at = @numberedAt, sealed_at = @sealedAt, exchange_id = @exchangeId, sender_code = @senderCode,
           incoming_number = @incomingNumber, accepted_at = @acceptedAt, handler_id = @handlerId, assigned_at = @assignedAt,
           handling_due = @handlingDue, started_at = @startedAt, handled_at = @handledAt, received_via = @receivedVia WHERE id = @id`,
      )
      .run({
        id,
        numberedAt: spec.numberedAt ?? null,
        sealedAt: spec.sealedAt ?? null,
        exchangeId: spec.axis ? `${spec.direction === 'out' ? AGENCY.code : SENDER},2026/11/01,${notation}` : null,
        senderCode: spec.axis && spec.direction === 'in' ? SENDER : null,
        incomingNumber,
        acceptedAt: incomingNumber === null ? null : spec.registeredAt,
        handlerId: spec.handlerId ?? null,
        assignedAt: spec.assignedAt ?? null,
        handlingDue: spec.handlingDue ?? null,
        startedAt: spec.startedAt ?? null,
        handledAt: spec.handledAt ?? null,
        receivedVia: spec.axis && spec.direction === 'in' ? 'axis' : (spec.receivedVia ?? null),
      });
    return id;
  })();
}

function addHandler(core: Core, name: string, unit: string): number {
  const at = '2026-01-05T08:00:00+07:00';
  return Number(core.db.prepare("INSERT INTO handlers (name, unit, kind, created_at, updated_at) VALUES (?, ?, 'person', ?, ?)").run(name, unit, at, at).lastInsertRowid);
}

function addJob(core: Core, documentId: number, state: string, queuedAt: string, packageSize: number | null): void {
  core.db
    .prepare("INSERT INTO outbox_jobs (document_id, action, message_type, state, queued_at, package_size) VALUES (?, 'send', 'edoc', ?, ?, ?)")
    .run(documentId, state, queuedAt, packageSize);
}

let packages = 0;
function addPackage(core: Core, outcome: 'accepted' | 'refused', receivedAt: string): void {
  core.db
    .prepare("INSERT INTO received_packages (axis_doc_id, message_type, sender_code, package_size, outcome, refusal_reason, received_at) VALUES (?, 'edoc', ?, 1000, ?, ?, ?)")
    .run(`axis-${++packages}`, SENDER, outcome, outcome === 'refused' ? 'signature' : null, receivedAt);
}

// ---------------------------------------------------------------------------------------------
// The dataset (one core shared by the tests that read it).
let core: Core;
const O: Record<string, number> = {};
const I: Record<string, number> = {};
let h1: number;
let h2: number;

before(() => {
  core = openReportCore();
  h1 = addHandler(core, 'Nguyễn Văn Bình', 'Phòng Tư pháp');
  h2 = addHandler(core, 'Trần Thị Cúc', 'Văn phòng');

  // --- Outgoing -------------------------------------------------------------------------------
  // Issued through the axis on 05/11, signed by the leader (numbered here) and sealed.
  O.o1 = add(core, { direction: 'out', state: 'sent', registeredAt: '2026-11-04T08:00:00+07:00', numberedAt: '2026-11-05T09:00:00+07:00', sealedAt: '2026-11-05T09:05:00+07:00', axis: true });
  // Numbered at the very last second of November, sent on paper: in November.
  O.o2 = add(core, { direction: 'out', state: 'issued', registeredAt: '2026-11-30T08:00:00+07:00', numberedAt: '2026-11-30T23:59:59+07:00', sealedAt: '2026-11-30T23:59:59+07:00' });
  // Numbered at the first second of December: not November (it is December's, see the year trend).
  O.o3 = add(core, { direction: 'out', state: 'sent', registeredAt: '2026-11-30T10:00:00+07:00', numberedAt: '2026-12-01T00:00:00+07:00', sealedAt: '2026-12-01T00:01:00+07:00', axis: true });
  // A draft and a signed-but-not-numbered document, registered in November: not issued.
  O.o4 = add(core, { direction: 'out', state: 'draft', registeredAt: '2026-11-10T08:00:00+07:00' });
  O.o5 = add(core, { direction: 'out', state: 'signed', registeredAt: '2026-11-11T08:00:00+07:00' });
  // Imported from elsewhere (never numbered here), bearing 15/11, registered after the period:
  // counted on the date it bears, on paper, signed neither by the leader nor by the agency here.
  O.o6 = add(core, { direction: 'out', state: 'issued', registeredAt: '2026-12-02T08:00:00+07:00', documentDate: '2026-11-15' });
  // An old import with no date at all, state 'registered' (not draft or signed): counted on the
  // day it was registered, 20/11.
  O.o7 = add(core, { direction: 'out', state: 'registered', registeredAt: '2026-11-20T08:00:00+07:00' });
  // Issued on 31/10 at the last second: October.
  O.o8 = add(core, { direction: 'out', state: 'sent', registeredAt: '2026-10-30T08:00:00+07:00', numberedAt: '2026-10-31T23:59:59+07:00', sealedAt: '2026-10-31T23:59:59+07:00', axis: true });
  // Numbered on 02/11 but bearing 30/10 (numbered_at wins), not yet sealed: leader-signed only.
  O.o9 = add(core, { direction: 'out', state: 'numbered', registeredAt: '2026-10-29T08:00:00+07:00', documentDate: '2026-10-30', numberedAt: '2026-11-02T08:00:00+07:00' });
  // Issued through the axis on 08/11, then recalled: it was issued, so it still counts.
  O.o10 = add(core, { direction: 'out', state: 'recalled', registeredAt: '2026-11-07T08:00:00+07:00', numberedAt: '2026-11-08T10:00:00+07:00', sealedAt: '2026-11-08T10:05:00+07:00', axis: true });
  // November of the year before.
  O.o11 = add(core, { direction: 'out', state: 'sent', registeredAt: '2025-11-09T08:00:00+07:00', numberedAt: '2025-11-10T09:00:00+07:00', sealedAt: '2025-11-10T09:05:00+07:00', axis: true });
  // Imported, bearing the last day of November (a date, not an instant): in November.
  O.o12 = add(core, { direction: 'out', state: 'issued', registeredAt: '2026-12-02T09:00:00+07:00', documentDate: '2026-11-30' });
  // Imported, bearing the first day of December, registered in November: December (the date borne wins).
  O.o13 = add(core, { direction: 'out', state: 'issued', registeredAt: '2026-11-25T09:00:00+07:00', documentDate: '2026-12-01' });

  // --- Incoming -------------------------------------------------------------------------------
  // Done on its due date, late in the evening: on time. 02/11 08:00 → 10/11 23:30 = 8 d 15.5 h = 207.5 h.
  I.i1 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-02T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-02T10:00:00+07:00', handlingDue: '2026-11-10', startedAt: '2026-11-03T08:00:00+07:00', handledAt: '2026-11-10T23:30:00+07:00' });
  // Done the day after its due date: late. 03/11 08:00 → 06/11 14:00 = 3 d 6 h = 78 h.
  I.i2 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-03T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-11-03T09:00:00+07:00', handlingDue: '2026-11-05', handledAt: '2026-11-06T14:00:00+07:00' });
  // Registered on paper, done without a due date. 09:00 → 11:00 = 2 h.
  I.i3 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-04T09:00:00+07:00', receivedVia: 'paper', incomingNumber: true, handlerId: h1, assignedAt: '2026-11-04T09:30:00+07:00', handledAt: '2026-11-04T11:00:00+07:00' });
  // Arrived in October, done at the first second of November on its due date: done in November
  // (not received in it), on time. 28/10 08:00 → 01/11 00:00 = 3 d 16 h = 88 h.
  I.i4 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-10-28T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-10-28T09:00:00+07:00', handlingDue: '2026-11-01', handledAt: '2026-11-01T00:00:00+07:00' });
  // Received in November, done at the first second of December: state done, but not done in November.
  I.i5 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-10T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-10T09:00:00+07:00', handlingDue: '2026-11-30', handledAt: '2026-12-01T00:00:00+07:00' });
  // Arrived at the last second of November, still waiting to be accepted.
  I.i6 = add(core, { direction: 'in', state: 'received', registeredAt: '2026-11-30T23:59:59+07:00', axis: true });
  // Arrived at the first second of December: not November.
  I.i7 = add(core, { direction: 'in', state: 'received', registeredAt: '2026-12-01T00:00:00+07:00', axis: true });
  // On paper, registered (số đến) but not assigned: accepted, not handled on the network.
  I.i8 = add(core, { direction: 'in', state: 'registered', registeredAt: '2026-11-12T08:00:00+07:00', incomingNumber: true });
  // Returned to the sender before it was accepted: no số đến.
  I.i9 = add(core, { direction: 'in', state: 'returned', registeredAt: '2026-11-13T08:00:00+07:00', axis: true });
  // Accepted, assigned, then recalled by the sender; its past due date does not make it overdue.
  I.i10 = add(core, { direction: 'in', state: 'recalled', registeredAt: '2026-11-14T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-11-14T09:00:00+07:00', handlingDue: '2026-11-20' });
  // Assigned to h1, due 25/11: 8 days overdue on 03/12.
  I.i11 = add(core, { direction: 'in', state: 'assigned', registeredAt: '2026-11-16T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-16T09:00:00+07:00', handlingDue: '2026-11-25' });
  // In progress with h2, due 02/12: 1 day overdue.
  I.i12 = add(core, { direction: 'in', state: 'in_progress', registeredAt: '2026-11-17T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-11-17T09:00:00+07:00', handlingDue: '2026-12-02', startedAt: '2026-11-18T08:00:00+07:00' });
  // An electronic file received outside the axis (e-mail), assigned, due today (03/12): due soon, not overdue.
  I.i13 = add(core, { direction: 'in', state: 'assigned', registeredAt: '2026-11-18T08:00:00+07:00', receivedVia: 'electronic', incomingNumber: true, handlerId: h1, assignedAt: '2026-11-18T09:00:00+07:00', handlingDue: '2026-12-03' });
  // In progress, due 05/12 = today + 2: due soon.
  I.i14 = add(core, { direction: 'in', state: 'in_progress', registeredAt: '2026-11-19T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-19T09:00:00+07:00', handlingDue: '2026-12-05', startedAt: '2026-11-20T08:00:00+07:00' });
  // Assigned, due 06/12 = today + 3: neither overdue nor due soon.
  I.i15 = add(core, { direction: 'in', state: 'assigned', registeredAt: '2026-11-20T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-11-20T09:00:00+07:00', handlingDue: '2026-12-06' });
  // Arrived in September, registered, with a due date of 15/09 and no handler: overdue whatever
  // the period, the most overdue: 15/09 → 03/12 = 15 (Sep) + 31 (Oct) + 30 (Nov) + 3 = 79 days.
  I.i16 = add(core, { direction: 'in', state: 'registered', registeredAt: '2026-09-01T08:00:00+07:00', axis: true, incomingNumber: true, handlingDue: '2026-09-15' });
  // November 2025: received, done, a year before.
  I.i17 = add(core, { direction: 'in', state: 'done', registeredAt: '2025-11-20T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2025-11-20T09:00:00+07:00', handledAt: '2025-11-21T08:00:00+07:00' });
  // Done well before its due date: on time. 08:00 → 08:30 = 0.5 h. The only one done on 21/11.
  I.i18 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-21T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h2, assignedAt: '2026-11-21T08:10:00+07:00', handlingDue: '2026-11-25', handledAt: '2026-11-21T08:30:00+07:00' });
  // Done at 06:00 on 25/11 in Vietnam (still 24/11 in UTC), due 24/11: late by the Vietnam date.
  // 22/11 08:00 → 25/11 06:00 = 2 d 22 h = 70 h.
  I.i19 = add(core, { direction: 'in', state: 'done', registeredAt: '2026-11-22T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-22T09:00:00+07:00', handlingDue: '2026-11-24', handledAt: '2026-11-25T06:00:00+07:00' });
  // Same arrival day as i11 and the same due date: listed after i11 (tie broken by id). 8 days overdue.
  I.i20 = add(core, { direction: 'in', state: 'in_progress', registeredAt: '2026-11-16T15:00:00+07:00', axis: true, incomingNumber: true, handlerId: h1, assignedAt: '2026-11-16T16:00:00+07:00', handlingDue: '2026-11-25', startedAt: '2026-11-17T08:00:00+07:00' });

  // --- Queue and received packages --------------------------------------------------------------
  addJob(core, O.o1!, 'queued', '2026-11-29T10:00:00+07:00', 1000);
  addJob(core, O.o10!, 'sending', '2026-11-28T08:00:00+07:00', 2500); // the oldest waiting
  addJob(core, O.o2!, 'queued', '2026-11-30T10:00:00+07:00', null); // packaged before sizes existed
  addJob(core, O.o3!, 'failed', '2026-11-01T08:00:00+07:00', 700); // older, but failed: not waiting
  addJob(core, O.o8!, 'sent', '2026-10-01T08:00:00+07:00', 900);
  addPackage(core, 'refused', '2026-11-30T23:59:59+07:00'); // in November
  addPackage(core, 'refused', '2026-12-01T00:00:00+07:00'); // December
  addPackage(core, 'refused', '2026-10-31T23:59:59+07:00'); // October
  addPackage(core, 'accepted', '2026-11-15T08:00:00+07:00'); // not refused
});

// ---------------------------------------------------------------------------------------------
// The expected figures of November, by hand.

// Issued in November: o1 (05/11), o2 (30/11 23:59:59), o6 (bears 15/11), o7 (registered 20/11),
// o9 (numbered 02/11), o10 (08/11, recalled since), o12 (bears 30/11). Not: o3 (01/12), o4 draft,
// o5 signed, o8 (31/10), o11 (2025), o13 (bears 01/12).
const issuedIds = () => [O.o1, O.o2, O.o6, O.o7, O.o9, O.o10, O.o12];
const issuedViaAxisIds = () => [O.o1, O.o10];
const issuedOnPaperIds = () => [O.o2, O.o6, O.o7, O.o9, O.o12];
const leaderSignedIds = () => [O.o1, O.o2, O.o9, O.o10]; // numbered_at set
const agencySignedIds = () => [O.o1, O.o2, O.o10]; // sealed_at set
// Received in November (registered_at): all but i4 (Oct), i7 (01/12), i16 (Sep), i17 (2025) = 16.
const receivedIds = () => [I.i1, I.i2, I.i3, I.i5, I.i6, I.i8, I.i9, I.i10, I.i11, I.i12, I.i13, I.i14, I.i15, I.i18, I.i19, I.i20];
// i8 was recorded before 0010 said how it came: paper, as the report counted it then.
const receivedOnPaperIds = () => [I.i3, I.i8];
const receivedElectronicIds = () => [I.i13];
const receivedViaAxisIds = () => receivedIds().filter((id) => !receivedOnPaperIds().includes(id) && !receivedElectronicIds().includes(id)); // 16 − 3 = 13
// Accepted (số đến): all received but i6 (waiting) and i9 (returned before acceptance) = 14.
const acceptedIds = () => receivedIds().filter((id) => id !== I.i6 && id !== I.i9);
// …of which assigned: all but i8 = 13.
const handledOnNetworkIds = () => acceptedIds().filter((id) => id !== I.i8);
const stateIds = (): Record<string, (number | undefined)[]> => ({
  received: [I.i6],
  registered: [I.i8],
  assigned: [I.i11, I.i13, I.i15],
  in_progress: [I.i12, I.i14, I.i20],
  done: [I.i1, I.i2, I.i3, I.i5, I.i18, I.i19], // i5 is done now, though not within November
  returned: [I.i9],
  recalled: [I.i10],
});
// Done within November: i1 207.5 h, i2 78 h, i3 2 h, i4 88 h, i18 0.5 h, i19 70 h (not i5: 01/12).
const doneIds = () => [I.i1, I.i2, I.i3, I.i4, I.i18, I.i19];
const onTimeIds = () => [I.i1, I.i4, I.i18];
const lateIds = () => [I.i2, I.i19];
// Open (registered, assigned, in progress) with a due date before 03/12: i16 (15/09), i11 and i20
// (25/11), i12 (02/12) — in that order, most overdue first, the tie by id.
const overdueIds = () => [I.i16, I.i11, I.i20, I.i12];
const dueSoonIds = () => [I.i13, I.i14]; // due 03/12 and 05/12

function november(): ReportFigures {
  return reportFigures(core.db, NOVEMBER, NOW);
}

const sorted = (ids: (number | undefined)[]) => [...ids].map(Number).sort((a, b) => a - b);

test('outgoing in November: issued past "signed", on numbered_at, else the date borne, else registered_at; the boundary seconds', () => {
  const f = november();
  assert.deepEqual(f.period, NOVEMBER);
  assert.deepEqual(f.agency, { name: AGENCY.name, code: AGENCY.code });
  assert.equal(f.generatedAt, toVnIso(NOW));
  // 7 issued; axis: o1, o10 = 2; paper: o2, o6, o7, o9, o12 = 5; leader: o1, o2, o9, o10 = 4 → 4/7;
  // agency: o1, o2, o10 = 3 → 3/7.
  assert.deepEqual(f.outgoing, { issued: 7, viaAxis: 2, onPaper: 5, leaderSigned: 4, agencySigned: 3, leaderSignedShare: 4 / 7, agencySignedShare: 3 / 7 });
});

test('incoming in November: received on registered_at, axis and paper, accepted, handled on the network, by state now', () => {
  const f = november();
  // 16 received: 13 through the axis, 1 electronic outside it (i13), 2 on paper (i3, i8); 14 accepted; 13 of them assigned → 13/14.
  assert.deepEqual(f.incoming, {
    received: 16,
    viaAxis: 13,
    electronic: 1,
    onPaper: 2,
    accepted: 14,
    handledOnNetwork: 13,
    handledOnNetworkShare: 13 / 14,
    // 1 + 1 + 3 + 3 + 6 + 1 + 1 = 16
    byState: { received: 1, registered: 1, assigned: 3, in_progress: 3, done: 6, returned: 1, recalled: 1 },
  });
});

/**
 * The 90th percentile as Excel's PERCENTILE.INC computes it: at 0-based position h = 0.9 × (n − 1)
 * in ascending order, interpolated between the values either side. Compared to a billionth of an
 * hour, since 0.9 has no exact binary form.
 */
function assertHandling(actual: ReportFigures['handling'], expected: ReportFigures['handling']): void {
  assert.ok(Math.abs((actual.p90Hours ?? NaN) - (expected.p90Hours ?? NaN)) < 1e-9 || actual.p90Hours === expected.p90Hours, `p90 ${actual.p90Hours} ≠ ${expected.p90Hours}`);
  assert.deepEqual({ ...actual, p90Hours: expected.p90Hours }, expected);
}

test('handling in November: done within the period, median of an even count averages the two middle values, p90 interpolated as PERCENTILE.INC', () => {
  const f = november();
  // Hours in ascending order: 0.5 (i18), 2 (i3), 70 (i19), 78 (i2), 88 (i4), 207.5 (i1); n = 6.
  // Median = (70 + 78) / 2 = 74. p90: h = 0.9 × 5 = 4.5 → 88 + 0.5 × (207.5 − 88) = 147.75.
  // On time: i1 (done on its due date at 23:30), i4 (due 01/11, done 01/11 00:00), i18 = 3.
  // Late: i2 (due 05/11, done 06/11), i19 (due 24/11, done 25/11 06:00 Vietnam) = 2. Without due: i3 = 1.
  assertHandling(f.handling, { done: 6, medianHours: 74, p90Hours: 147.75, onTime: 3, late: 2, withoutDue: 1 });
});

test('overdue and due soon as of 03/12, whatever the period: per handler, the most overdue first with days overdue', () => {
  const f = november();
  assert.equal(f.overdue.count, 4);
  assert.equal(f.overdue.dueSoon, 2);
  // h1: i11, i20 = 2; h2: i12 = 1; no handler: i16 = 1.
  const byHandler = [...f.overdue.byHandler].sort((a, b) => (a.handlerId ?? 0) - (b.handlerId ?? 0));
  assert.equal(byHandler.length, 3);
  assert.equal(byHandler[0]!.handlerId, null);
  assert.equal(byHandler[0]!.count, 1);
  assert.equal(typeof byHandler[0]!.name, 'string');
  assert.ok(!['Nguyễn Văn Bình', 'Trần Thị Cúc'].includes(byHandler[0]!.name), 'the unassigned bucket is not named after a handler');
  assert.deepEqual(byHandler.slice(1), [
    { handlerId: h1, name: 'Nguyễn Văn Bình', unit: 'Phòng Tư pháp', count: 2 },
    { handlerId: h2, name: 'Trần Thị Cúc', unit: 'Văn phòng', count: 1 },
  ]);
  assert.deepEqual(
    f.overdue.documents.map((d) => [d.id, d.due, d.daysOverdue]),
    [
      [I.i16, '2026-09-15', 79],
      [I.i11, '2026-11-25', 8], // 25/11 → 03/12
      [I.i20, '2026-11-25', 8],
      [I.i12, '2026-12-02', 1],
    ],
  );
  const i11 = f.overdue.documents[1]!;
  const row = core.db.prepare('SELECT incoming_number, notation, subject, author_agency FROM documents WHERE id = ?').get(I.i11) as { incoming_number: number; notation: string; subject: string; author_agency: string };
  assert.deepEqual(
    { incomingNumber: i11.incomingNumber, notation: i11.notation, subject: i11.subject, author: i11.author, handlerName: i11.handlerName },
    { incomingNumber: row.incoming_number, notation: row.notation, subject: row.subject, author: row.author_agency, handlerName: 'Nguyễn Văn Bình' },
  );
});

test('queue: queued and sending jobs wait (their bytes summed, the oldest named), failed ones counted apart; refusals within the period', () => {
  const f = november();
  // Waiting: o1 queued (1000 B), o10 sending (2500 B), o2 queued (size unknown) = 3, 3500 B;
  // the oldest waiting was queued on 28/11 08:00. Failed: 1. Refused on arrival in November: 1
  // (30/11 23:59:59; not 01/12 00:00:00, not 31/10, not the accepted one).
  assert.deepEqual(f.queue, { waiting: 3, waitingBytes: 3500, failed: 1, oldestWaitingAt: '2026-11-28T08:00:00+07:00', refusedReceived: 1 });
});

function zeroDays(from: string, to: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    points.push({ key: new Date(t).toISOString().slice(0, 10), issued: 0, issuedViaAxis: 0, received: 0, receivedViaAxis: 0, receivedElectronic: 0 });
  }
  return points;
}

function sumTrend(points: TrendPoint[]) {
  return points.reduce(
    (s, p) => ({ issued: s.issued + p.issued, issuedViaAxis: s.issuedViaAxis + p.issuedViaAxis, received: s.received + p.received, receivedViaAxis: s.receivedViaAxis + p.receivedViaAxis, receivedElectronic: s.receivedElectronic + p.receivedElectronic }),
    { issued: 0, issuedViaAxis: 0, received: 0, receivedViaAxis: 0, receivedElectronic: 0 },
  );
}

test('trend of November: one point per day (30, zeros included), summing to the totals', () => {
  const f = november();
  const expected = zeroDays('2026-11-01', '2026-11-30');
  const at = (day: number) => expected[day - 1]!;
  // Issued: o9 02/11, o1 05/11 (axis), o10 08/11 (axis), o6 15/11, o7 20/11, o2 and o12 30/11.
  for (const [day, axis] of [[2, 0], [5, 1], [8, 1], [15, 0], [20, 0], [30, 0], [30, 0]] as const) (at(day).issued += 1), (at(day).issuedViaAxis += axis);
  // Received: i1 02, i2 03, i3 04 (paper), i5 10, i8 12 (paper), i9 13, i10 14, i11 and i20 16,
  // i12 17, i13 18 (electronic), i14 19, i15 20, i18 21, i19 22, i6 30.
  for (const [day, axis] of [[2, 1], [3, 1], [4, 0], [10, 1], [12, 0], [13, 1], [14, 1], [16, 1], [16, 1], [17, 1], [18, 0], [19, 1], [20, 1], [21, 1], [22, 1], [30, 1]] as const)
    (at(day).received += 1), (at(day).receivedViaAxis += axis);
  at(18).receivedElectronic = 1;
  assert.deepEqual(f.trend, { bucket: 'day', points: expected });
  assert.deepEqual(sumTrend(f.trend.points), { issued: f.outgoing.issued, issuedViaAxis: f.outgoing.viaAxis, received: f.incoming.received, receivedViaAxis: f.incoming.viaAxis, receivedElectronic: f.incoming.electronic });
});

test('trend of the year 2026: twelve months, zeros included, summing to the totals', () => {
  const f = reportFigures(core.db, { from: '2026-01-01', to: '2026-12-31' }, NOW);
  const expected: TrendPoint[] = Array.from({ length: 12 }, (_, m) => ({ key: `2026-${String(m + 1).padStart(2, '0')}`, issued: 0, issuedViaAxis: 0, received: 0, receivedViaAxis: 0, receivedElectronic: 0 }));
  // Issued: October o8 (axis); November 7 (2 axis); December o3 (axis) and o13 (paper). o11 is 2025's.
  Object.assign(expected[9]!, { issued: 1, issuedViaAxis: 1 });
  Object.assign(expected[10]!, { issued: 7, issuedViaAxis: 2 });
  Object.assign(expected[11]!, { issued: 2, issuedViaAxis: 1 });
  // Received: September i16; October i4; November 16 (13 axis); December i7 — all four outside
  // November through the axis. i17 is 2025's.
  Object.assign(expected[8]!, { received: 1, receivedViaAxis: 1 });
  Object.assign(expected[9]!, { received: 1, receivedViaAxis: 1 });
  Object.assign(expected[10]!, { received: 16, receivedViaAxis: 13, receivedElectronic: 1 });
  Object.assign(expected[11]!, { received: 1, receivedViaAxis: 1 });
  assert.deepEqual(f.trend, { bucket: 'month', points: expected });
  assert.equal(f.outgoing.issued, 10);
  assert.equal(f.incoming.received, 19);
  assert.deepEqual(sumTrend(f.trend.points), { issued: f.outgoing.issued, issuedViaAxis: f.outgoing.viaAxis, received: f.incoming.received, receivedViaAxis: f.incoming.viaAxis, receivedElectronic: f.incoming.electronic });
});

test('trend bucket: 62 days are still days, 63 days are months (keys yyyy-MM, partial months included)', () => {
  // 01/11/2026 … 01/01/2027 = 30 + 31 + 1 = 62 days.
  const days = reportFigures(core.db, { from: '2026-11-01', to: '2027-01-01' }, NOW).trend;
  assert.equal(days.bucket, 'day');
  assert.deepEqual(days.points.map((p) => p.key), zeroDays('2026-11-01', '2027-01-01').map((p) => p.key));
  const months = reportFigures(core.db, { from: '2026-11-01', to: '2027-01-02' }, NOW).trend;
  assert.equal(months.bucket, 'month');
  assert.deepEqual(months.points.map((p) => p.key), ['2026-11', '2026-12', '2027-01']);
  // 15/10 … 31/12 (78 days): October counts from the 15th only, so o8 (31/10) and i4 (28/10) are in.
  const partial = reportFigures(core.db, { from: '2026-10-15', to: '2026-12-31' }, NOW);
  assert.deepEqual(partial.trend.points.map((p) => [p.key, p.issued, p.received]), [
    ['2026-10', 1, 1],
    ['2026-11', 7, 16],
    ['2026-12', 2, 1],
  ]);
});

test('a document of another year: November 2025 has only o11 issued and i17 received and done (24 h)', () => {
  const f = reportFigures(core.db, { from: '2025-11-01', to: '2025-11-30' }, NOW);
  assert.deepEqual(f.outgoing, { issued: 1, viaAxis: 1, onPaper: 0, leaderSigned: 1, agencySigned: 1, leaderSignedShare: 1, agencySignedShare: 1 });
  assert.equal(f.incoming.received, 1);
  assert.equal(f.incoming.byState.done, 1);
  // One done document: its 24 h (20/11 08:00 → 21/11 08:00) is both the median and the p90.
  assert.deepEqual(f.handling, { done: 1, medianHours: 24, p90Hours: 24, onTime: 0, late: 0, withoutDue: 1 });
});

test('a one-document period: median = p90 = its handling time (i18 alone, done on 21/11 in 0.5 h)', () => {
  const f = reportFigures(core.db, { from: '2026-11-21', to: '2026-11-21' }, NOW);
  assert.equal(f.handling.done, 1);
  assert.equal(f.handling.medianHours, 0.5);
  assert.equal(f.handling.p90Hours, 0.5);
  assert.equal(f.handling.onTime, 1);
  assert.equal(f.incoming.received, 1);
  assert.deepEqual(f.trend, { bucket: 'day', points: [{ key: '2026-11-21', issued: 0, issuedViaAxis: 0, received: 1, receivedViaAxis: 1, receivedElectronic: 0 }] });
});

test('handling percentiles over sub-periods: an odd count takes the middle value, an even one the mean of the two middle', () => {
  // 01/11 … 06/11: done i4 (88 h, 01/11), i3 (2 h, 04/11), i2 (78 h, 06/11). Sorted 2, 78, 88:
  // median = 78 (rank 2); p90: h = 0.9 × 2 = 1.8 → 78 + 0.8 × (88 − 78) = 86.
  const three = reportFigures(core.db, { from: '2026-11-01', to: '2026-11-06' }, NOW).handling;
  assertHandling(three, { done: 3, medianHours: 78, p90Hours: 86, onTime: 1, late: 1, withoutDue: 1 });
  // 01/11 … 10/11 adds i1 (207.5 h, done 10/11 23:30). Sorted 2, 78, 88, 207.5:
  // median = (78 + 88) / 2 = 83; p90: h = 0.9 × 3 = 2.7 → 88 + 0.7 × (207.5 − 88) = 171.65.
  const four = reportFigures(core.db, { from: '2026-11-01', to: '2026-11-10' }, NOW).handling;
  assertHandling(four, { done: 4, medianHours: 83, p90Hours: 171.65, onTime: 2, late: 1, withoutDue: 1 });
});

test('handling percentiles of twenty: median of ranks 10 and 11, p90 between ranks 18 and 19', () => {
  const twenty = openReportCore();
  // Handling times of 1 … 20 hours, inserted out of order so that the order must come from sorting.
  const hours = [7, 19, 3, 12, 20, 1, 15, 9, 18, 5, 11, 2, 16, 8, 14, 4, 17, 6, 13, 10];
  for (const [i, h] of hours.entries()) {
    const arrived = Date.parse('2026-11-02T08:00:00+07:00') + i * 3_600_000;
    add(twenty, { direction: 'in', state: 'done', registeredAt: toVnIso(new Date(arrived)), axis: true, incomingNumber: true, handledAt: toVnIso(new Date(arrived + h * 3_600_000)) });
  }
  // Median = (10 + 11) / 2 = 10.5; p90: h = 0.9 × 19 = 17.1 → 18 + 0.1 × (19 − 18) = 18.1 h.
  const f = reportFigures(twenty.db, NOVEMBER, NOW);
  assertHandling(f.handling, { done: 20, medianHours: 10.5, p90Hours: 18.1, onTime: 0, late: 0, withoutDue: 20 });
});

test('a period with no documents: zeros, null shares and medians, a zero trend; overdue and the queue are still as of now', () => {
  const f = reportFigures(core.db, { from: '2026-06-01', to: '2026-06-30' }, NOW);
  assert.deepEqual(f.outgoing, { issued: 0, viaAxis: 0, onPaper: 0, leaderSigned: 0, agencySigned: 0, leaderSignedShare: null, agencySignedShare: null });
  assert.deepEqual(f.incoming, {
    received: 0,
    viaAxis: 0,
    electronic: 0,
    onPaper: 0,
    accepted: 0,
    handledOnNetwork: 0,
    handledOnNetworkShare: null,
    byState: { received: 0, registered: 0, assigned: 0, in_progress: 0, done: 0, returned: 0, recalled: 0 },
  });
  assert.deepEqual(f.handling, { done: 0, medianHours: null, p90Hours: null, onTime: 0, late: 0, withoutDue: 0 });
  assert.deepEqual(f.trend, { bucket: 'day', points: zeroDays('2026-06-01', '2026-06-30') });
  assert.equal(f.overdue.count, 4, 'overdue is as of now, not of the period');
  assert.equal(f.overdue.dueSoon, 2);
  assert.deepEqual({ ...f.queue }, { waiting: 3, waitingBytes: 3500, failed: 1, oldestWaitingAt: '2026-11-28T08:00:00+07:00', refusedReceived: 0 });
  for (const key of REPORT_LIST_KEYS) {
    if (key === 'overdue' || key === 'dueSoon') continue;
    assert.deepEqual(reportList(core.db, { from: '2026-06-01', to: '2026-06-30' }, key, { offset: 0, limit: 50 }, NOW), { total: 0, items: [] }, key);
  }
});

test('an empty data folder: every figure zero or null, nothing overdue, nothing waiting', () => {
  const empty = openReportCore();
  const f = reportFigures(empty.db, NOVEMBER, NOW);
  assert.deepEqual(f.outgoing, { issued: 0, viaAxis: 0, onPaper: 0, leaderSigned: 0, agencySigned: 0, leaderSignedShare: null, agencySignedShare: null });
  assert.equal(f.incoming.received, 0);
  assert.equal(f.incoming.handledOnNetworkShare, null);
  assert.deepEqual(f.handling, { done: 0, medianHours: null, p90Hours: null, onTime: 0, late: 0, withoutDue: 0 });
  assert.deepEqual(f.overdue, { count: 0, dueSoon: 0, byHandler: [], documents: [] });
  assert.deepEqual(f.queue, { waiting: 0, waitingBytes: 0, failed: 0, oldestWaitingAt: null, refusedReceived: 0 });
  assert.equal(f.trend.points.length, 30);
  assert.deepEqual(sumTrend(f.trend.points), { issued: 0, issuedViaAxis: 0, received: 0, receivedViaAxis: 0, receivedElectronic: 0 });
});

test('from after to → AppError INVALID_INPUT, for the figures and the lists', () => {
  const isInvalid = (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT';
  assert.throws(() => reportFigures(core.db, { from: '2026-12-01', to: '2026-11-30' }, NOW), isInvalid);
  assert.throws(() => reportList(core.db, { from: '2026-12-01', to: '2026-11-30' }, 'issued', { offset: 0, limit: 10 }, NOW), isInvalid);
  // One day is a period (from = to); a day that is not in the calendar is not.
  assert.equal(reportFigures(core.db, { from: '2026-11-30', to: '2026-11-30' }, NOW).outgoing.issued, 2);
  assert.throws(() => reportFigures(core.db, { from: '2026-02-30', to: '2026-03-31' }, NOW), isInvalid);
});

test('the API: report.figures and report.list answer as the core does; report.export makes both files; bad periods are INVALID_INPUT', async () => {
  // The API reports as of the real clock: compare with the core called without a moment.
  const api = await invoke(core.handlers, 'report.figures', NOVEMBER, () => undefined);
  assert.ok(api.ok, JSON.stringify(api));
  assert.deepEqual({ ...(api.result as ReportFigures), generatedAt: '' }, { ...reportFigures(core.db, NOVEMBER), generatedAt: '' });
  const list = await invoke(core.handlers, 'report.list', { ...NOVEMBER, key: 'late', offset: 0, limit: 10 }, () => undefined);
  assert.ok(list.ok, JSON.stringify(list));
  assert.deepEqual(list.result, reportList(core.db, NOVEMBER, 'late', { offset: 0, limit: 10 }));
  assert.deepEqual(sorted((list.result as { items: ReportListItem[] }).items.map((i) => i.id)), sorted(lateIds()));
  for (const format of ['xlsx', 'pdf'] as const) {
    const file = await invoke(core.handlers, 'report.export', { ...NOVEMBER, format }, () => undefined);
    assert.ok(file.ok, JSON.stringify(file));
    const { fileName, bytes } = file.result as { fileName: string; bytes: Uint8Array };
    assert.ok(fileName.endsWith(`.${format}`), fileName);
    // An XLSX is a zip (PK), a PDF starts with %PDF-.
    assert.equal(Buffer.from(bytes.subarray(0, format === 'pdf' ? 5 : 2)).toString('latin1'), format === 'pdf' ? '%PDF-' : 'PK');
  }
  for (const bad of [{ from: '2026-12-01', to: '2026-11-30' }, { from: '2026-02-30', to: '2026-03-01' }, { from: '01/11/2026', to: '30/11/2026' }]) {
    const refused = await invoke(core.handlers, 'report.figures', bad, () => undefined);
    assert.ok(!refused.ok && refused.error.code === 'INVALID_INPUT', `${JSON.stringify(bad)}: ${JSON.stringify(refused)}`);
  }
  const badKey = await invoke(core.handlers, 'report.list', { ...NOVEMBER, key: 'everything' }, () => undefined);
  assert.ok(!badKey.ok && badKey.error.code === 'INVALID_INPUT');
});

test('a database with documents from before the reports (schema 6): once migrated, they count as they would have', () => {
  const dir = tempDir('eoffice-report-migrate-');
  work.push(dir);
  const file = path.join(dir, 'eoffice.sqlite');
  const old = openDatabase(file, { targetVersion: 6 });
  const insert = (direction: 'in' | 'out', state: string, registeredAt: string, extra: Record<string, string | null>) =>
    old.transaction(() => {
      // Written as schema 6 wrote a row: today's insertDocument writes the report's columns too.
      const registerId = ensureRegister(old, direction, 2026);
      const id = Number(
        old
          .prepare(
            `INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, document_date, numbered_at, sealed_at, exchange_id)
             VALUES (@registerId, @direction, 2026, 'CV', @subject, @state, @registeredAt, @registeredAt, @document_date, @numbered_at, @sealed_at, @exchange_id)`,
          )
          .run({ registerId, direction, subject: `cũ ${state}`, state, registeredAt, document_date: null, numbered_at: null, sealed_at: null, exchange_id: null, ...extra }).lastInsertRowid,
      );
      return id;
    })();
  const numbered = insert('out', 'sent', '2026-11-02T08:00:00+07:00', { numbered_at: '2026-11-03T08:00:00+07:00', sealed_at: '2026-11-03T08:00:00+07:00', exchange_id: `${AGENCY.code},2026/11/03,1/QĐ-UBND` });
  const imported = insert('out', 'issued', '2026-12-02T08:00:00+07:00', { document_date: '2026-11-20' });
  const draft = insert('out', 'draft', '2026-11-04T08:00:00+07:00', {});
  insert('in', 'received', '2026-11-05T08:00:00+07:00', {});
  old.close();

  const db = openDatabase(file);
  try {
    const before = reportFigures(db, NOVEMBER, NOW);
    // numbered (03/11, axis, leader and agency) + imported (bears 20/11, paper); not the draft.
    assert.deepEqual(before.outgoing, { issued: 2, viaAxis: 1, onPaper: 1, leaderSigned: 1, agencySigned: 1, leaderSignedShare: 0.5, agencySignedShare: 0.5 });
    assert.equal(before.incoming.received, 1);
    assert.deepEqual(sorted(reportList(db, NOVEMBER, 'issued', { offset: 0, limit: 10 }, NOW).items.map((i) => i.id)), sorted([numbered, imported]));
    // Work done after the migration is counted too: the draft is numbered on 10/11 and issued.
    db.prepare("UPDATE documents SET state = 'issued', numbered_at = '2026-11-10T08:00:00+07:00' WHERE id = ?").run(draft);
    // …and the imported document's date is corrected into December: it leaves November.
    db.prepare("UPDATE documents SET document_date = '2026-12-01' WHERE id = ?").run(imported);
    const later = reportFigures(db, NOVEMBER, NOW);
    assert.deepEqual(later.outgoing, { issued: 2, viaAxis: 1, onPaper: 1, leaderSigned: 2, agencySigned: 1, leaderSignedShare: 1, agencySignedShare: 0.5 });
    assert.deepEqual(sorted(reportList(db, NOVEMBER, 'issued', { offset: 0, limit: 10 }, NOW).items.map((i) => i.id)), sorted([numbered, draft]));
    // A document put back to 'signed' (a state the report does not count) leaves the figure.
    db.prepare("UPDATE documents SET state = 'signed' WHERE id = ?").run(numbered);
    assert.equal(reportFigures(db, NOVEMBER, NOW).outgoing.issued, 1);
  } finally {
    db.close();
  }
});

// ---------------------------------------------------------------------------------------------
// The lists behind the figures.

function figureOf(f: ReportFigures, key: ReportListKey): number {
  switch (key) {
    case 'issued': return f.outgoing.issued;
    case 'issuedViaAxis': return f.outgoing.viaAxis;
    case 'issuedOnPaper': return f.outgoing.onPaper;
    case 'leaderSigned': return f.outgoing.leaderSigned;
    case 'agencySigned': return f.outgoing.agencySigned;
    case 'received': return f.incoming.received;
    case 'receivedViaAxis': return f.incoming.viaAxis;
    case 'receivedElectronic': return f.incoming.electronic;
    case 'receivedOnPaper': return f.incoming.onPaper;
    case 'accepted': return f.incoming.accepted;
    case 'handledOnNetwork': return f.incoming.handledOnNetwork;
    case 'done': return f.handling.done;
    case 'onTime': return f.handling.onTime;
    case 'late': return f.handling.late;
    case 'overdue': return f.overdue.count;
    case 'dueSoon': return f.overdue.dueSoon;
    default: return f.incoming.byState[key.slice('state:'.length) as keyof ReportFigures['incoming']['byState']];
  }
}

function expectedIds(key: ReportListKey): (number | undefined)[] {
  switch (key) {
    case 'issued': return issuedIds();
    case 'issuedViaAxis': return issuedViaAxisIds();
    case 'issuedOnPaper': return issuedOnPaperIds();
    case 'leaderSigned': return leaderSignedIds();
    case 'agencySigned': return agencySignedIds();
    case 'received': return receivedIds();
    case 'receivedViaAxis': return receivedViaAxisIds();
    case 'receivedElectronic': return receivedElectronicIds();
    case 'receivedOnPaper': return receivedOnPaperIds();
    case 'accepted': return acceptedIds();
    case 'handledOnNetwork': return handledOnNetworkIds();
    case 'done': return doneIds();
    case 'onTime': return onTimeIds();
    case 'late': return lateIds();
    case 'overdue': return overdueIds();
    case 'dueSoon': return dueSoonIds();
    default: return stateIds()[key.slice('state:'.length)]!;
  }
}

function listAll(key: ReportListKey, period = NOVEMBER): { total: number; items: ReportListItem[] } {
  return reportList(core.db, period, key, { offset: 0, limit: 1000 }, NOW);
}

/** An item's date as a Vietnam calendar day, whether it is given as a day or an instant. */
const dayOf = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : vnDate(new Date(date)));

test('every list key: the list holds exactly the documents its figure counts', () => {
  const f = november();
  for (const key of REPORT_LIST_KEYS) {
    const list = listAll(key);
    assert.equal(list.total, figureOf(f, key), `${key}: the list total is the figure`);
    assert.equal(list.items.length, list.total, `${key}: all items fit one page of 1000`);
    assert.deepEqual(sorted(list.items.map((i) => i.id)), sorted(expectedIds(key)), `${key}: the documents`);
    for (const item of list.items) {
      assert.equal(item.direction, key.startsWith('issued') || key.endsWith('Signed') ? 'out' : 'in', `${key}: direction of ${item.id}`);
      // The period figures list each document on the day they count it; overdue/due soon are of now.
      if (key !== 'overdue' && key !== 'dueSoon') assert.ok(dayOf(item.date) >= NOVEMBER.from && dayOf(item.date) <= NOVEMBER.to, `${key}: ${item.id} dated ${item.date}`);
    }
  }
});

test('list items carry the date each figure counts on: the number date, else the date borne, else registration; arrival; done', () => {
  const dates = (key: ReportListKey) => Object.fromEntries(listAll(key).items.map((i) => [i.id, dayOf(i.date)]));
  assert.deepEqual(dates('issued'), {
    [O.o1!]: '2026-11-05',
    [O.o2!]: '2026-11-30',
    [O.o6!]: '2026-11-15', // borne, registered 02/12
    [O.o7!]: '2026-11-20', // registered
    [O.o9!]: '2026-11-02', // numbered, though it bears 30/10
    [O.o10!]: '2026-11-08',
    [O.o12!]: '2026-11-30',
  });
  assert.equal(dates('received')[I.i6!], '2026-11-30');
  assert.equal(dates('done')[I.i4!], '2026-11-01', 'done on the day it was handled, not the day it arrived');
  const overdue = listAll('overdue').items;
  assert.deepEqual(overdue.map((i) => [i.id, i.due]), overdueIds().map((id) => [id, (core.db.prepare('SELECT handling_due AS d FROM documents WHERE id = ?').get(id) as { d: string }).d]));
  assert.equal(overdue.find((i) => i.id === I.i12)!.handlerName, 'Trần Thị Cúc');
});

test('paging: offset and limit walk a list without gaps or repeats, the total stays, past the end is empty', () => {
  const all = listAll('received');
  assert.equal(all.total, 16);
  const walked: number[] = [];
  for (let offset = 0; offset < 16; offset += 5) {
    const page = reportList(core.db, NOVEMBER, 'received', { offset, limit: 5 }, NOW);
    assert.equal(page.total, 16);
    assert.equal(page.items.length, Math.min(5, 16 - offset), `page at ${offset}`);
    walked.push(...page.items.map((i) => i.id));
  }
  assert.deepEqual(walked, all.items.map((i) => i.id), 'the pages in order are the whole list in order');
  assert.equal(new Set(walked).size, 16);
  assert.deepEqual(reportList(core.db, NOVEMBER, 'received', { offset: 20, limit: 5 }, NOW), { total: 16, items: [] });
  const two = reportList(core.db, NOVEMBER, 'issued', { offset: 1, limit: 2 }, NOW);
  assert.equal(two.total, 7);
  assert.deepEqual(two.items.map((i) => i.id), listAll('issued').items.slice(1, 3).map((i) => i.id));
});

test(`overdue: more than ${OVERDUE_LISTED} are all counted, the ${OVERDUE_LISTED} most overdue listed (oldest due, then id)`, () => {
  const many = openReportCore();
  const h = addHandler(many, 'Lê Văn Dũng', 'Phòng Nội vụ');
  // 22 overdue documents: due 01/11 … 11/11, two on each day (ids ascending within a day).
  const ids: { id: number; due: string }[] = [];
  for (let i = 0; i < 22; i++) {
    const due = `2026-11-${String(1 + Math.floor(i / 2)).padStart(2, '0')}`;
    ids.push({ id: add(many, { direction: 'in', state: i % 3 === 0 ? 'registered' : 'assigned', registeredAt: '2026-10-20T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: i % 3 === 0 ? null : h, assignedAt: i % 3 === 0 ? null : '2026-10-20T09:00:00+07:00', handlingDue: due }), due });
  }
  // Listed in reverse insertion order within each day would be wrong: insert a later-id document
  // with the earliest due date to check the order is by due first.
  const earliest = add(many, { direction: 'in', state: 'in_progress', registeredAt: '2026-10-20T08:00:00+07:00', axis: true, incomingNumber: true, handlerId: h, assignedAt: '2026-10-20T09:00:00+07:00', handlingDue: '2026-10-31' });
  const f = reportFigures(many.db, NOVEMBER, NOW);
  assert.equal(f.overdue.count, 23);
  const expected = [{ id: earliest, due: '2026-10-31' }, ...ids].slice(0, OVERDUE_LISTED);
  // 31/10 → 03/12 = 33 days; 01/11 → 03/12 = 32 days, and one fewer for each later day.
  assert.deepEqual(
    f.overdue.documents.map((d) => [d.id, d.due, d.daysOverdue]),
    expected.map((e) => [e.id, e.due, Math.round((Date.parse('2026-12-03') - Date.parse(e.due)) / 86_400_000)]),
  );
  assert.equal(f.overdue.documents[0]!.daysOverdue, 33);
  // i % 3 === 0 for i = 0, 3, …, 21: 8 without a handler; 14 + the in-progress one with h.
  const byHandler = Object.fromEntries(f.overdue.byHandler.map((b) => [String(b.handlerId), b.count]));
  assert.deepEqual(byHandler, { null: 8, [String(h)]: 15 });
  const list = reportList(many.db, NOVEMBER, 'overdue', { offset: 0, limit: 100 }, NOW);
  assert.equal(list.total, 23, 'the list holds them all, not only the 20 listed in the figures');
  assert.equal(list.items.length, 23);
});
