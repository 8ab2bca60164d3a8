/**
 * The page's link: its whole state encoded (state/urlState.ts), kept in the address bar as it changes, and the
 * link with other presentation flags for the Share dialog (a clean slide, an embed).
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { BackendName } from '../ml/backendNames.ts';
import type { DemoState } from '../state/settings.ts';
import {
  encodeState,
  HIDE_KEYS,
  type Encoded,
  type HideKey,
  type UiFlags,
  type WorkerSetting,
} from '../state/urlState.ts';
import type { ShareOptions } from './ShareDialog.tsx';

/** The address bar follows a slider once the hand rests, not on every pixel of a drag. */
const URL_WRITE_DELAY_MS = 250;

export const HIDE_CHOICES = (Object.entries(HIDE_KEYS) as [HideKey, string][]).map(([key, label]) => ({
  key,
  label,
}));

export function useShareLink(
  state: DemoState,
  ui: UiFlags,
  pinned: BackendName | null,
  workers: WorkerSetting,
): { share: Encoded; linkFor: (options: ShareOptions) => string } {
  const share = useMemo(() => encodeState(state, ui, { pinned, workers }), [state, ui, pinned, workers]);
  useEffect(() => {
    const t = setTimeout(() => {
      const url = new URL(window.location.href);
      url.search = share.search;
      window.history.replaceState(null, '', url);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(t);
  }, [share.search]);
  const linkFor = useCallback(
    (options: ShareOptions) => {
      const flags: UiFlags = {
        ...ui,
        embed: options.embed,
        present: options.present,
        hide: HIDE_CHOICES.map((h) => h.key).filter((k) => options.hide.includes(k)),
      };
      const url = new URL(window.location.href);
      url.search = encodeState(state, flags, { pinned, workers }).search;
      url.hash = '';
      return url.toString();
    },
    [state, ui, pinned, workers],
  );
  return { share, linkFor };
}
