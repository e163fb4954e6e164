// Saving what the window made (an export) as a file, the way a web page does.

/** Hands `content` to the browser engine as a download named `fileName`. */
export function downloadFile(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
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
