/**
 * Text in PNG files: the page writes its share link into every exported figure as a text chunk, and reads it back
 * when a figure is opened. Pure byte work (PNG 1.2 / ISO 15948 §11.3.4): chunks are `length(4) type(4) data crc(4)`,
 * big-endian, the CRC-32 over type and data. `tEXt` holds Latin-1; `iTXt` (uncompressed) holds UTF-8. Nothing is
 * decompressed, so compressed `zTXt` / `iTXt` chunks are skipped when reading.
 */

/** The keyword under which the page stores its share link. */
export const PNG_LINK_KEY = 'robust-playground-link';

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type PngErrorCode = 'signature' | 'truncated' | 'chunk' | 'crc' | 'keyword';

/** A byte string that is not a PNG this module can read, or a keyword PNG does not allow. */
export class PngError extends Error {
  override readonly name = 'PngError';
  constructor(
    readonly code: PngErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 of PNG (and zlib, gzip): reflected polynomial 0xEDB88320, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: its type, and where its data lies in the file (`dataStart … dataStart + length`). */
export interface PngChunk {
  readonly type: string;
  /** Offset of the chunk's length field. */
  readonly offset: number;
  readonly dataStart: number;
  readonly length: number;
}

const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

function putU32(b: Uint8Array, i: number, v: number) {
  b[i] = v >>> 24;
  b[i + 1] = (v >>> 16) & 0xff;
  b[i + 2] = (v >>> 8) & 0xff;
  b[i + 3] = v & 0xff;
}

/**
 * Every chunk of a PNG, in file order, up to and including `IEND` (bytes after it are ignored).
 *
 * @throws PngError when the signature is wrong, a chunk runs past the end of the file, a chunk type is not four
 *   ASCII letters, a CRC does not match, `IHDR` is not first, or `IEND` is missing
 */
export function pngChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) {
    throw new PngError(
      'signature',
      'This is not a PNG file (its first 8 bytes are not the PNG signature). Open a PNG exported by the app.',
    );
  }
  const chunks: PngChunk[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > png.length) {
      throw new PngError(
        'truncated',
        `The PNG is truncated: it ends at byte ${png.length} without an IEND chunk. Export or download it again.`,
      );
    }
    const length = u32(png, at);
    const typeBytes = png.subarray(at + 4, at + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw new PngError(
        'chunk',
        `The PNG is damaged: the chunk at byte ${at} has type ${JSON.stringify(type)}, not four letters.`,
      );
    }
    if (length > 0x7fffffff || at + 12 + length > png.length) {
      throw new PngError(
        'truncated',
        `The PNG is truncated: its ${type} chunk at byte ${at} claims ${length} bytes but the file ends at ${png.length}. ` +
          'Export or download it again.',
      );
    }
    const dataStart = at + 8;
    const stored = u32(png, dataStart + length);
    const computed = crc32(png, at + 4, dataStart + length);
    if (stored !== computed) {
      throw new PngError(
        'crc',
        `The PNG is damaged: the CRC of its ${type} chunk at byte ${at} is ${hex(stored)}, expected ${hex(computed)}.`,
      );
    }
    if (chunks.length === 0 && type !== 'IHDR') {
      throw new PngError('chunk', `The PNG is damaged: its first chunk is ${type}, not IHDR.`);
    }
    chunks.push({ type, offset: at, dataStart, length });
    at = dataStart + length + 4;
    if (type === 'IEND') return chunks;
  }
}

const hex = (v: number) => v.toString(16).toUpperCase().padStart(8, '0');

function checkKeyword(key: string): void {
  // §11.3.4.2: 1–79 Latin-1 printable characters, no leading, trailing or consecutive spaces.
  if (key.length < 1 || key.length > 79 || !/^[\x20-\x7e\xa1-\xff]+$/.test(key) || /^ | $| {2}/.test(key)) {
    throw new PngError(
      'keyword',
      `PNG text keyword ${JSON.stringify(key)} is not allowed; use 1–79 printable Latin-1 characters without leading, trailing or double spaces.`,
    );
  }
}

const latin1 = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function chunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length);
  putU32(out, 0, data.length);
  out.set(latin1(type), 4);
  out.set(data, 8);
  putU32(out, 8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** The key of a `tEXt` or `iTXt` chunk and its text, or null for a compressed or malformed one. */
function textOf(png: Uint8Array, c: PngChunk): [string, string] | null {
  const data = png.subarray(c.dataStart, c.dataStart + c.length);
  const nul = data.indexOf(0);
  if (nul < 1) return null;
  const key = String.fromCharCode(...data.subarray(0, nul));
  if (c.type === 'tEXt') {
    let text = '';
    for (let i = nul + 1; i < data.length; i++) text += String.fromCharCode(data[i]!);
    return [key, text];
  }
  // iTXt: key 0 flag method language 0 translated-key 0 text
  const flag = data[nul + 1];
  if (flag !== 0) return null;
  const langEnd = data.indexOf(0, nul + 3);
  const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
  if (transEnd < 0) return null;
  try {
    return [key, new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(transEnd + 1))];
  } catch {
    return null;
  }
}

/**
 * A copy of `png` with the text `text` stored under `key`, just before `IEND`; an earlier `tEXt` / `iTXt` chunk of
 * the same key is dropped, so exporting twice leaves one. Latin-1 text goes into `tEXt`, anything else into an
 * uncompressed `iTXt` (UTF-8). Image data and every other chunk are copied unchanged.
 *
 * @throws PngError for a file that is not a well-formed PNG (see {@link pngChunks}) or a keyword PNG forbids
 */
export function addPngText(png: Uint8Array, key: string, text: string): Uint8Array<ArrayBuffer> {
  checkKeyword(key);
  const chunks = pngChunks(png);
  // tEXt holds Latin-1 without NUL; anything else needs iTXt's UTF-8.
  const isLatin1 = [...text].every((ch) => ch.charCodeAt(0) <= 0xff && ch !== '\0');
  const keyBytes = latin1(key);
  let added: Uint8Array;
  if (isLatin1) {
    const data = new Uint8Array(keyBytes.length + 1 + text.length);
    data.set(keyBytes, 0);
    data.set(latin1(text), keyBytes.length + 1);
    added = chunk('tEXt', data);
  } else {
    const utf8 = new TextEncoder().encode(text);
    // key 0, compression flag 0, method 0, empty language 0, empty translated keyword 0, text
    const data = new Uint8Array(keyBytes.length + 5 + utf8.length);
    data.set(keyBytes, 0);
    data.set(utf8, keyBytes.length + 5);
    added = chunk('iTXt', data);
  }
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  for (const c of chunks) {
    const whole = png.subarray(c.offset, c.dataStart + c.length + 4);
    if (c.type === 'IEND') parts.push(added);
    else if ((c.type === 'tEXt' || c.type === 'iTXt') && textOf(png, c)?.[0] === key) continue;
    parts.push(whole);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Every uncompressed text chunk (`tEXt`, `iTXt`) of a PNG, by keyword; a later chunk of the same keyword wins.
 *
 * @throws PngError for a file that is not a well-formed PNG (see {@link pngChunks})
 */
export function readPngText(png: Uint8Array): Record<string, string> {
  // No prototype: a keyword such as "__proto__" is just a key.
  const out = Object.create(null) as Record<string, string>;
  for (const c of pngChunks(png)) {
    if (c.type !== 'tEXt' && c.type !== 'iTXt') continue;
    const kv = textOf(png, c);
    if (kv) out[kv[0]] = kv[1];
  }
  return out;
}
