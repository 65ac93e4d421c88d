// Browser mode: the page hands a file's bytes to the local core before `files.send`. The core
// serves a loopback stage URL; the File is the request body, so Chromium streams it from disk and
// the page never holds it in memory. XHR rather than fetch: only XHR reports upload progress.

/** POSTs `file` to the core's stage URL; resolves with the staged id the core gives back. */
export function stageFile(stageUrl: string, file: File, onProgress: (sent: number) => void): Promise<string> {
  const url = new URL(stageUrl, window.location.href);
  url.searchParams.set('name', file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.toString());
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      const body = xhr.response as { stagedId?: unknown; error?: unknown } | null;
      if (xhr.status >= 200 && xhr.status < 300 && typeof body?.stagedId === 'string') resolve(body.stagedId);
      else reject(stageError(body?.error));
    };
    xhr.onerror = () => reject(stageError(null));
    xhr.onabort = () => reject(stageError(null));
    xhr.send(file);
  });
}

/** The core's error body when it sent one (code, reason), else "unavailable": said like any call error. */
function stageError(body: unknown): Error {
  const fields = body && typeof body === 'object' ? body : { code: 'unavailable' };
  return Object.assign(new Error('staging failed'), fields);
}
