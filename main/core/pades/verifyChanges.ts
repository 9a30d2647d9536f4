// What happened to a signed PDF after each signature. A signature covers its own revision only;
// the incremental updates after it (form filling, further signatures, validation data — or a
// changed page) are not covered by its hash, so a verifier must look at them and judge them
// against what the signers permitted (DocMDP, FieldMDP). The approach follows pyHanko's
// difference analysis in spirit: every object a later revision writes is compared with the same
// object one revision earlier, given a role (catalog, form field, page…), and only the changes
// known to be harmless for that role are accepted. Anything not recognised is refused, naming
// the object: the analysis is meant to be sound, not exhaustive.
import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { sourceUpTo, type PdfSource } from '../pdf/source.js';
import { damaged, findStartxref, PdfStructure, readXrefSection, XrefBudget } from './pdfStructure.js';

import type { ChangeKind } from '../../common/validation.js';

export type { ChangeKind };

export interface ChangeNote {
  /** The revision that made the change: 1 is the document as first written, then one per incremental update. */
  revision: number;
  kind: ChangeKind;
  detail: string;
  permitted: boolean;
}

export interface LaterChanges {
  verdict: 'none' | 'permitted' | 'not-permitted';
  changes: ChangeNote[];
}

export type FieldLock = { action: 'All' | 'Include' | 'Exclude'; fields: string[] };

/** What one signature allows the revisions after it to do. */
export interface SignaturePolicy {
  /** The revision the signature signs. */
  revision: number;
  certification: 1 | 2 | 3 | null;
  lock: FieldLock | null;
}

const latin1 = new TextDecoder('latin1');

// ---- Revisions ----------------------------------------------------------------------------

export interface Revision {
  /** 1 for the document as first written, then one per incremental update. */
  number: number;
  /** Where the revision's newest cross-reference section starts (what its startxref says). */
  startxref: number;
  /** Just past the revision's %%EOF. */
  eofEnd: number;
  /** Past the end-of-line after %%EOF too: where a signature over this revision ends its ByteRange. */
  end: number;
  /** The objects the revision's cross-reference sections list as in use: number → generation. */
  written: Map<number, number>;
  /** The objects they list as free. */
  freed: Set<number>;
}

/** One cross-reference section, as the revisions need it. */
interface SectionFacts {
  offset: number;
  inUse: Map<number, number>;
  freed: Set<number>;
  prev: number | null;
  /** A hybrid file's table names a cross-reference stream for the objects it leaves out. */
  hybridStream: number | null;
  /** A cross-reference stream is an object itself; it is bookkeeping, not a change. */
  selfObject: number | null;
}

/** The revisions of the file, oldest first, from its chain of cross-reference sections. */
export function readRevisions(source: PdfSource): Revision[] {
  const context = PDFContext.create();
  const budget = new XrefBudget();
  const chain: SectionFacts[] = [];
  const seen = new Set<number>();
  for (let offset: number | null = findStartxref(source); offset !== null; offset = chain.at(-1)!.prev) {
    if (seen.has(offset) || offset < 0 || offset >= source.size) throw damaged('the cross-reference chain loops or points outside the file');
    seen.add(offset);
    budget.section();
    chain.push(sectionFacts(source, offset, context, budget));
  }
  // The chain runs newest first and each /Prev points back — except in a linearized file, whose
  // first-page section points forward to the main one: both belong to the same revision. The
  // lowest and highest offsets of a group are kept as it grows (a hostile chain may be long).
  const groups: { sections: SectionFacts[]; lowest: number; highest: number }[] = [];
  for (const section of chain) {
    const group = groups.at(-1);
    if (group && section.offset > group.lowest) {
      group.sections.push(section);
      group.highest = Math.max(group.highest, section.offset);
    } else groups.push({ sections: [section], lowest: section.offset, highest: section.offset });
  }
  groups.reverse();

  const revisions: Revision[] = [];
  let previousEnd = 0;
  for (const [index, group] of groups.entries()) {
    const eofEnd = findEofAfter(source, group.highest);
    const end = eofEnd + endOfLineLength(source, eofEnd);
    if (eofEnd <= previousEnd) throw damaged('two revisions overlap');
    const sections = [...group.sections];
    for (const section of group.sections) {
      if (section.hybridStream !== null && section.hybridStream >= previousEnd && section.hybridStream < end) {
        budget.section();
        sections.push(sectionFacts(source, section.hybridStream, context, budget));
      }
    }
    const written = new Map<number, number>();
    const freed = new Set<number>();
    for (const section of sections) {
      for (const [num, gen] of section.inUse) if (num !== section.selfObject && !written.has(num)) written.set(num, gen);
      for (const num of section.freed) if (num !== 0) freed.add(num);
    }
    for (const num of written.keys()) freed.delete(num);
    revisions.push({ number: index + 1, startxref: group.sections[0]!.offset, eofEnd, end, written, freed });
    previousEnd = end;
  }
  return revisions;
}

