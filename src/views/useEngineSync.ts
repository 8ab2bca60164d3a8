/**
 * Keeps the engine in step with the page's settings: new data or shared training settings retrain every panel;
 * hand edits of the points keep every model and go on training; a new ε or norm only re-evaluates; one panel's
 * settings retrain that panel alone.
 */
import { useEffect, useRef } from 'react';
import type { EngineApi } from '../engine/protocol.ts';
import { engineConfig, needsReconfigure, sameJson, type DemoState } from '../state/settings.ts';

/** The robust-accuracy curve's radii: fixed, so moving the ε slider never recomputes it. */
export const CURVE_EPS = [0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3];

export function useEngineSync(
  engine: EngineApi | null,
  state: DemoState,
  playing: { readonly current: boolean },
  report: (message: string) => void,
): void {
  const applied = useRef<{ engine: EngineApi; state: DemoState } | null>(null);
  useEffect(() => {
    if (!engine) return;
    // A new engine (another backend) knows nothing yet: configure it from scratch.
    const prev = applied.current?.engine === engine ? applied.current.state : null;
    applied.current = { engine, state };
    // Calls go out at once, in order: the engine queues them behind its lock in the order they arrive, and a
    // configure() queued there cuts short the metrics of a re-evaluation before it (they would be stale).
    const run = (task: () => Promise<unknown>) => {
      task().catch((e: unknown) => report(e instanceof Error ? e.message : String(e)));
    };
    if (!prev || needsReconfigure(prev, state)) {
      run(async () => {
        await Promise.all([engine.setSpeed(state.speed), engine.configure(engineConfig(state))]);
        // pause() computes the metrics of a paused page; play() computes them as training goes.
        await (playing.current ? engine.play() : engine.pause());
      });
      return;
    }
    if (prev.data.edits !== state.data.edits)
      run(async () => {
        await engine.setEdits(state.data.edits);
        // A finished page trains again after an edit (the networks fine-tune on the edited points).
        if (playing.current) await engine.play();
      });
    if (!sameJson(prev.evaluation, state.evaluation)) run(() => engine.setEvaluation(state.evaluation));
    if (!sameJson(prev.field, state.field)) run(() => engine.setField(state.field));
    if (prev.speed !== state.speed) run(() => engine.setSpeed(state.speed));
    for (const p of prev.panels)
      if (!state.panels.some((q) => q.id === p.id)) run(() => engine.removePanel(p.id));
    for (const p of state.panels) {
      const old = prev.panels.find((q) => q.id === p.id);
      if (!old || !sameJson(old, p))
        run(async () => {
          await engine.upsertPanel(p);
          if (playing.current) await engine.play();
        });
    }
    // `report` is a stable dispatcher; `playing` is read through its ref when a retrain ends.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, state]);
}
