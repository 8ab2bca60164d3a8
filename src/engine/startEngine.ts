/** A browser engine with its backend started: shared by the worker and the main-thread fallback. */
import { planBackends } from './browserBackends.ts';
import { PlaygroundEngine, type Emit } from './playground.ts';
import type { BackendName, BackendRefusal } from '../ml/backend.ts';

export async function createBrowserEngine(
  emit: Emit,
  pinned: BackendName | null,
  inWorker: boolean,
  excluded: readonly BackendRefusal[] = [],
): Promise<PlaygroundEngine> {
  const engine = new PlaygroundEngine(emit, inWorker);
  const plan = await planBackends(pinned, excluded);
  await engine.init(plan.order, plan.detail, plan.skipped);
  return engine;
}
