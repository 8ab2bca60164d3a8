/**
 * Errors the page caught, kept on `window.__rpErrors` so that a browser test (or a curious user in the console)
 * can see them; each is also logged.
 */
declare global {
  interface Window {
    __rpErrors?: string[];
  }
}

export function reportError(message: string): void {
  (window.__rpErrors ??= []).push(message);
  console.error(message);
}

export function catchGlobalErrors(): void {
  window.__rpErrors ??= [];
  window.addEventListener('error', (e) => reportError(e.message || String(e.error)));
  window.addEventListener('unhandledrejection', (e) => reportError(`Unhandled: ${String(e.reason)}`));
}
