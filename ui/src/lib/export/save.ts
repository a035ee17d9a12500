// Files handed to the operator: a Blob saved through the browser (`<a download>` on a blob:
// URL), or opened in a new window to read or print; base64 from the API turned into bytes.

/** Saves a Blob as a file through the browser (an `<a download>` click on a blob: URL). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Opens a Blob in a new window (the browser's PDF viewer: read, print). False when no window
 * opened (a webview that allows none); the caller then offers the download instead.
 */
export function openBlob(blob: Blob): boolean {
  const url = URL.createObjectURL(blob);
  const w = window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 120_000);
  return w !== null;
}

/** Base64 (as the API sends files) → bytes. */
export function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