function findEofAfter(source: PdfSource, from: number): number {
  const marker = '%%EOF';
  const window = 64 * 1024;
  for (let at = from; at < source.size; at += window - marker.length) {
    const found = latin1.decode(source.read(at, window)).indexOf(marker);
    if (found >= 0) return at + found + marker.length;
  }
  throw damaged(`no %%EOF follows the cross-reference section at ${from}`);
}

function endOfLineLength(source: PdfSource, at: number): number {
  const next = source.read(at, 2);
  if (next[0] === 0x0d) return next[1] === 0x0a ? 2 : 1;
  return next[0] === 0x0a ? 1 : 0;
}

function sectionFacts(source: PdfSource, offset: number, context: PDFContext, budget: XrefBudget): SectionFacts {
  const inUse = new Map<number, number>();
  const freed = new Set<number>();
  const { trailer, streamObject } = readXrefSection(source, offset, context, budget, (num, entry) => {
    if (entry.kind === 'free') freed.add(num);
    else inUse.set(num, entry.kind === 'offset' ? entry.gen : 0);
  });
  return { offset, inUse, freed, prev: numberIn(trailer, 'Prev'), hybridStream: streamObject === null ? numberIn(trailer, 'XRefStm') : null, selfObject: streamObject };
}

function numberIn(dict: PDFDict, key: string): number | null {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : null;
}

// ---- One revision's document --------------------------------------------------------------

export interface FormField {
  /** The full name: the /T of the field and its ancestors, joined by dots. */
  name: string;
  ref: PDFRef;
  dict: PDFDict;
  /** /FT, inherited from an ancestor when the field has none: Sig, Tx, Btn, Ch. */
  type: string | null;
  /** The widget annotations that show it: the field itself when the two are merged. */
  widgets: PDFRef[];
}

interface PageEntry {
  ref: PDFRef;
  number: number;
  dict: PDFDict;
  annotations: PDFRef[];
}

/** The objects of one revision that have a role the change analysis knows, by object number. */
interface Roles {
  catalog: number | null;
  info: number | null;
  acroForm: number | null;
  fieldsArray: number | null;
  fieldDicts: Map<number, FormField>;
  widgets: Map<number, FormField>;
  pages: Map<number, PageEntry>;
  annotationArrays: Map<number, PageEntry>;
  pageContent: Map<number, PageEntry>;
  pageTreeNodes: Set<number>;
  annotations: Map<number, { page: PageEntry; subtype: string }>;
  appearances: Map<number, FormField>;
  signatureDicts: Map<number, FormField>;
  validationData: Set<number>;
}

export function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

export function nameOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

/** One revision of the document, its objects loaded on demand. */
export class RevisionView {
  readonly structure: PdfStructure;
  private fieldList: FormField[] | undefined;
  private roleMap: Roles | undefined;

  /** `earlier` is the view of the revision before, whose cross-reference sections this one need not read again. */
  constructor(source: PdfSource, readonly revision: Revision, earlier?: RevisionView) {
    this.structure = new PdfStructure(sourceUpTo(source, revision.end), revision.startxref, earlier?.structure);
  }

  resolve(value: PDFObject | undefined): PDFObject | undefined {
    return value instanceof PDFRef ? this.structure.load(value) : value;
  }

