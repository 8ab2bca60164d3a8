// The pure parts of embedding: the <robust-playground> element's frame address and message check (src/embed/frame.ts),
// the Share dialog's snippets (src/embed/snippets.ts), and the constants the element repeats rather than imports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEIGHT,
  FRAME_SANDBOX,
  HEIGHT_MESSAGE,
  MAX_HEIGHT,
  appBase,
  fixedHeight,
  frameTitle,
  frameUrl,
  readHeightMessage,
} from '../../src/embed/frame.ts';
import {
  SNIPPET_SANDBOX,
  elementParams,
  elementScriptUrl,
  elementSnippet,
  escapeAttribute,
  iframeSnippet,
} from '../../src/embed/snippets.ts';
import { HEIGHT_MESSAGE as BRIDGE_HEIGHT_MESSAGE } from '../../src/views/embedBridge.ts';

const none = { preset: null, hide: null, params: null };

describe('the element finds the app', () => {
  it('beside its built script', () => {
    expect(appBase('https://x.org/rp/robust-playground.js', null, 'https://blog.org/post').href).toBe(
      'https://x.org/rp/',
    );
  });

  it('above src/embed/ when the dev server serves the source module', () => {
    expect(appBase('http://localhost:5173/src/embed/element.ts?t=1', null, 'http://a/').href).toBe(
      'http://localhost:5173/',
    );
  });

  it('at src-base when given, resolved against the document', () => {
    expect(appBase('https://x.org/robust-playground.js', ' /app/ ', 'https://blog.org/post').href).toBe(
      'https://blog.org/app/',
    );
    expect(appBase('https://x.org/robust-playground.js', '', 'https://blog.org/post').href).toBe(
      'https://x.org/',
    );
  });
});

describe('the frame address', () => {
  it('is the app in embed mode with the preset and the parts to hide', () => {
    const url = new URL(
      frameUrl('https://x.org/', { preset: 'theorem', hide: ' controls, table ,', params: null }),
    );
    expect(url.origin + url.pathname).toBe('https://x.org/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      preset: 'theorem',
      hide: 'controls,table',
      embed: '',
    });
  });

  it('is written as the app writes its links: commas as they are, the flag bare, embed last', () => {
    expect(
      frameUrl('https://x.org/app/', { preset: 'theorem', hide: 'controls,table', params: 'v=1&present' }),
    ).toBe('https://x.org/app/?v=1&present&preset=theorem&hide=controls,table&embed');
  });

  it('passes params through, and an attribute wins over the same key in them', () => {
    const url = new URL(
      frameUrl('https://x.org/', {
        preset: 'theorem',
        hide: null,
        params: '?data=spiral&eps=0.05&preset=other',
      }),
    );
    expect(url.searchParams.get('data')).toBe('spiral');
    expect(url.searchParams.get('eps')).toBe('0.05');
    expect(url.searchParams.get('preset')).toBe('theorem');
  });

  it("keeps the base's own query and always ends in embed mode", () => {
    const url = new URL(frameUrl('https://x.org/?backend=wasm#top', { ...none, params: 'embed=0' }));
    expect(url.searchParams.get('backend')).toBe('wasm');
    expect(url.search).toBe('?backend=wasm&embed');
    expect(url.hash).toBe('');
  });

  it('escapes what it passes through', () => {
    const url = new URL(frameUrl('https://x.org/', { ...none, params: 'note=a%26b%20c' }));
    expect(url.searchParams.get('note')).toBe('a&b c');
    expect(url.search).toBe('?note=a%26b%20c&embed');
  });

  it('names the frame after its preset', () => {
    expect(frameTitle('theorem')).toBe('Robust Playground: theorem');
    expect(frameTitle(null)).toBe('Robust Playground');
    expect(frameTitle('  ')).toBe('Robust Playground');
  });
});

