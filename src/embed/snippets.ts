/**
 * The HTML a blog writer pastes: an `<iframe>` of the app in embed mode, or the `<robust-playground>` element with
 * its one script tag. Pure strings (the Share dialog shows them; the browser tests load them).
 *
 * Not imported by element.ts (see frame.ts: the element's script shares no module with the app), so the
 * sandbox is repeated here; test/unit/embedElement.test.ts checks that it matches FRAME_SANDBOX.
 */

/** The iframe snippet's sandbox: the same flags as the element's frame (src/embed/frame.ts explains each). */
export const SNIPPET_SANDBOX =
  'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** The iframe snippet's height in CSS pixels (an iframe cannot follow its content without a script). */
export const SNIPPET_HEIGHT = 560;

/** The element's script file, beside the app's index.html. */
export const ELEMENT_SCRIPT = 'robust-playground.js';

/** `text` escaped for a double-quoted HTML attribute. */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A responsive iframe of `url` (the app's embed link): full width, SNIPPET_HEIGHT tall, lazy, sandboxed. */
export function iframeSnippet(url: string, title = 'Robust Playground'): string {
  return (
    `<iframe src="${escapeAttribute(url)}" title="${escapeAttribute(title)}" width="100%" ` +
    `height="${SNIPPET_HEIGHT}" style="border: 0; width: 100%; max-width: 100%" loading="lazy" ` +
    `referrerpolicy="no-referrer" sandbox="${SNIPPET_SANDBOX}"></iframe>`
  );
}

/** The address of the element's script for the app at `appUrl` (any page address of the app). */
export function elementScriptUrl(appUrl: string): string {
  return new URL(ELEMENT_SCRIPT, appUrl).href;
}

/** The element's `params` for a link of the app: its query without `embed` (the element adds it). */
export function elementParams(link: string): string {
  // The query as the app wrote it (commas, bare flags), part by part: only `embed` is left out.
  return new URL(link).search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && part.split('=')[0] !== 'embed')
    .join('&');
}

/** The script tag and the element, for the app at `link` with its settings. */
export function elementSnippet(link: string): string {
  const params = elementParams(link);
  const attribute = params ? ` params="${escapeAttribute(params)}"` : '';
  return (
    `<script type="module" src="${escapeAttribute(elementScriptUrl(link))}"></script>\n` +
    `<robust-playground${attribute}></robust-playground>`
  );
}