  dict(value: PDFObject | undefined): PDFDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PDFDict ? resolved : undefined;
  }

  array(value: PDFObject | undefined): PDFArray | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PDFArray ? resolved : undefined;
  }

  get(dict: PDFDict | undefined, key: string): PDFObject | undefined {
    return dict ? this.resolve(dict.get(PDFName.of(key))) : undefined;
  }

  trailerRef(key: string): PDFRef | null {
    const value = this.structure.trailer.get(PDFName.of(key));
    return value instanceof PDFRef ? value : null;
  }

  catalog(): PDFDict | undefined {
    return this.dict(this.structure.trailer.get(PDFName.of('Root')));
  }

  /** Whether the object exists in this revision; an unreadable one counts as existing. */
  has(num: number): boolean {
    try {
      return this.structure.load(PDFRef.of(num)) !== undefined;
    } catch {
      return true;
    }
  }

  /** The terminal form fields, through /Kids, in form order. */
  fields(): FormField[] {
    if (this.fieldList) return this.fieldList;
    const found: FormField[] = [];
    const seen = new Set<number>();
    const visit = (value: PDFObject | undefined, parentName: string, parentType: string | null, depth: number) => {
      if (!(value instanceof PDFRef) || seen.has(value.objectNumber) || depth > 32) return;
      seen.add(value.objectNumber);
      const dict = this.dict(value);
      if (!dict) return;
      const partial = textOf(this.get(dict, 'T'));
      const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
      const type = nameOf(this.get(dict, 'FT')) ?? parentType;
      const kids = this.array(dict.get(PDFName.of('Kids')))?.asArray() ?? [];
      const widgets: PDFRef[] = [];
      for (const kid of kids) {
        // Kids with a name are fields of their own; kids without one are this field's widgets.
        if (textOf(this.get(this.dict(kid), 'T')) !== undefined) visit(kid, name, type, depth + 1);
        else if (kid instanceof PDFRef) widgets.push(kid);
      }
      if (widgets.length > 0 || kids.length === 0) found.push({ name, ref: value, dict, type, widgets: widgets.length > 0 ? widgets : [value] });
    };
    const acroForm = this.dict(this.catalog()?.get(PDFName.of('AcroForm')));
    for (const field of this.array(acroForm?.get(PDFName.of('Fields')))?.asArray() ?? []) visit(field, '', null, 0);
    this.fieldList = found;
    return found;
  }

  roles(): Roles {
    if (this.roleMap) return this.roleMap;
    const catalogRef = this.trailerRef('Root');
    const catalog = this.catalog();
    const acroFormValue = catalog?.get(PDFName.of('AcroForm'));
    const acroForm = this.dict(acroFormValue);
    const fieldsValue = acroForm?.get(PDFName.of('Fields'));
    const roles: Roles = {
      catalog: catalogRef?.objectNumber ?? null,
      info: this.trailerRef('Info')?.objectNumber ?? null,
      acroForm: acroFormValue instanceof PDFRef ? acroFormValue.objectNumber : null,
      fieldsArray: fieldsValue instanceof PDFRef ? fieldsValue.objectNumber : null,
      fieldDicts: new Map(),
      widgets: new Map(),
      pages: new Map(),
      annotationArrays: new Map(),
      pageContent: new Map(),
      pageTreeNodes: new Set(),
      annotations: new Map(),
      appearances: new Map(),
      signatureDicts: new Map(),
      validationData: new Set(),
    };
    for (const field of this.fields()) {
      roles.fieldDicts.set(field.ref.objectNumber, field);
      const value = field.dict.get(PDFName.of('V'));
      if (field.type === 'Sig' && value instanceof PDFRef) roles.signatureDicts.set(value.objectNumber, field);
      for (const widget of field.widgets) {
        roles.widgets.set(widget.objectNumber, field);
        this.collectAppearances(this.dict(widget), field, roles.appearances);
      }
    }
    this.collectPages(catalog?.get(PDFName.of('Pages')), roles);
    this.collectValidationData(catalog?.get(PDFName.of('DSS')), roles.validationData, 0);
    this.roleMap = roles;
    return roles;
  }

  private collectAppearances(widget: PDFDict | undefined, field: FormField, into: Map<number, FormField>): void {
    const ap = widget?.get(PDFName.of('AP'));
    if (ap instanceof PDFRef) into.set(ap.objectNumber, field);
    const apDict = this.dict(ap);
    for (const [, appearance] of apDict?.entries() ?? []) {
      if (appearance instanceof PDFRef) into.set(appearance.objectNumber, field);
      // An appearance is a stream, or a dictionary of streams by state (on/off): only the
      // references are recorded, so no stream is read.
      else if (appearance instanceof PDFDict) for (const [, state] of appearance.entries()) if (state instanceof PDFRef) into.set(state.objectNumber, field);
    }
  }

  private collectPages(root: PDFObject | undefined, roles: Roles): void {
    const visit = (value: PDFObject | undefined, depth: number) => {
      if (!(value instanceof PDFRef) || roles.pageTreeNodes.has(value.objectNumber) || roles.pages.has(value.objectNumber) || depth > 64) return;
      const node = this.dict(value);
      if (!node) return;
      const kids = node.get(PDFName.of('Kids'));
      if (nameOf(node.get(PDFName.of('Type'))) === 'Pages' || (kids !== undefined && nameOf(node.get(PDFName.of('Type'))) !== 'Page')) {
        roles.pageTreeNodes.add(value.objectNumber);
        for (const kid of this.array(kids)?.asArray() ?? []) visit(kid, depth + 1);
        return;
      }
      const page: PageEntry = { ref: value, number: roles.pages.size + 1, dict: node, annotations: [] };
      roles.pages.set(value.objectNumber, page);
      const annots = node.get(PDFName.of('Annots'));
      if (annots instanceof PDFRef) roles.annotationArrays.set(annots.objectNumber, page);
      for (const annotation of this.array(annots)?.asArray() ?? []) {
        if (!(annotation instanceof PDFRef)) continue;
        page.annotations.push(annotation);
        roles.annotations.set(annotation.objectNumber, { page, subtype: nameOf(this.get(this.dict(annotation), 'Subtype')) ?? 'unknown' });
      }
      // Content streams and resources are recorded by reference only: a scan's page may hold
      // megabytes that the analysis never needs to read.
      const contents = node.get(PDFName.of('Contents'));
      if (contents instanceof PDFRef) roles.pageContent.set(contents.objectNumber, page);
      else if (contents instanceof PDFArray) for (const part of contents.asArray()) if (part instanceof PDFRef) roles.pageContent.set(part.objectNumber, page);
      const resources = node.get(PDFName.of('Resources'));
      if (resources instanceof PDFRef) roles.pageContent.set(resources.objectNumber, page);
    };
    visit(root, 0);
  }

  private collectValidationData(value: PDFObject | undefined, into: Set<number>, depth: number): void {
    if (value === undefined) return;
    if (value instanceof PDFRef) {
      if (into.has(value.objectNumber)) return;
      into.add(value.objectNumber);
    }
    // DSS → VRI → entry → array → certificate: nothing of interest lies deeper.
    if (depth >= 4) return;
    const resolved = this.resolve(value);
    if (resolved instanceof PDFDict) for (const [, child] of resolved.entries()) this.collectValidationData(child, into, depth + 1);
    else if (resolved instanceof PDFArray) for (const child of resolved.asArray()) this.collectValidationData(child, into, depth + 1);
  }
}

