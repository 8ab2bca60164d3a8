/**
 * Launch parameters read from the page's URL: `backend=` pins the tfjs backend (tests, comparisons),
 * `workers=` sets how many Web Workers train (a number, or `panel` for one per panel) and `epochs=` the training
 * length. A bad value is ignored with a notice, never an error.
 */
import { BACKENDS, type BackendName } from '../ml/backendNames.ts';
import { DEFAULT_STATE, type DemoState } from './settings.ts';

/** Web Workers that train: a count, or one per panel. */
export type WorkerSetting = number | 'panel';
/**
 * One worker for all panels: on the 2-core machine of the benchmark (`npm run bench`) it trained the default
 * page as fast as a pool did and kept the page's frames shorter.
 */
export const DEFAULT_WORKERS: WorkerSetting = 1;
export const MAX_WORKERS = 8;

/** How many workers a setting means for a page with `panels` panels. */
export function workerCount(setting: WorkerSetting, panels: number): number {
  return setting === 'panel' ? Math.max(1, panels) : setting;
}

export interface Launch {
  readonly state: DemoState;
  readonly pinned: BackendName | null;
  readonly workers: WorkerSetting;
  readonly notices: readonly string[];
}

export function readLaunch(search: string): Launch {
  const q = new URLSearchParams(search);
  const notices: string[] = [];
  let pinned: BackendName | null = null;
  let state = DEFAULT_STATE;
  const backend = q.get('backend');
  if (backend !== null) {
    if ((BACKENDS as readonly string[]).includes(backend)) pinned = backend as BackendName;
    else
      notices.push(
        `This link asks for backend "${backend}"; use one of ${BACKENDS.join(', ')}. Choosing automatically.`,
      );
  }
  let workers: WorkerSetting = DEFAULT_WORKERS;
  const w = q.get('workers');
  if (w !== null) {
    const n = Number(w);
    if (w === 'panel') workers = 'panel';
    else if (Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS) workers = n;
    else
      notices.push(
        `This link asks for workers = ${w}; use a number from 1 to ${MAX_WORKERS} or "panel". Using ${String(DEFAULT_WORKERS)}.`,
      );
  }
  const epochs = q.get('epochs');
  if (epochs !== null) {
    const n = Number(epochs);
    if (Number.isInteger(n) && n >= 1 && n <= 2000)
      state = { ...state, train: { ...state.train, epochs: n } };
    else notices.push(`This link sets epochs = ${epochs}, outside 1–2000; using ${state.train.epochs}.`);
  }
  return { state, pinned, workers, notices };
}
