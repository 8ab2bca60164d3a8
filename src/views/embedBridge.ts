/**
 * The embedded page's half of the `<robust-playground>` element (src/embed/element.ts): when the app runs in a
 * frame, it tells the parent page how tall its content is, so the frame can be exactly that tall (no inner
 * scroll bar, no empty band) at every width the blog gives it.
 */

/**
 * The message's `type`. The same string as HEIGHT_MESSAGE in src/embed/frame.ts, which the element checks; it is
 * repeated rather than imported so that the element's script shares no module with the app
 * (test/unit/embedElement.test.ts holds the two together).
 */
export const HEIGHT_MESSAGE = 'robust-playground:height';

/** What the embedded page posts to its parent. */
export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE;
  /** The content's height in CSS pixels, rounded up. */
  height: number;
}

/** The height the frame needs to show `root` whole: its bottom edge in document coordinates plus its margin. */
export function contentHeight(root: HTMLElement): number {
  const box = root.getBoundingClientRect();
  const margin = parseFloat(getComputedStyle(root).marginBottom) || 0;
  return Math.ceil(box.bottom + window.scrollY + margin);
}

/**
 * Posts `{ type: 'robust-playground:height', height }` to the parent window now and whenever `root`'s size
 * changes; returns the function that stops it. Does nothing (and returns a no-op) when the page is not framed.
 * `root` must not size itself by the viewport (`100vh`): the frame follows it, so it would grow without end.
 */
export function startEmbedBridge(root: HTMLElement): () => void {
  if (window.parent === window) return () => {};
  let last = -1;
  const post = () => {
    const height = contentHeight(root);
    if (height === last) return;
    last = height;
    const message: HeightMessage = { type: HEIGHT_MESSAGE, height };
    // targetOrigin '*': any blog may embed the app, so the parent's origin is not known here, and the message
    // carries nothing secret — one number the parent could measure itself if it were same-origin. The receiver
    // checks the sender instead (the frame's window and origin; src/embed/element.ts).
    window.parent.postMessage(message, '*');
  };
  const observer = new ResizeObserver(post);
  observer.observe(root);
  post();
  return () => observer.disconnect();
}
