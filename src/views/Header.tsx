/** The header's live parts: which backend trains, and the transport (play, pause, step, reset, speed). */
import type { BackendInfo, Speed } from '../engine/protocol.ts';
import { BACKENDS, type BackendName } from '../ml/backendNames.ts';

const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export function BackendBadge({
  backend,
  workers,
  choice,
  onChoose,
}: {
  backend: BackendInfo | null;
  workers: number;
  choice: BackendName | null;
  onChoose: (choice: BackendName | null) => void;
}) {
  if (!backend) {
    return (
      <div className="backend" data-testid="backend" data-backend="">
        starting the engine…
      </div>
    );
  }
  const refused = backend.refused.map((r) => `${BACKEND_LABELS[r.name] ?? r.name}: ${r.reason}`);
  return (
    <details className="backend" data-testid="backend" data-backend={backend.name}>
      <summary>
        Backend: <strong>{BACKEND_LABELS[backend.name] ?? backend.name}</strong>
        {!backend.worker ? ' · on the main thread' : workers > 1 ? ` · ${workers} workers` : ' · in a worker'}
      </summary>
      <div className="backend-body">
        <label className="backend-choice">
          Run on{' '}
          <select
            data-testid="backend-select"
            value={choice ?? 'auto'}
            onChange={(e) => onChoose(e.target.value === 'auto' ? null : (e.target.value as BackendName))}
          >
            <option value="auto">the fastest available (automatic)</option>
            {BACKENDS.map((b) => (
              <option key={b} value={b}>
                {BACKEND_LABELS[b]} only
              </option>
            ))}
          </select>
        </label>
        <p className="muted">Changing it restarts training with the same settings.</p>
        {choice ? (
          <p>Chosen by you{refused.length > 0 ? '; it could not start, so another runs:' : '.'}</p>
        ) : null}
        {refused.length > 0 ? (
          <>
            <p>Faster backends not used:</p>
            <ul>
              {refused.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>The fastest backend available was chosen.</p>
        )}
        {backend.detail && <p className="muted">{backend.detail}</p>}
        {!backend.worker && (
          <p className="warn">
            The Web Worker could not start, so training shares the page’s thread and may stutter.
          </p>
        )}
      </div>
    </details>
  );
}

const SPEEDS: readonly { id: Speed; label: string }[] = [
  { id: 'slow', label: 'slow (1 step at a time)' },
  { id: 'normal', label: 'normal' },
  { id: 'fast', label: 'fast' },
  { id: 'max', label: 'as fast as possible' },
];

export function Transport(props: {
  status: string;
  playing: boolean;
  wantPlay: boolean;
  speed: Speed;
  onToggle: () => void;
  onStep: () => void;
  onReset: () => void;
  onSpeed: (s: Speed) => void;
}) {
  const finished = props.status === 'done';
  return (
    <div className="transport" role="group" aria-label="Training">
      <button
        type="button"
        data-testid="play"
        aria-pressed={props.wantPlay && !finished}
        disabled={finished}
        onClick={props.onToggle}
        title={
          finished
            ? 'Every panel has trained all its epochs: reset, or change a setting, to train again'
            : props.wantPlay
              ? 'Pause training (space)'
              : 'Train (space)'
        }
      >
        {props.wantPlay && !finished ? '❚❚ pause' : '▶ play'}
      </button>
      <button
        type="button"
        data-testid="step"
        onClick={props.onStep}
        title="One training step of every panel"
      >
        step
      </button>
      <button
        type="button"
        data-testid="reset"
        onClick={props.onReset}
        title="Every panel back to the initial weights"
      >
        reset
      </button>
      <label className="speed">
        speed
        <select value={props.speed} onChange={(e) => props.onSpeed(e.target.value as Speed)}>
          {SPEEDS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <span className={`status status-${props.status}`} aria-live="polite">
        {props.status === 'done' ? 'trained' : props.status}
      </span>
    </div>
  );
}
