/**
 * `<robust-playground>`: the custom element a blog includes with one script tag (the build emits this module as
 * an unhashed `robust-playground.js` beside the app's index.html).
 *
 *   <script type="module" src="https://…/robust-playground.js"></script>
 *   <robust-playground preset="theorem" hide="controls,table"></robust-playground>
 *
 * It shows the app in embed mode (`?…&embed`) in an iframe inside its shadow root, as wide as its container.
 * Attributes: `preset`, `hide`, `params` (a query string passed through), `height` (fixed: a number of pixels or a
 * CSS length; without it the frame follows the height the embedded page reports), `src-base` (the app's address
 * when it is not the script's own directory). Changing one updates the frame.
 *
 * Constraint: tiny and self-contained. It imports only ./frame.ts: no React, no tfjs, nothing of the app.
 */
import {
  DEFAULT_HEIGHT,
  FRAME_SANDBOX,
  appBase,
  fixedHeight,
  frameTitle,
  frameUrl,
  heightFromFrame,
  isWebUrl,
  srcBaseUrl,
} from './frame.ts';

const TAG = 'robust-playground';

// A block of auto width fills its container, borders and margins included (`width: 100%` would overflow by them).
const STYLE = `
:host { display: block; box-sizing: border-box; max-width: 100%; }
:host([hidden]) { display: none; }
iframe { display: block; width: 100%; border: 0; }
`;

/**
 * The shadow root's style as a constructed style sheet: a `<style>` element would be inline style, which a page
 * under a strict Content-Security-Policy (this app's own embed.html, or a blog's) refuses; the CSSOM is not
 * restricted. A `<style>` element only where constructed sheets are missing (Safari before 16.4).
 */
function adoptStyle(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = STYLE;
  root.prepend(style);
}

class RobustPlaygroundElement extends HTMLElement {
  static readonly observedAttributes = ['preset', 'hide', 'params', 'height', 'src-base'];

  readonly #frame: HTMLIFrameElement;
  /** The origin of the page the frame shows: a height message from any other origin is ignored. */
  #origin = '';
  /** The `src-base` of the last update, so that a refused value is warned about once. */
  #lastSrcBase: string | null = null;
  /** The last height the embedded page reported, kept across changes of address to avoid a jump. */
  #reported = DEFAULT_HEIGHT;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const frame = document.createElement('iframe');
    // Every attribute before `src`: `loading` must be set before the address to take effect.
    frame.setAttribute('loading', 'lazy');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.setAttribute('sandbox', FRAME_SANDBOX);
    frame.setAttribute('part', 'frame');
    root.append(frame);
    adoptStyle(root);
    this.#frame = frame;
  }

  /** The iframe, for scripts and tests that need its window. */
  get frame(): HTMLIFrameElement {
    return this.#frame;
  }

  connectedCallback(): void {
    window.addEventListener('message', this.#onMessage);
    this.#update();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.#update();
  }

  #update(): void {
    const preset = this.getAttribute('preset');
    const srcBase = this.getAttribute('src-base');
    if (srcBase?.trim() && !srcBaseUrl(srcBase, document.baseURI) && srcBase !== this.#lastSrcBase) {
      console.warn(
        `<robust-playground>: src-base="${srcBase}" is not an http(s) address, so it is ignored and the ` +
          "playground beside this script is shown. Set src-base to the playground's https:// address.",
      );
    }
    this.#lastSrcBase = srcBase;
    const base = appBase(import.meta.url, srcBase, document.baseURI);
    const src = frameUrl(base, {
      preset,
      hide: this.getAttribute('hide'),
      params: this.getAttribute('params'),
    });
    this.#frame.title = frameTitle(preset);
    this.#applyHeight();
    // The frame shows web pages only (appBase never gives another scheme; this holds it whatever the script's URL).
    if (!isWebUrl(new URL(src))) return;
    if (this.#frame.getAttribute('src') !== src) {
      this.#origin = new URL(src).origin;
      this.#frame.setAttribute('src', src);
    }
  }

  #applyHeight(): void {
    const fixed = fixedHeight(this.getAttribute('height'), (css) => CSS.supports('height', css));
    this.#frame.style.height = fixed ?? `${this.#reported}px`;
  }

  /**
   * A height from the embedded page. Believed only from the frame's own window, from the origin its address
   * names, and in the expected shape; other pages' messages (the blog's own, other embeds') pass by untouched.
   */
  readonly #onMessage = (event: MessageEvent): void => {
    const height = heightFromFrame(event, this.#frame.contentWindow, this.#origin);
    if (height === null) return;
    this.#reported = height;
    this.#applyHeight();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    [TAG]: RobustPlaygroundElement;
  }
}

// Idempotent: a page that includes the script twice (or two builds of it) keeps the first definition.
if (!customElements.get(TAG)) customElements.define(TAG, RobustPlaygroundElement);
