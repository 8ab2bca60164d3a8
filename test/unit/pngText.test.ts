import { deflateSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addPngText,
  crc32,
  PNG_LINK_KEY,
  PngError,
  pngChunks,
  readPngText,
} from '../../src/core/formats/pngText.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** One chunk, its CRC from Node's zlib (an implementation independent of the one under test). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, zlib.crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// One orange RGB pixel: filter byte 0, then R, G, B.
const PIXEL = Uint8Array.from([0, 0xe6, 0x9f, 0x00]);

/** A minimal valid 1×1 8-bit RGB PNG, built by hand. */
function onePixelPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 1); // width
  v.setUint32(4, 1); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  // compression 0, filter 0, interlace 0
  return concat(
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(PIXEL))),
    chunk('IEND', new Uint8Array(0)),
  );
}

const LINK = 'https://example.org/robust/?dataset=moons&eps=0.1&panels=natural,trades:beta=6';

describe('crc32', () => {
  it('matches the standard check value of "123456789"', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });

  it("gives the IEND chunk's well-known CRC AE426082", () => {
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
  });

  it('agrees with node:zlib on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc32(bytes)).toBe(zlib.crc32(bytes));
      }),
    );
  });
});

describe('addPngText and readPngText', () => {
  it('round-trip a share link through a real PNG', () => {
    const png = addPngText(onePixelPng(), PNG_LINK_KEY, LINK);
    expect(readPngText(png)).toEqual({ [PNG_LINK_KEY]: LINK });
  });

  it('keep the image decodable: chunks parse, IHDR first, IDAT unchanged, text just before IEND', () => {
    const original = onePixelPng();
    const png = addPngText(original, PNG_LINK_KEY, LINK);
    const before = pngChunks(original);
    const after = pngChunks(png);
    expect(after.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'tEXt', 'IEND']);
    const idat = (b: Uint8Array, c: (typeof after)[number]) =>
      b.subarray(c.dataStart, c.dataStart + c.length);
    expect(idat(png, after[1]!)).toEqual(idat(original, before[1]!));
    expect(new Uint8Array(inflateSync(idat(png, after[1]!)))).toEqual(PIXEL);
    // Everything up to the added chunk is byte-identical, and the file ends with the same IEND.
    expect(png.subarray(0, before[2]!.offset)).toEqual(original.subarray(0, before[2]!.offset));
    expect(png.subarray(png.length - 12)).toEqual(original.subarray(original.length - 12));
  });

  it('writes a tEXt chunk whose bytes are keyword, NUL, text and a correct CRC', () => {
    const png = addPngText(onePixelPng(), 'Comment', 'hi');
    const c = pngChunks(png).find((k) => k.type === 'tEXt')!;
    expect(c.length).toBe('Comment'.length + 1 + 2);
    expect(png.subarray(c.dataStart, c.dataStart + c.length)).toEqual(ascii('Comment\0hi'));
    const crc = new DataView(png.buffer, png.byteOffset).getUint32(c.dataStart + c.length);
    expect(crc).toBe(zlib.crc32(png.subarray(c.offset + 4, c.dataStart + c.length)));
  });

  it('stores non-Latin-1 text as UTF-8 in an iTXt chunk and reads it back', () => {
    const text = 'TRADES (β = 6) · ε = 0.1 · 😀';
    const png = addPngText(onePixelPng(), 'Title', text);
    expect(pngChunks(png).some((c) => c.type === 'iTXt')).toBe(true);
    expect(readPngText(png)).toEqual({ Title: text });
  });

  it('replaces an earlier chunk of the same keyword instead of adding a second one', () => {
    let png = addPngText(onePixelPng(), PNG_LINK_KEY, 'https://a.example/?x=1');
    png = addPngText(png, 'Other', 'kept');
    png = addPngText(png, PNG_LINK_KEY, LINK);
    expect(pngChunks(png).filter((c) => c.type === 'tEXt')).toHaveLength(2);
    expect(readPngText(png)).toEqual({ Other: 'kept', [PNG_LINK_KEY]: LINK });
  });

  it('round-trips any text (Latin-1 or not) under any allowed keyword', () => {
    const keyChar = fc.constantFrom(...'abcXYZ019-_:.()éÿ'.split(''));
    const key = fc.array(keyChar, { minLength: 1, maxLength: 79 }).map((cs) => cs.join(''));
    const png = onePixelPng();
    fc.assert(
      fc.property(key, fc.string({ unit: 'binary', maxLength: 200 }), (k, text) => {
        expect(readPngText(addPngText(png, k, text))[k]).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a PNG with no text chunks as an empty record', () => {
    expect(readPngText(onePixelPng())).toEqual({});
  });

  it('refuses keywords PNG does not allow', () => {
    for (const bad of ['', ' lead', 'trail ', 'two  spaces', 'x'.repeat(80), 'new\nline', 'π']) {
      expect(() => addPngText(onePixelPng(), bad, 'x')).toThrow(PngError);
    }
  });
});

describe('reading refuses what is not a whole PNG', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /not a PNG/],
    ['text', () => ascii('x1,x2,label,split\n0,0,0,train\n'), /not a PNG/],
    ['a JPEG header', () => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), /not a PNG/],
    ['a bare signature', () => SIGNATURE, /truncated/],
    ['a file cut in its IDAT', () => onePixelPng().subarray(0, 40), /truncated/],
    ['a file without IEND', () => onePixelPng().subarray(0, onePixelPng().length - 12), /truncated/],
    [
      'a flipped pixel byte (CRC mismatch)',
      () => {
        const b = onePixelPng().slice();
        const i = 8 + 25 + 9; // inside IDAT's data
        b[i] = b[i]! ^ 0xff;
        return b;
      },
      /CRC/,
    ],
    [
      'a first chunk other than IHDR',
      () =>
        concat(SIGNATURE, chunk('IDAT', new Uint8Array(deflateSync(PIXEL))), chunk('IEND', new Uint8Array())),
      /first chunk is IDAT/,
    ],
    [
      'a chunk type that is not letters',
      () => {
        const b = onePixelPng().slice();
        b[8 + 4] = 0x31;
        return b;
      },
      /not four letters/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => readPngText(make())).toThrow(message);
      expect(() => addPngText(make(), PNG_LINK_KEY, LINK)).toThrow(PngError);
    });
  }

  it('rejects random bytes after a valid signature without crashing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        expect(() => readPngText(concat(SIGNATURE, junk))).toThrow(PngError);
      }),
    );
  });
});
