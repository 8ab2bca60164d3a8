/**
 * What the page starts with, read from its URL (urlState.ts): the state, how the page is shown (embedded,
 * presenting, parts hidden, the lecture preset), the pinned tfjs backend (`backend=`) and how many Web Workers
 * train (`workers=`: a number, or `panel` for one per panel). A bad parameter is ignored with a notice, never an
 * error; links from before the URL schema (`?backend=wasm&epochs=40`) read as they always did.
 */
import type { BackendName } from '../ml/backendNames.ts';
import type { DemoState } from './settings.ts';
import {
  decodeState,
  DEFAULT_WORKERS,
  encodeState,
  MAX_WORKERS,
  type Encoded,
  type UiFlags,
  type WorkerSetting,
} from './urlState.ts';

export { DEFAULT_WORKERS, MAX_WORKERS, type WorkerSetting };

/** How many workers a setting means for a page with `panels` panels. */
export function workerCount(setting: WorkerSetting, panels: number): number {
  return setting === 'panel' ? Math.max(1, panels) : setting;
}

export interface Launch {
  readonly state: DemoState;
  readonly ui: UiFlags;
  readonly pinned: BackendName | null;
  readonly workers: WorkerSetting;
  readonly notices: readonly string[];
}

/** The page a URL's query string (`location.search`) describes. Never throws. */
export function readLaunch(search: string): Launch {
  const { state, ui, pinned, workers, notices } = decodeState(search);
  return { state, ui, pinned, workers, notices };
}

/**
 * The query string of the page as it is now, for `history.replaceState` and the Share dialog, with what it cannot
 * carry (`omitted`).
 */
export function launchSearch(
  state: DemoState,
  ui: UiFlags,
  launch: Pick<Launch, 'pinned' | 'workers'>,
): Encoded {
  return encodeState(state, ui, { pinned: launch.pinned, workers: launch.workers });
}
