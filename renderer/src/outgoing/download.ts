// Saving bytes the host made (an exported register book, a document's file) as a file the clerk
// keeps: a Blob link with the download attribute, which both shells treat as a download, never as
// a navigation.

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
};

export function saveBytes(bytes: Uint8Array, fileName: string): void {
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  // Copied into a plain ArrayBuffer-backed array: what Blob accepts whatever backed the answer.
  const blob = new Blob([new Uint8Array(bytes)], { type: MEDIA_TYPES[extension] ?? 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts; a minute is ample for a slow save dialog.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
