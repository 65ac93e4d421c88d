// Files that cross the contract as base64 (imports, exports, reports, small media): reading a
// picked file into base64 and saving base64 the core handed over through the browser's download.

/** A picked file or blob as base64. */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  // In chunks: String.fromCharCode(...all) overflows the stack for megabytes.
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Saves base64 bytes as `fileName` through the browser's download. */
export function saveBase64(fileName: string, base64: string, type: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click handler returned; free the blob soon after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