// ---- Comparing objects --------------------------------------------------------------------

/** A text that two objects share exactly when they mean the same, whatever their key order or string syntax. */
function canonical(value: PDFObject | undefined): string {
  if (value === undefined) return '-';
  if (value instanceof PDFStream) {
    return `${canonicalDict(value.dict, '/Length')}stream:${createHash('sha256').update(value.getContents()).digest('hex')}`;
  }
  if (value instanceof PDFDict) return canonicalDict(value);
  if (value instanceof PDFArray) return `[${value.asArray().map(canonical).join(' ')}]`;
  if (value instanceof PDFString || value instanceof PDFHexString) return `<${Buffer.from(value.asBytes()).toString('hex')}>`;
  if (value instanceof PDFNumber) return String(value.asNumber());
  return value.toString();
}

function canonicalDict(dict: PDFDict, ...ignored: string[]): string {
  const entries = dict
    .entries()
    .filter(([key]) => !ignored.includes(key.asString()))
    .map(([key, child]) => `${key.asString()} ${canonical(child)}`)
    .sort();
  return `<<${entries.join(' ')}>>`;
}

/** The keys whose values differ between two versions of a dictionary, without the slash. */
function changedKeys(before: PDFDict | undefined, after: PDFDict | undefined): string[] {
  const keys = new Set<string>();
  for (const dict of [before, after]) for (const [key] of dict?.entries() ?? []) keys.add(key.asString());
  return [...keys].filter((key) => canonical(before?.get(PDFName.of(key.slice(1)))) !== canonical(after?.get(PDFName.of(key.slice(1))))).map((key) => key.slice(1));
}

function describeValue(value: PDFObject | undefined): string {
  const text = textOf(value) ?? nameOf(value) ?? (value instanceof PDFArray ? value.asArray().map((v) => textOf(v) ?? nameOf(v) ?? '?').join(', ') : undefined);
  if (text === undefined) return 'cleared';
  return `"${text.length > 80 ? `${text.slice(0, 77)}…` : text}"`;
}

