// PDFs whose structure this process has already read on its own thread without harm, by SHA-256:
// the files it wrote (a signed or prepared revision appended to one it read) and those the PDF
// worker checked. Signing reads a document's structure in the worker first (a hostile file made
// to stall its reader is stopped there), then again on this thread; for a file this process made
// a moment ago that first read tells nothing new, and it cost 40% of issuing a document (issue 19).
// Nothing is kept across processes: a file from the data folder is checked once per process.
const KEPT = 4096;
const known = new Set<string>();

export function rememberStructure(sha256: string): void {
  known.delete(sha256);
  known.add(sha256);
  if (known.size > KEPT) known.delete(known.values().next().value!);
}

export function isStructureKnown(sha256: string): boolean {
  return known.has(sha256);
}