describe('height messages', () => {
  it('are believed in the expected shape, rounded up', () => {
    expect(readHeightMessage({ type: HEIGHT_MESSAGE, height: 612.2 })).toBe(613);
    expect(readHeightMessage({ type: HEIGHT_MESSAGE, height: 0 })).toBe(0);
  });

  it('are clamped so a page that sizes itself by its frame cannot grow without end', () => {
    expect(readHeightMessage({ type: HEIGHT_MESSAGE, height: 1e9 })).toBe(MAX_HEIGHT);
  });

  it('are ignored in any other shape', () => {
    for (const data of [
      null,
      'robust-playground:height',
      612,
      { type: 'other', height: 600 },
      { type: HEIGHT_MESSAGE },
      { type: HEIGHT_MESSAGE, height: '600' },
      { type: HEIGHT_MESSAGE, height: NaN },
      { type: HEIGHT_MESSAGE, height: Infinity },
      { type: HEIGHT_MESSAGE, height: -1 },
    ]) {
      expect(readHeightMessage(data), JSON.stringify(data)).toBeNull();
    }
  });

  it('have one type on both sides: the element and the embedded page', () => {
    expect(BRIDGE_HEIGHT_MESSAGE).toBe(HEIGHT_MESSAGE);
  });
});

describe('the height attribute', () => {
  const anyLength = (css: string) => /^\d+(\.\d+)?(vh|rem|em|%)$/.test(css);

  it('is pixels as a number or px, clamped', () => {
    expect(fixedHeight('480', anyLength)).toBe('480px');
    expect(fixedHeight(' 480px ', anyLength)).toBe('480px');
    expect(fixedHeight('99999999', anyLength)).toBe(`${MAX_HEIGHT}px`);
  });

  it('keeps another CSS length, and is absent (follow the content) otherwise', () => {
    expect(fixedHeight('60vh', anyLength)).toBe('60vh');
    expect(fixedHeight('tall', anyLength)).toBeNull();
    expect(fixedHeight('', anyLength)).toBeNull();
    expect(fixedHeight(null, anyLength)).toBeNull();
  });

  it('starts from a default before the page reports', () => {
    expect(DEFAULT_HEIGHT).toBeGreaterThan(200);
  });
});

describe('the snippets', () => {
  const link = 'https://x.org/app/?v=1&data=spiral&embed&hide=controls';

  it('escape attribute values', () => {
    expect(escapeAttribute('a&b"c<d>')).toBe('a&amp;b&quot;c&lt;d&gt;');
  });

  it('give a responsive, lazy, sandboxed iframe of the embed link', () => {
    const html = iframeSnippet(link);
    expect(html).toContain('src="https://x.org/app/?v=1&amp;data=spiral&amp;embed&amp;hide=controls"');
    expect(html).toContain('title="Robust Playground"');
    expect(html).toContain('width="100%"');
    expect(html).toContain('height="560"');
    expect(html).toContain('loading="lazy"');
    expect(html).toContain(`sandbox="${FRAME_SANDBOX}"`);
  });

  it('give the element with its script beside the app and the link settings as params', () => {
    expect(elementScriptUrl(link)).toBe('https://x.org/app/robust-playground.js');
    expect(elementParams(link)).toBe('v=1&data=spiral&hide=controls');
    expect(elementSnippet(link)).toBe(
      '<script type="module" src="https://x.org/app/robust-playground.js"></script>\n' +
        '<robust-playground params="v=1&amp;data=spiral&amp;hide=controls"></robust-playground>',
    );
    expect(elementSnippet('https://x.org/?embed')).toContain('<robust-playground></robust-playground>');
    expect(elementParams('https://x.org/?v=1&present&hide=controls,table&embed=1&eps=0.05')).toBe(
      'v=1&present&hide=controls,table&eps=0.05',
    );
  });

  it('sandbox the iframe as the element sandboxes its frame', () => {
    expect(SNIPPET_SANDBOX).toBe(FRAME_SANDBOX);
  });
});

describe("the element's script", () => {
  it('imports nothing but its own pure module (no React, no tfjs, nothing of the app)', () => {
    const source = readFileSync(new URL('../../src/embed/element.ts', import.meta.url), 'utf8');
    const froms = [...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(froms).toEqual(['./frame.ts']);
    const frame = readFileSync(new URL('../../src/embed/frame.ts', import.meta.url), 'utf8');
    expect(frame).not.toMatch(/^\s*import\s/m);
  });
});
