/**
 * Saving and opening files in the browser: a download through a temporary `<a download>`, and reading what the
 * user picked or dropped into bytes for state/openFile.ts `classifyOpened`. DOM only; kept thin.
 */
import { MAX_OPEN_BYTES, tooLargeMessage, type OpenedFile } from '../../state/openFile.ts';

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
    super(tooLargeMessage(fileName, size));
  }
}

/**
 * The bytes of every file picked (`<input type="file">`, with `webkitdirectory` for a folder) or dropped. Names
 * keep their folder parts when the browser gives them (`webkitRelativePath`), so a results folder's files can be
 * matched to one another.
 *
 * @throws FileTooLargeError for the first file over {@link MAX_OPEN_BYTES}, before any file is read (its `size`
 *   is checked, not its bytes)
 * @throws Error saying to pick the file again when the browser cannot read it (moved or changed since picked)
 */
export async function readFiles(files: FileList | readonly File[]): Promise<OpenedFile[]> {
  const list = Array.from(files);
  const big = list.find((f) => f.size > MAX_OPEN_BYTES);
  if (big) throw new FileTooLargeError(big.name, big.size);
  return Promise.all(
    list.map(async (f) => {
      let buffer: ArrayBuffer;
      try {
        buffer = await f.arrayBuffer();
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(`${f.name} could not be read (${why}); pick it again. Nothing was opened.`, {
          cause: e,
        });
      }
      return { name: f.webkitRelativePath || f.name, bytes: new Uint8Array(buffer) };
    }),
  );
}
