// Tests only: jsdom has no object URLs and does not download, so what the window would have
// saved is kept instead, for the test to read.

import { onTestFinished, vi } from "vitest";

export type SavedFile = { name: string; blob: Blob };

/** Every file the running test saves, in order; the engine's own functions come back after it. */
export function captureDownloads(): SavedFile[] {
  const saved: SavedFile[] = [];
  const blobs = new Map<string, Blob>();
  const jsdomUrl = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    const url = `blob:saved-${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (blob) saved.push({ name: this.download, blob });
  });
  onTestFinished(() => {
    URL.createObjectURL = jsdomUrl.create;
    URL.revokeObjectURL = jsdomUrl.revoke;
  });
  return saved;
}

/** jsdom's Blob has no arrayBuffer(); its FileReader reads the bytes as they would be saved. */
export function readBytes(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}
