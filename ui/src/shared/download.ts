// Saving what the window made (an export) as a file, the way a web page does.

/** Hands `content` to the browser engine as a download named `fileName`. */
export function downloadFile(fileName: string, content: string, type: string): void {
  saveBlob(fileName, new Blob([content], { type }));
}

/** Saves a file the core made (a workbook, say), whose bytes arrive as base64. */
export function downloadBase64File(fileName: string, contentBase64: string, type: string): void {
  saveBlob(fileName, new Blob([base64Bytes(contentBase64)], { type }));
}

function base64Bytes(contentBase64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The engine may read the blob after the click returns: freed on the next turn, not now.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
