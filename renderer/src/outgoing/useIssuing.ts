// The issuing state of the outgoing document shown in the pane: its OutgoingDetail (steps,
// places, whether it may be numbered), and the clerk's unsaved marks for where the number and
// the date go. It lives in the pane because the pane owns the preview those marks are made on.
import { useCallback, useEffect, useState } from 'react';
import type { DocumentDetail, NumberPlace, OutgoingDetail } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import type { PlacementControl } from '../components/PdfPreview.js';
import type { SignaturePlacement } from '../signing/placement.js';

export type PlaceKind = 'number' | 'date';
export type Places = OutgoingDetail['places'];
export const PLACE_KINDS: readonly PlaceKind[] = ['number', 'date'];

/**
 * What a click marks, in points: the blank after "Số:" takes a notation such as 123/QĐ-UBND-VP;
 * the date line "…, ngày 05 tháng 02 năm 2026" is longer. A drag marks any other size.
 */
const MARK_BOX: Record<PlaceKind, readonly [number, number]> = { number: [130, 18], date: [230, 18] };
/** Decree 30 prints the number upright and the date in italics, both at 13–14 pt. */
const MARK_STYLE: Record<PlaceKind, { fontSize: number; italic: boolean }> = { number: { fontSize: 13, italic: false }, date: { fontSize: 13, italic: true } };

export interface PlaceMarking {
  /** The places as they stand: the clerk's unsaved ones, or else those saved. */
  places: Places;
  /** There are unsaved changes. */
  dirty: boolean;
  /** The place a click on the preview marks now, or null. */
  marking: PlaceKind | null;
  /** The place outlined on the preview (the preview outlines one box at a time). */
  shown: PlaceKind;
  saving: boolean;
  error: unknown;
  start(kind: PlaceKind): void;
  stop(): void;
  show(kind: PlaceKind): void;
  /** Replaces the unsaved places (with those found in the text, say). */
  propose(places: Places): void;
  discard(): void;
  save(): Promise<void>;
}

export interface Issuing {
  /** The shown document's issuing facts, or null while they load (or for an incoming document). */
  outgoing: OutgoingDetail | null;
  loadError: unknown;
  /** Takes the answer of an issuing call: the facts, and the document for the rest of the pane. */
  apply(next: OutgoingDetail): void;
  marking: PlaceMarking;
  /** The preview's click-to-place, while the places are being marked or looked at; else undefined. */
  previewControl: PlacementControl | undefined;
}

/**
 * Whether the host signs this outgoing document under the issuing rules (a certification that
 * leaves only the number, date and seal open, and refuses the agency's role before issuing):
 * drafts made by "Soạn văn bản đi" and any whose places were marked; a PDF merely imported into
 * the outgoing register is signed as before.
 */
export function underIssuingRules(detail: DocumentDetail): boolean {
  return detail.underIssuingRules;
}

const samePlace = (a: NumberPlace | null, b: NumberPlace | null) => JSON.stringify(a) === JSON.stringify(b);

interface UseIssuingOptions {
  /** An outgoing document shown in the pane, or null. */
  detail: DocumentDetail | null;
  refreshToken: number;
  /** The document as an issuing call left it, so the pane shows it without fetching it again. */
  onDocument(detail: DocumentDetail): void;
  /** Marking starts: the signature's own click-to-place must stop. */
  onMarkingStart(): void;
  /** Where the signature's own click-to-place stands: it has the preview while placing, and shows its box once placed. */
  signaturePlacement: 'placing' | 'placed' | 'none';
}

export function useIssuing({ detail, refreshToken, onDocument, onMarkingStart, signaturePlacement }: UseIssuingOptions): Issuing {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<OutgoingDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [pending, setPending] = useState<Places | null>(null);
  const [marking, setMarking] = useState<PlaceKind | null>(null);
  const [shown, setShown] = useState<PlaceKind>('number');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  const id = detail?.id ?? null;
  const sha256 = detail?.fileSha256 ?? null;
  const state = detail?.state ?? null;

  useEffect(() => {
    if (id === null) return;
    let cancelled = false;
    call('outgoing.get', { id }).then(
      (next) => {
        if (cancelled) return;
        setLoaded(next);
        setLoadError(null);
      },
      (error: unknown) => !cancelled && setLoadError(error),
    );
    return () => {
      cancelled = true;
    };
  }, [id, sha256, state, refreshToken]);

  // Another document, or a new file of this one: unsaved marks belonged to what was shown before.
  useEffect(() => {
    setPending(null);
    setMarking(null);
    setSaveError(null);
  }, [id, sha256]);

  // Placing the signature takes the preview's clicks: marking a place stops.
  useEffect(() => {
    if (signaturePlacement === 'placing') setMarking(null);
  }, [signaturePlacement]);

  const outgoing = loaded && loaded.document.id === id ? loaded : null;
  const saved: Places = outgoing?.places ?? { number: null, date: null };
  const places = pending ?? saved;

  const apply = useCallback(
    (next: OutgoingDetail) => {
      setLoaded(next);
      onDocument(next.document);
    },
    [onDocument],
  );

  const save = useCallback(async () => {
    if (id === null || !pending) return;
    setSaving(true);
    setSaveError(null);
    try {
      const next = await call('outgoing.markPlaces', { id, places: pending });
      setPending(null);
      setMarking(null);
      apply(next);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }, [id, pending, apply]);

  const markingApi: PlaceMarking = {
    places,
    dirty: pending !== null && !(samePlace(pending.number, saved.number) && samePlace(pending.date, saved.date)),
    marking,
    shown,
    saving,
    error: saveError,
    start(kind) {
      onMarkingStart();
      setMarking(kind);
      setShown(kind);
    },
    stop: () => setMarking(null),
    show: setShown,
    propose(next) {
      setPending(next);
      setShown(next.number || !next.date ? 'number' : 'date');
    },
    discard() {
      setPending(null);
      setMarking(null);
      setSaveError(null);
    },
    save,
  };

  const editable = outgoing?.document.state === 'draft';
  const shownPlace = places[shown];
  const previewControl = ((): PlacementControl | undefined => {
    if (!editable || signaturePlacement === 'placing') return undefined;
    // A placed signature box stays in view unless the clerk is busy with the places themselves.
    if (marking === null && pending === null && (signaturePlacement === 'placed' || !shownPlace)) return undefined;
    const kind = marking ?? shown;
    return {
      active: marking !== null,
      value: shownPlace ? { page: shownPlace.page, rect: shownPlace.rect } : null,
      size: MARK_BOX[kind],
      label: t(kind === 'number' ? 'places.numberBox' : 'places.dateBox'),
      onChange(value: SignaturePlacement) {
        setPending((current) => {
          const base = current ?? saved;
          const before = base[kind];
          // A click while marking is a new mark; otherwise the arrow keys moved the box as it was.
          const place: NumberPlace =
            marking !== null || !before
              ? { page: value.page, rect: value.rect, ...MARK_STYLE[kind], fontSize: before?.fontSize ?? MARK_STYLE[kind].fontSize, origin: 'marked', prefix: '' }
              : { ...before, page: value.page, rect: value.rect };
          return { ...base, [kind]: place };
        });
      },
      onDone: () => setMarking(null),
    };
  })();

  return { outgoing, loadError: outgoing ? null : loadError, apply, marking: markingApi, previewControl };
}