function typeOf(object: PDFObject | undefined): string {
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
  const parts = [nameOf(dict?.get(PDFName.of('Type'))), nameOf(dict?.get(PDFName.of('Subtype')))].filter(Boolean);
  if (parts.length) return parts.map((p) => `/${p}`).join(' ');
  return object instanceof PDFStream ? 'stream' : object instanceof PDFDict ? 'dictionary' : object instanceof PDFArray ? 'array' : 'value';
}

// ---- Facts about one revision -------------------------------------------------------------

/**
 * Which permission decides whether a change is allowed: filling a form field, signing one,
 * adding an empty signature field, annotating; 'always' for validation data, document
 * timestamps and metadata (PAdES allows them under every DocMDP level); 'never' for the rest.
 */
type ChangeRule = 'fill' | 'sign' | 'add-signature-field' | 'annotate' | 'always' | 'never';

interface ChangeFact {
  kind: ChangeKind;
  rule: ChangeRule;
  detail: string;
  fieldName?: string;
}

class FactList {
  readonly facts: ChangeFact[] = [];
  private readonly byKey = new Map<string, number>();

  /**
   * One note per field and kind of change (a field's value and its appearance are one
   * filling); `preferred` replaces a note already made for the same key (the value says more
   * than "its appearance changed").
   */
  add(fact: ChangeFact, options: { key?: string; preferred?: boolean } = {}): void {
    const key = options.key ?? (fact.fieldName !== undefined && fact.rule !== 'never' ? `${fact.rule}|${fact.fieldName}` : `${fact.kind}|${fact.detail}`);
    const at = this.byKey.get(key);
    if (at === undefined) {
      this.byKey.set(key, this.facts.length);
      this.facts.push(fact);
    } else if (options.preferred) this.facts[at] = fact;
  }

  never(kind: ChangeKind, detail: string): void {
    this.add({ kind, rule: 'never', detail });
  }
}

const ALLOWED_WIDGET_KEYS = new Set(['AP', 'AS', 'MK', 'DR']);
const READ_ONLY_FLAG = 1;

/** What revision `cur` changed relative to `prev` (the revision just before it). */
function describeRevision(prev: RevisionView, cur: RevisionView): ChangeFact[] {
  const facts = new FactList();
  const before = prev.roles();
  const after = cur.roles();

  if (after.catalog !== before.catalog) facts.never('other', 'the trailer now points to another document catalog');
  if (cur.structure.trailer.get(PDFName.of('Encrypt'))) facts.never('other', 'the document was encrypted');
  if (after.info !== null && after.info !== before.info) facts.add({ kind: 'other', rule: 'always', detail: 'document information (/Info) replaced' });

  for (const [num, gen] of [...cur.revision.written].sort((a, b) => a[0] - b[0])) {
    const ref = PDFRef.of(num, gen);
    let old: PDFObject | undefined;
    let now: PDFObject | undefined;
    try {
      old = prev.structure.load(ref);
      now = cur.structure.load(ref);
    } catch (error) {
      facts.never('other', `object ${num} ${gen} cannot be read (${(error as Error).message})`);
      continue;
    }
    // New objects matter only through the existing objects that come to refer to them, and
    // those are judged below; cross-reference and object streams are bookkeeping.
    if (old === undefined) continue;
    if (now === undefined) {
      facts.never('other', `object ${num} ${gen} (${typeOf(old)}) was removed`);
      continue;
    }
    if (canonical(old) === canonical(now)) continue;
    describeChangedObject(num, gen, old, now, prev, cur, before, facts);
  }
  for (const num of cur.revision.freed) {
    if (prev.has(num)) facts.never('other', `object ${num} was deleted`);
  }
  describeFieldSet(prev, cur, before, after, facts);
  describeAnnotationSet(before, after, facts);
  describePageSet(before, after, facts);
  return facts.facts;
}

