/**
 * The page's keyboard shortcuts, one table for the handler and for the "?" dialog that lists them. A key typed
 * into a text field, a select or a slider belongs to that control, never to a shortcut.
 */
import { useEffect, useRef } from 'react';

export type ShortcutAction =
  'playPause' | 'step' | 'reset' | 'preset' | 'help' | 'undo' | 'redo' | 'present' | 'share';

export const SHORTCUTS: readonly { keys: string; action: ShortcutAction; what: string }[] = [
  { keys: 'Space', action: 'playPause', what: 'play / pause training' },
  { keys: '→', action: 'step', what: 'one training step of every panel (pauses)' },
  { keys: 'r', action: 'reset', what: 'reset every panel to the initial weights' },
  { keys: '1 – 9', action: 'preset', what: 'lecture preset 1 to 9' },
  { keys: 'p', action: 'present', what: 'presenter view on / off (large type)' },
  { keys: 's', action: 'share', what: 'share: the link, an <iframe>, exports' },
  { keys: 'Ctrl+Z', action: 'undo', what: 'undo the last point edit' },
  { keys: 'Ctrl+Shift+Z, Ctrl+Y', action: 'redo', what: 'redo' },
  { keys: '?', action: 'help', what: 'this list' },
];

/** What a key press means, or null: pure, so the table and the tests agree. */
export function shortcutOf(e: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): { action: ShortcutAction; preset?: number } | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'z') return { action: e.shiftKey ? 'redo' : 'undo' };
    if (k === 'y') return { action: 'redo' };
    return null;
  }
  if (e.altKey || mod) return null;
  switch (e.key) {
    case ' ':
      return { action: 'playPause' };
    case 'ArrowRight':
      return { action: 'step' };
    case 'r':
      return { action: 'reset' };
    case 'p':
      return { action: 'present' };
    case 's':
      return { action: 'share' };
    case '?':
      return { action: 'help' };
  }
  if (/^[1-9]$/.test(e.key)) return { action: 'preset', preset: Number(e.key) - 1 };
  return null;
}

const TYPING = /^(INPUT|SELECT|TEXTAREA)$/;

/** Calls `handler` for every shortcut typed outside a text field, select or slider; the latest handler wins. */
export function useShortcuts(handler: (action: ShortcutAction, preset?: number) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      const hit = shortcutOf(e);
      if (!hit) return;
      const typing = t !== null && (TYPING.test(t.tagName) || t.isContentEditable);
      // Undo in a text field undoes its text; space or → on a button, slider or summary is theirs.
      if (typing) return;
      if (
        (hit.action === 'playPause' || hit.action === 'step') &&
        t &&
        /^(BUTTON|SUMMARY|A)$/.test(t.tagName)
      )
        return;
      if (t?.closest('dialog') && hit.action !== 'help') return;
      e.preventDefault();
      ref.current(hit.action, hit.preset);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
