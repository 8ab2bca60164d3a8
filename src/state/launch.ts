/**
 * Launch parameters read from the page's URL: `backend=` pins the tfjs backend (tests, comparisons) and
 * `epochs=` sets the training length. A bad value is ignored with a notice, never an error.
 */
import { BACKENDS, type BackendName } from '../ml/backend.ts';
import { DEFAULT_STATE, type DemoState } from './settings.ts';

export interface Launch {
  readonly state: DemoState;
  readonly pinned: BackendName | null;
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
  const epochs = q.get('epochs');
  if (epochs !== null) {
    const n = Number(epochs);
    if (Number.isInteger(n) && n >= 1 && n <= 2000)
      state = { ...state, train: { ...state.train, epochs: n } };
    else notices.push(`This link sets epochs = ${epochs}, outside 1–2000; using ${state.train.epochs}.`);
  }
  return { state, pinned, notices };
}
