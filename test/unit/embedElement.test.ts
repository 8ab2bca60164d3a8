// The pure parts of embedding: the <robust-playground> element's frame address and message check (src/embed/frame.ts),
// the Share dialog's snippets (src/embed/snippets.ts), and the constants the element repeats rather than imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_HEIGHT,
  FRAME_SANDBOX,
  HEIGHT_MESSAGE,
  MAX_HEIGHT,
  appBase,
  fixedHeight,
  frameTitle,
  frameUrl,
  heightFromFrame,
  readHeightMessage,
  srcBaseUrl,
} from '../../src/embed/frame.ts';
import {
  SNIPPET_SANDBOX,
  elementParams,
  elementScriptUrl,
  elementSnippet,
  escapeAttribute,
  iframeSnippet,
} from '../../src/embed/snippets.ts';
import { HEIGHT_MESSAGE as BRIDGE_HEIGHT_MESSAGE, startEmbedBridge } from '../../src/views/embedBridge.ts';

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

describe('hostile attributes', () => {
  const script = 'https://x.org/rp/robust-playground.js';
  const blog = 'https://blog.org/post';

  it('refuse a src-base that is not an http(s) address, and fall back to the script beside the app', () => {
    for (const srcBase of [
      'javascript:alert(document.domain)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://x.org/0b7c3d1e-0000-4000-8000-000000000000',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      'about:blank',
      'ftp://x.org/',
      'http://[',
    ]) {
      expect(srcBaseUrl(srcBase, blog), srcBase).toBeNull();
      expect(appBase(script, srcBase, blog).href, srcBase).toBe('https://x.org/rp/');
    }
  });

  it('accept an http(s) src-base, relative ones resolved against the page', () => {
    expect(srcBaseUrl('https://app.org/rp/', blog)?.href).toBe('https://app.org/rp/');
    expect(srcBaseUrl('//app.org/rp/', blog)?.href).toBe('https://app.org/rp/');
    expect(srcBaseUrl('/rp/', blog)?.href).toBe('https://blog.org/rp/');
    expect(srcBaseUrl('  ', blog)).toBeNull();
    expect(srcBaseUrl(null, blog)).toBeNull();
  });

  it('stay inside the query: preset, hide and params cannot change where the frame points', () => {
    const evil = 'x"><script>alert(1)</script>#/../../evil?embed=0&src=https://e.x/';
    const src = frameUrl('https://x.org/rp/', {
      preset: evil,
      hide: `controls,${evil}`,
      params: `a=1&${encodeURIComponent(evil)}=${encodeURIComponent(evil)}&embed=0#frag`,
    });
    const url = new URL(src);
    expect(url.origin + url.pathname).toBe('https://x.org/rp/');
    expect(url.hash).toBe('');
    expect(src).not.toMatch(/[<>"\s]/);
    expect(url.searchParams.get('preset')).toBe(evil.trim());
    expect(url.searchParams.get('hide')).toBe(`controls,${evil}`);
    expect(url.searchParams.get(evil)).toBe(evil);
    expect(url.searchParams.getAll('embed')).toEqual(['']);
    expect(src.endsWith('&embed')).toBe(true);
  });

  it('give a height only as a length: nothing else reaches the frame style', () => {
    // As CSS.supports('height', …) answers in a browser.
    const cssLength = (css: string) => /^(\d+(\.\d+)?)(px|vh|rem|em|%)$|^calc\([\d\s.+*/a-z%-]+\)$/.test(css);
    for (const value of [
      '1px; position: fixed; inset: 0',
      '100px" onload="alert(1)',
      'expression(alert(1))',
      'url(javascript:alert(1))',
      '-5',
      '1e9',
      'NaN',
      'Infinity',
      '480px !important',
    ]) {
      expect(fixedHeight(value, cssLength), value).toBeNull();
    }
    expect(fixedHeight('calc(50vh + 10px)', cssLength)).toBe('calc(50vh + 10px)');
  });

  it('name the frame with the preset as text (set as a property, never parsed)', () => {
    expect(frameTitle('<img src=x onerror=alert(1)>')).toBe(
      'Robust Playground: <img src=x onerror=alert(1)>',
    );
  });
});

describe('forged messages', () => {
  const frameWindow = { name: 'the frame' };
  const otherWindow = { name: 'another window' };
  const origin = 'https://x.org';
  const data = { type: HEIGHT_MESSAGE, height: 600 };

  it('are believed only from the frame, from its origin, in the expected shape', () => {
    expect(heightFromFrame({ source: frameWindow, origin, data }, frameWindow, origin)).toBe(600);
  });

  it('from another window, another origin, or an opaque one are ignored', () => {
    expect(heightFromFrame({ source: otherWindow, origin, data }, frameWindow, origin)).toBeNull();
    expect(heightFromFrame({ source: null, origin, data }, frameWindow, origin)).toBeNull();
    expect(
      heightFromFrame({ source: frameWindow, origin: 'https://e.x', data }, frameWindow, origin),
    ).toBeNull();
    expect(heightFromFrame({ source: frameWindow, origin: 'null', data }, frameWindow, 'null')).toBeNull();
    expect(heightFromFrame({ source: frameWindow, origin: '', data }, frameWindow, '')).toBeNull();
  });

  it('are ignored while the frame has no window (a synthetic event has source null)', () => {
    expect(heightFromFrame({ source: null, origin, data }, null, origin)).toBeNull();
    expect(heightFromFrame({ source: undefined, origin, data }, undefined, origin)).toBeNull();
  });

  it('that claim the shape only through their prototype are ignored', () => {
    const inherited = Object.create(data) as object;
    expect(heightFromFrame({ source: frameWindow, origin, data: inherited }, frameWindow, origin)).toBeNull();
  });

  it('carrying anything but a height do nothing: there are no commands to forge', () => {
    for (const forged of [
      { type: 'robust-playground:navigate', url: 'javascript:alert(1)' },
      { type: HEIGHT_MESSAGE, height: 600, src: 'javascript:alert(1)' },
      { type: HEIGHT_MESSAGE, height: '600px; position: fixed' },
      { type: HEIGHT_MESSAGE, height: { valueOf: () => 600 } },
    ]) {
      const height = heightFromFrame({ source: frameWindow, origin, data: forged }, frameWindow, origin);
      expect(height === null || typeof height === 'number', JSON.stringify(forged)).toBe(true);
    }
    expect(
      heightFromFrame(
        { source: frameWindow, origin, data: { type: HEIGHT_MESSAGE, height: '600px; position: fixed' } },
        frameWindow,
        origin,
      ),
    ).toBeNull();
  });
});

describe('the embedded page', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** A framed window: `parent` records what is posted to it. */
  function framed() {
    const posted: [unknown, string][] = [];
    const parent = { postMessage: (message: unknown, target: string) => posted.push([message, target]) };
    const observers: (() => void)[] = [];
    vi.stubGlobal('window', { parent, scrollY: 0 });
    vi.stubGlobal('getComputedStyle', () => ({ marginBottom: '0px' }));
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          observers.push(callback);
        }
        observe() {}
        disconnect() {}
      },
    );
    return { posted, resize: () => observers.forEach((f) => f()) };
  }

  it('posts its height, and nothing else, to its parent', () => {
    const { posted, resize } = framed();
    let bottom = 612.2;
    const root = { getBoundingClientRect: () => ({ bottom }) } as unknown as HTMLElement;
    const stop = startEmbedBridge(root);
    bottom = 700;
    resize();
    resize();
    stop();
    expect(posted).toEqual([
      [{ type: HEIGHT_MESSAGE, height: 613 }, '*'],
      [{ type: HEIGHT_MESSAGE, height: 700 }, '*'],
    ]);
  });

  it('posts nothing when it is not framed', () => {
    const posted: unknown[] = [];
    const self = { postMessage: (m: unknown) => posted.push(m) } as {
      postMessage(m: unknown): void;
      parent?: unknown;
    };
    self.parent = self;
    vi.stubGlobal('window', self);
    startEmbedBridge({ getBoundingClientRect: () => ({ bottom: 10 }) } as unknown as HTMLElement)();
    expect(posted).toEqual([]);
  });

  it('listens to no message from its parent: the app takes no commands from the embedding page', () => {
    // Only the element (which checks sender and shape) listens for window messages; the engine's worker talks to
    // the app through Comlink on the worker's own channel, which no other page can reach.
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const src = new URL('../../src/', import.meta.url).pathname;
    const listeners = files(src)
      .filter((path) =>
        /addEventListener\(\s*['"]message['"]|\bonmessage\s*=/.test(readFileSync(path, 'utf8')),
      )
      .map((path) => path.slice(src.length));
    expect(listeners).toEqual(['embed/element.ts']);
  });
});