function describeChangedObject(num: number, gen: number, old: PDFObject, now: PDFObject, prev: RevisionView, cur: RevisionView, before: Roles, facts: FactList): void {
  const oldDict = old instanceof PDFDict ? old : undefined;
  const newDict = now instanceof PDFDict ? now : undefined;
  if (num === before.catalog) return describeCatalog(oldDict, newDict, prev, cur, facts);
  if (num === before.info) return facts.add({ kind: 'other', rule: 'always', detail: 'document information (/Info) updated' });
  if (num === before.acroForm) return describeAcroForm(oldDict, newDict, facts);
  if (num === before.fieldsArray) return; // new and removed fields are judged field by field
  const field = before.fieldDicts.get(num) ?? before.widgets.get(num);
  if (field) return describeField(field, num === field.ref.objectNumber, oldDict, newDict, prev, cur, facts);
  const page = before.pages.get(num);
  if (page) {
    for (const key of changedKeys(oldDict, newDict)) if (key !== 'Annots') facts.never('page-content', `page ${page.number}: /${key} changed`);
    return;
  }
  if (before.annotationArrays.has(num)) return; // judged annotation by annotation
  const contentPage = before.pageContent.get(num);
  if (contentPage) return facts.never('page-content', `page ${contentPage.number}: its content or resources (object ${num} ${gen}) changed`);
  if (before.pageTreeNodes.has(num)) return facts.never('page-content', `the page tree (object ${num} ${gen}) changed`);
  const appearanceOf = before.appearances.get(num);
  if (appearanceOf) return describeAppearance(appearanceOf, facts);
  const signed = before.signatureDicts.get(num);
  if (signed) return facts.never('other', `the signature dictionary of field "${signed.name}" was changed`);
  if (before.validationData.has(num)) return facts.add({ kind: 'other', rule: 'always', detail: 'validation data (DSS) updated' });
  const annotation = before.annotations.get(num);
  if (annotation) return facts.add({ kind: 'annotation-added', rule: 'annotate', detail: `a /${annotation.subtype} annotation on page ${annotation.page.number} was modified` });
  facts.never('other', `object ${num} ${gen} (${typeOf(old)}) changed`);
}

function describeCatalog(old: PDFDict | undefined, now: PDFDict | undefined, prev: RevisionView, cur: RevisionView, facts: FactList): void {
  for (const key of changedKeys(old, now)) {
    if (key === 'AcroForm') {
      const oldForm = prev.dict(old?.get(PDFName.of('AcroForm')));
      const newForm = cur.dict(now?.get(PDFName.of('AcroForm')));
      if (!newForm) facts.never('other', 'the form (/AcroForm) was removed');
      else describeAcroForm(oldForm, newForm, facts);
    } else if (key === 'DSS') facts.add({ kind: 'other', rule: 'always', detail: 'validation data (DSS) added or updated' });
    else if (key === 'Metadata') facts.add({ kind: 'other', rule: 'always', detail: 'XMP metadata replaced' });
    else if (key === 'Extensions' || key === 'Version') facts.add({ kind: 'other', rule: 'always', detail: `the catalog's /${key} (PDF version or extension level) updated` });
    else facts.never('other', `the document catalog's /${key} changed`);
  }
}

function describeAcroForm(old: PDFDict | undefined, now: PDFDict | undefined, facts: FactList): void {
  for (const key of changedKeys(old, now)) {
    // /Fields is judged field by field; /SigFlags comes with signing; /DR and /DA are the
    // defaults viewers use to draw field values.
    if (key === 'Fields' || key === 'SigFlags' || key === 'DR' || key === 'DA') continue;
    if (key === 'NeedAppearances') facts.add({ kind: 'form-fill', rule: 'fill', detail: 'viewers are asked to redraw the form fields (/NeedAppearances)' });
    else facts.never('other', `the form's /${key} changed`);
  }
}

function describeField(field: FormField, isFieldDict: boolean, old: PDFDict | undefined, now: PDFDict | undefined, prev: RevisionView, cur: RevisionView, facts: FactList): void {
  const isSignature = field.type === 'Sig';
  const wasSigned = isSignature && prev.dict(field.dict.get(PDFName.of('V'))) !== undefined;
  for (const key of changedKeys(old, now)) {
    if (isFieldDict && key === 'V') {
      if (!isSignature) {
        facts.add({ kind: 'form-fill', rule: 'fill', fieldName: field.name, detail: `field "${field.name}" filled: ${describeValue(cur.resolve(now?.get(PDFName.of('V'))))}` }, { preferred: true });
        continue;
      }
      const value = now?.get(PDFName.of('V'));
      const signature = cur.dict(value);
      if (wasSigned || !signature) facts.never('other', `the signature in field "${field.name}" was replaced or removed`);
      else if (!(value instanceof PDFRef) || prev.has(value.objectNumber) || !isSignatureDict(signature)) facts.never('other', `field "${field.name}" was given a value that is not a new signature`);
      else facts.add(signatureFact(field.name, signature, false));
      continue;
    }
    if (ALLOWED_WIDGET_KEYS.has(key)) {
      if (wasSigned) facts.never('other', `the appearance of the signed field "${field.name}" changed`);
      else if (!isSignature) facts.add({ kind: 'form-fill', rule: 'fill', fieldName: field.name, detail: `the appearance of field "${field.name}" was updated` });
      // An empty signature field's appearance changes when it is signed, judged with its /V.
      else if (!cur.dict(cur.get(cur.dict(field.ref), 'V'))) facts.add({ kind: 'form-fill', rule: 'fill', fieldName: field.name, detail: `the appearance of the empty signature field "${field.name}" was updated` });
      continue;
    }
    if (isFieldDict && key === 'Ff') {
      const flags = (value: PDFObject | undefined) => (value instanceof PDFNumber ? value.asNumber() : 0);
      const [was, is] = [flags(old?.get(PDFName.of('Ff'))), flags(now?.get(PDFName.of('Ff')))];
      // Signing with a field lock makes the locked fields read-only; nothing else may change.
      if ((was | READ_ONLY_FLAG) === is) {
        facts.add({ kind: 'form-fill', rule: 'sign', detail: `field "${field.name}" was made read-only (as a signer locking it does)` }, { key: `read-only|${field.name}` });
        continue;
      }
    }
    facts.never('other', `field "${field.name}": /${key} changed`);
  }
}

