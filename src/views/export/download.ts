/**
 * Saving and opening files in the browser: a download through a temporary `<a download>`, and reading what the
 * user picked or dropped into bytes for state/openFile.ts `classifyOpened`. DOM only; kept thin.
 */
import { MAX_OPEN_BYTES, type OpenedFile } from '../../state/openFile.ts';

/** Save `blob` as `fileName` (the browser's download, no dialog where the browser has none). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Save text as `fileName`; `mime` e.g. "text/csv", "image/svg+xml", "application/json" (UTF-8 is added). */
export function downloadText(text: string, fileName: string, mime: string): void {
  const type = /charset=/i.test(mime) ? mime : `${mime};charset=utf-8`;
  downloadBlob(new Blob([text], { type }), fileName);
}

/** A picked or dropped file larger than {@link MAX_OPEN_BYTES}; nothing was read. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly fileName: string,
    readonly size: number,
  ) {
    super(
      `${fileName} is ${(size / (1024 * 1024)).toFixed(1)} MB, over the ${MAX_OPEN_BYTES / (1024 * 1024)} MB ` +
        'limit for opened files; nothing was opened. Open a smaller file.',
    );
  }
}

/**
 * The bytes of every file picked (`<input type="file">`, with `webkitdirectory` for a folder) or dropped. Names
 * keep their folder parts when the browser gives them (`webkitRelativePath`), so a results folder's files can be
 * matched to one another.
 *
 * @throws FileTooLargeError for the first file over {@link MAX_OPEN_BYTES}, before any file is read
 */
export async function readFiles(files: FileList | readonly File[]): Promise<OpenedFile[]> {
  const list = Array.from(files);
  const big = list.find((f) => f.size > MAX_OPEN_BYTES);
  if (big) throw new FileTooLargeError(big.name, big.size);
  return Promise.all(
    list.map(async (f) => ({
      name: f.webkitRelativePath || f.name,
      bytes: new Uint8Array(await f.arrayBuffer()),
    })),
  );
}
