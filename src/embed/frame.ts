/**
 * The pure parts of the `<robust-playground>` element: which page its iframe shows, which messages it believes.
 *
 * Constraint: this module and element.ts are the whole of `robust-playground.js`, the one script a blog includes.
 * They import nothing from the app (no React, no tfjs, no src/views or src/engine), and nothing of the app imports
 * them: a module shared with the app would become a shared chunk that the script has to fetch as well. The few
 * constants the app needs too (the height message, the sandbox) are repeated in src/views/embedBridge.ts and
 * src/embed/snippets.ts; test/unit/embedElement.test.ts holds the copies together.
 */

/** The `type` of the message the embedded page posts to its parent with its content height (embedBridge.ts). */
export const HEIGHT_MESSAGE = 'robust-playground:height';

/**
 * The iframe's sandbox. `allow-scripts` runs the app (module scripts, its Web Workers and their WASM);
 * `allow-same-origin` keeps the app's real origin: without it the page's origin is opaque, its module scripts
 * become CORS requests from `null` and its workers cannot start — in Chromium the frame stays blank. With both,
 * the app trains in a worker on WASM inside the sandbox (test/e2e/embed.spec.ts). The pair would let a framed
 * page lift its own sandbox only if it were same-origin with the embedding page; the frame shows the app, never
 * the blog. `allow-popups` + `allow-popups-to-escape-sandbox` let "Open in Robust Playground ↗" open a normal
 * tab; `allow-downloads` lets the export buttons save files. Not granted: forms, top navigation, modals, pointer
 * lock.
 */
export const FRAME_SANDBOX =
  'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** The frame's height before the embedded page reports its own, in CSS pixels. */
export const DEFAULT_HEIGHT = 480;

/** A reported height above this is clamped: a page that sizes itself by the frame's height would grow forever. */
export const MAX_HEIGHT = 20_000;

/** The element's attributes that shape the iframe's address. */
export interface FrameAttributes {
  /** A named figure (`theorem`, …): the app's `preset=` parameter. */
  preset: string | null;
  /** Comma-separated parts to hide (`controls,table`): the app's `hide=` parameter. */
  hide: string | null;
  /** Any other app parameters as a query string (`data=spiral&eps=0.05`), passed through. */
  params: string | null;
}

/** Whether `url` is a web address (http or https): the only kind the frame may show. */
export function isWebUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * A `src-base` attribute resolved against `documentUrl`, or null when it is absent, not a URL, or not http(s):
 * a `javascript:` frame would run the attribute as script in the blog's origin, and a `data:`, `blob:` or
 * `file:` one would show a page that is not the app.
 */
export function srcBaseUrl(srcBase: string | null, documentUrl: string): URL | null {
  const text = srcBase?.trim() ?? '';
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text, documentUrl);
  } catch {
    return null;
  }
  return isWebUrl(url) ? url : null;
}

/**
 * The app's base address for a script loaded from `scriptUrl`: the script's own directory (the build puts
 * `robust-playground.js` beside `index.html`), or `srcBase` (resolved against `documentUrl`) when given and
 * http(s) ({@link srcBaseUrl}; any other is ignored). In the dev server the script is the source module
 * `/src/embed/element.ts` (when not reached through `/robust-playground.js`): its app is the part before
 * `src/embed/`.
 */
export function appBase(scriptUrl: string, srcBase: string | null, documentUrl: string): URL {
  const given = srcBaseUrl(srcBase, documentUrl);
  if (given) return given;
  const script = new URL(scriptUrl);
  const source = script.pathname.lastIndexOf('/src/embed/');
  if (source >= 0) return new URL(script.pathname.slice(0, source + 1), script);
  return new URL('./', script);
}

/**
 * The iframe's address: `base` with the query of `params`, then `preset=` and `hide=` from their attributes
 * (an attribute wins over the same key in `params`), then `embed`. The base's own query is kept underneath.
 * Written as the app writes its links: commas unescaped, an empty value as a bare key (`embed`).
 */
export function frameUrl(base: URL | string, attributes: FrameAttributes): string {
  const url = new URL(base);
  const query = new Map<string, string>(new URLSearchParams(url.search));
  for (const [key, value] of new URLSearchParams(attributes.params?.trim() ?? '')) query.set(key, value);
  const preset = attributes.preset?.trim();
  if (preset) query.set('preset', preset);
  const hide = attributes.hide
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
  if (hide) query.set('hide', hide);
  query.delete('embed');
  query.set('embed', '');
  const part = (text: string) => encodeURIComponent(text).replace(/%2C/gi, ',');
  url.search = [...query].map(([k, v]) => (v === '' ? part(k) : `${part(k)}=${part(v)}`)).join('&');
  url.hash = '';
  return url.href;
}

/** The iframe's accessible name. */
export function frameTitle(preset: string | null): string {
  const name = preset?.trim();
  return name ? `Robust Playground: ${name}` : 'Robust Playground';
}

/**
 * The height a message reports, or null when it is not a height message: `{ type: HEIGHT_MESSAGE, height }` with
 * a finite, non-negative number, rounded up to a whole pixel and clamped to MAX_HEIGHT. Who sent it is checked by
 * the caller (the event's source and origin), not here.
 */
export function readHeightMessage(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  // Own properties only: what a prototype says is not what the sender sent.
  if (!Object.hasOwn(data, 'type') || !Object.hasOwn(data, 'height')) return null;
  const message = data as { type?: unknown; height?: unknown };
  if (message.type !== HEIGHT_MESSAGE) return null;
  const height = message.height;
  if (typeof height !== 'number' || !Number.isFinite(height) || height < 0) return null;
  return Math.min(Math.ceil(height), MAX_HEIGHT);
}

/** What the element reads of a `message` event. */
export interface MessageLike {
  readonly source: unknown;
  readonly origin: string;
  readonly data: unknown;
}

/**
 * The height a `message` event reports, or null when it is not to be believed. Believed only from `frameWindow`
 * (the iframe's own window; never when it has none), from `frameOrigin` (the origin the iframe's address names),
 * and in the shape {@link readHeightMessage} reads. Every other message (the blog's own, another embed's, one
 * from a page the frame was navigated to) passes by untouched. The height is the only thing the element takes
 * from the frame: it accepts no commands.
 */
export function heightFromFrame(
  event: MessageLike,
  frameWindow: unknown,
  frameOrigin: string,
): number | null {
  if (frameWindow === null || frameWindow === undefined || event.source !== frameWindow) return null;
  if (frameOrigin === '' || frameOrigin === 'null' || event.origin !== frameOrigin) return null;
  return readHeightMessage(event.data);
}

/**
 * A `height` attribute as a CSS length: a plain number or `480px` is pixels; another length (`60vh`, `30rem`) is
 * kept when `isLength` accepts it; anything else, or no attribute, is null (the frame follows its content).
 */
export function fixedHeight(value: string | null, isLength: (css: string) => boolean): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  const px = /^(\d+(?:\.\d+)?)(?:px)?$/.exec(text);
  if (px) return `${Math.min(Number(px[1]), MAX_HEIGHT)}px`;
  return isLength(text) ? text : null;
}