function describeAppearance(field: FormField, facts: FactList): void {
  if (field.type === 'Sig') facts.never('other', `the appearance stream of the signature field "${field.name}" was rewritten`);
  else facts.add({ kind: 'form-fill', rule: 'fill', fieldName: field.name, detail: `the appearance of field "${field.name}" was updated` });
}

function isSignatureDict(dict: PDFDict): boolean {
  const type = nameOf(dict.get(PDFName.of('Type')));
  return (type === 'Sig' || type === 'DocTimeStamp' || type === undefined) && dict.get(PDFName.of('ByteRange')) !== undefined && dict.get(PDFName.of('Contents')) !== undefined;
}

function signatureFact(fieldName: string, signature: PDFDict, newField: boolean): ChangeFact {
  const timestamp = nameOf(signature.get(PDFName.of('Type'))) === 'DocTimeStamp' || nameOf(signature.get(PDFName.of('SubFilter'))) === 'ETSI.RFC3161';
  const where = newField ? `a new signature field "${fieldName}"` : `the signature field "${fieldName}"`;
  return timestamp
    ? { kind: 'signature-added', rule: 'always', fieldName, detail: `document timestamp added in ${where}` }
    : { kind: 'signature-added', rule: 'sign', fieldName, detail: `signed in ${where}` };
}

function describeFieldSet(prev: RevisionView, cur: RevisionView, before: Roles, after: Roles, facts: FactList): void {
  for (const field of cur.fields()) {
    if (before.fieldDicts.has(field.ref.objectNumber)) continue;
    if (prev.has(field.ref.objectNumber)) {
      facts.never('other', `an existing object (${field.ref.objectNumber} ${field.ref.generationNumber}) became the form field "${field.name}"`);
      continue;
    }
    if (field.type !== 'Sig') {
      facts.never('other', `form field "${field.name}"${field.type ? ` (/${field.type})` : ''} added`);
      continue;
    }
    const value = field.dict.get(PDFName.of('V'));
    const signature = cur.dict(value);
    if (value === undefined) facts.add({ kind: 'signature-field-added', rule: 'add-signature-field', fieldName: field.name, detail: `empty signature field "${field.name}" added` });
    else if (!signature || !(value instanceof PDFRef) || prev.has(value.objectNumber) || !isSignatureDict(signature)) facts.never('other', `the new field "${field.name}" holds a value that is not a new signature`);
    else facts.add(signatureFact(field.name, signature, true));
  }
  for (const field of prev.fields()) {
    if (!after.fieldDicts.has(field.ref.objectNumber)) facts.never('other', `form field "${field.name}" removed`);
  }
}

function describeAnnotationSet(before: Roles, after: Roles, facts: FactList): void {
  for (const [num, { page, subtype }] of after.annotations) {
    if (before.annotations.has(num)) continue;
    const field = after.widgets.get(num);
    if (field) {
      // A new field's widget comes with the field and is judged with it.
      if (!before.fieldDicts.has(field.ref.objectNumber)) continue;
      facts.never('other', `a widget was added to the existing field "${field.name}" on page ${page.number}`);
    } else if (subtype === 'Widget') facts.never('other', `a widget annotation that belongs to no form field was added on page ${page.number}`);
    else facts.add({ kind: 'annotation-added', rule: 'annotate', detail: `a /${subtype} annotation was added on page ${page.number}` });
  }
  for (const [num, { page, subtype }] of before.annotations) {
    if (after.annotations.has(num)) continue;
    if (subtype === 'Widget' || before.widgets.has(num)) facts.never('other', `a form widget was removed from page ${page.number}`);
    else facts.add({ kind: 'annotation-added', rule: 'annotate', detail: `a /${subtype} annotation was removed from page ${page.number}` });
  }
}

function describePageSet(before: Roles, after: Roles, facts: FactList): void {
  for (const num of after.pages.keys()) if (!before.pages.has(num)) facts.never('page-content', `a page was added (object ${num})`);
  for (const [num, page] of before.pages) if (!after.pages.has(num)) facts.never('page-content', `page ${page.number} was removed`);
}

// ---- Judging ------------------------------------------------------------------------------

/** Revisions read on demand, with the facts about each computed once for every signature. */
export class ChangeAnalysis {
  /** Each revision's view, or why it cannot be read. */
  private readonly views = new Map<number, RevisionView | Error>();
  private readonly factsByRevision = new Map<number, ChangeFact[]>();

  constructor(private readonly source: PdfSource, readonly revisions: readonly Revision[]) {}

  /** Revisions are read oldest first, each on the one before it; an unreadable one leaves the next to read all its sections itself. */
  view(number: number): RevisionView {
    for (let n = 1; n <= number; n++) {
      if (this.views.has(n)) continue;
      const earlier = this.views.get(n - 1);
      try {
        this.views.set(n, new RevisionView(this.source, this.revisions[n - 1]!, earlier instanceof RevisionView ? earlier : undefined));
      } catch (error) {
        this.views.set(n, error as Error);
      }
    }
    const view = this.views.get(number);
    if (!(view instanceof RevisionView)) throw view ?? damaged(`there is no revision ${number}`);
    return view;
  }

  private factsOf(number: number): ChangeFact[] {
    let facts = this.factsByRevision.get(number);
    if (!facts) {
      try {
        facts = describeRevision(this.view(number - 1), this.view(number));
      } catch (error) {
        facts = [{ kind: 'other', rule: 'never', detail: `revision ${number} cannot be read (${(error as Error).message})` }];
      }
      this.factsByRevision.set(number, facts);
    }
    return facts;
  }

  /**
   * The changes after the revision a signature signs, each judged against the permissions of
   * that signature and of the signatures before it: the certification's DocMDP level, and
   * every FieldMDP lock (a lock covers the fields that existed when it was made).
   */
  laterChanges(signedRevision: number, policies: readonly SignaturePolicy[]): LaterChanges {
    const applicable = policies.filter((policy) => policy.revision <= signedRevision);
    const docMdp = applicable.find((policy) => policy.certification !== null)?.certification ?? null;
    const locks = applicable.flatMap((policy) => (policy.lock ? [{ ...policy.lock, existing: new Set(this.view(policy.revision).fields().map((f) => f.name)) }] : []));
    const isLocked = (fieldName: string | undefined) =>
      fieldName !== undefined &&
      locks.some((lock) => lock.existing.has(fieldName) && (lock.action === 'All' || (lock.action === 'Include') === lock.fields.includes(fieldName)));

    const changes: ChangeNote[] = [];
    for (let number = signedRevision + 1; number <= this.revisions.length; number++) {
      for (const fact of this.factsOf(number)) {
        let refusal: string | null = null;
        if (fact.rule === 'never') refusal = '';
        else if (fact.rule !== 'always' && docMdp === 1) refusal = 'the certification (DocMDP P=1) permits no changes';
        else if ((fact.rule === 'fill' || fact.rule === 'sign') && isLocked(fact.fieldName)) refusal = `the field is locked by a signature (FieldMDP)`;
        else if (fact.rule === 'annotate' && docMdp !== 3) refusal = docMdp === 2 ? 'the certification (DocMDP P=2) does not permit annotations' : 'only a certification with DocMDP P=3 permits annotations';
        const note = fact.rule === 'add-signature-field' && refusal === null ? ' (tolerated, as pyHanko does: a later signer needs a field)' : '';
        changes.push({ revision: number, kind: fact.kind, detail: refusal ? `${fact.detail} — not permitted: ${refusal}` : `${fact.detail}${note}`, permitted: refusal === null });
      }
    }
    const verdict = changes.length === 0 ? 'none' : changes.every((change) => change.permitted) ? 'permitted' : 'not-permitted';
    return { verdict, changes };
  }
}
