/**
 * Several engines behind one EngineApi: each part (a worker) owns some of the panels, and the pool fans calls
 * out and merges the parts' events into one stream. Every part builds the same data and initial weights from
 * the same settings, and a panel's training depends only on its own seed, so the numbers do not depend on how
 * panels are spread. With one part the pool only forwards.
 *
 * Hand edits go to every part (each holds the points; the 1-NN panels and the trainers of its own panels follow
 * them). The parts number data versions by call, so part 0's dataset event, once per change, names the version
 * that every part's metrics carry.
 */
import type { PointEdit } from '../core/datasets/edits.ts';
import type {
  EngineApi,
  EngineConfig,
  EngineEvent,
  EngineMemory,
  EvalSettings,
  FieldSettings,
  FrameRequest,
  FramesReply,
  PanelInfo,
  PanelSpec,
  PathsReply,
  PointInfo,
  Speed,
} from './protocol.ts';

export class EnginePool implements EngineApi {
  private parts: EngineApi[] = [];
  /** Panel id → index of the part that owns it. */
  private readonly owner = new Map<string, number>();
  /** Panel ids in page order. */
  private order: string[] = [];
  private readonly panelsOf = new Map<number, readonly PanelInfo[]>();
  private readonly runningOf = new Map<number, boolean>();
  private running = false;
  /** A general error (no panel) → the parts that reported it since it was last passed on. */
  private readonly generalErrors = new Map<string, Set<number>>();

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  /** The parts, once started; events that arrive earlier are already routed through `receive`. */
  attach(parts: readonly EngineApi[]): void {
    if (parts.length === 0) throw new Error('An engine pool needs at least one engine.');
    this.parts = [...parts];
  }

  get size(): number {
    return this.parts.length;
  }

  /** An event from part `k`. */
  receive(k: number, event: EngineEvent): void {
    switch (event.type) {
      // Every part holds the same backend choice and the same data: part 0 speaks for all.
      case 'backend':
      case 'dataset':
        if (k === 0) this.emit(event);
        return;
      case 'panels': {
        this.panelsOf.set(k, event.panels);
        const all = new Map([...this.panelsOf.values()].flat().map((p) => [p.id, p]));
        const panels = this.order.flatMap((id) => all.get(id) ?? []);
        this.emit({ type: 'panels', panels });
        return;
      }
      case 'running': {
        this.runningOf.set(k, event.running);
        const running = [...this.runningOf.values()].some(Boolean);
        // "Not running" only once every part has stopped, so the steps then shown are final.
        if (running !== this.running) {
          this.running = running;
          this.emit({ type: 'running', running });
        }
        return;
      }
      case 'error': {
        if (event.panelId !== null || this.parts.length <= 1) {
          this.emit(event);
          return;
        }
        // Every part checks the same settings and edits: one message for all, not one per part. A part
        // reporting the same message again (a second call) starts a new round.
        const seen = this.generalErrors.get(event.message);
        if (seen && !seen.has(k)) {
          seen.add(k);
          if (seen.size >= this.parts.length) this.generalErrors.delete(event.message);
          return;
        }
        this.generalErrors.set(event.message, new Set([k]));
        this.emit(event);
        return;
      }
      default:
        this.emit(event);
    }
  }

  configure(config: EngineConfig): Promise<void> {
    this.owner.clear();
    this.order = config.panels.map((p) => p.id);
    config.panels.forEach((p, i) => this.owner.set(p.id, i % this.parts.length));
    this.panelsOf.clear();
    return this.all((part, k) =>
      part.configure({ ...config, panels: config.panels.filter((p) => this.owner.get(p.id) === k) }),
    );
  }

  setEdits(edits: readonly PointEdit[]): Promise<void> {
    return this.all((part) => part.setEdits(edits));
  }

  setEvaluation(evaluation: EvalSettings): Promise<void> {
    return this.all((part) => part.setEvaluation(evaluation));
  }

  setField(field: FieldSettings): Promise<void> {
    return this.all((part) => part.setField(field));
  }

  async frames(request: FrameRequest): Promise<FramesReply> {
    const replies = await Promise.all(
      this.parts.map((part, k) => {
        const panelIds = request.panelIds.filter((id) => this.owner.get(id) === k);
        return panelIds.length > 0 ? part.frames({ ...request, panelIds }) : Promise.resolve(null);
      }),
    );
    const present = replies.filter((r): r is FramesReply => r !== null);
    return {
      frames: present.flatMap((r) => r.frames),
      costMs: Math.max(0, ...present.map((r) => r.costMs)),
    };
  }

  upsertPanel(panel: PanelSpec): Promise<void> {
    let k = this.owner.get(panel.id);
    if (k === undefined) {
      const load = this.parts.map((_, i) => [...this.owner.values()].filter((o) => o === i).length);
      k = load.indexOf(Math.min(...load));
      this.owner.set(panel.id, k);
      this.order.push(panel.id);
    }
    return this.parts[k]!.upsertPanel(panel);
  }

  async removePanel(id: string): Promise<void> {
    const k = this.owner.get(id);
    if (k === undefined) return;
    this.owner.delete(id);
    this.order = this.order.filter((o) => o !== id);
    await this.parts[k]!.removePanel(id);
  }

  play(): Promise<void> {
    return this.all((part) => part.play());
  }

  pause(): Promise<void> {
    return this.all((part) => part.pause());
  }

  step(): Promise<void> {
    return this.all((part) => part.step());
  }

  reset(): Promise<void> {
    return this.all((part) => part.reset());
  }

  setSpeed(speed: Speed): Promise<void> {
    return this.all((part) => part.setSpeed(speed));
  }

  pointInfo(panelId: string, split: 'train' | 'test', index: number): Promise<PointInfo | null> {
    return this.ownerOf(panelId)?.pointInfo(panelId, split, index) ?? Promise.resolve(null);
  }

  paths(panelId: string): Promise<PathsReply | null> {
    return this.ownerOf(panelId)?.paths(panelId) ?? Promise.resolve(null);
  }

  requestCurves(eps: readonly number[]): Promise<void> {
    return this.all((part) => part.requestCurves(eps));
  }

  recover(panelId: string): Promise<void> {
    return this.ownerOf(panelId)?.recover(panelId) ?? Promise.resolve();
  }

  exportModel(panelId: string): Promise<string | null> {
    return this.ownerOf(panelId)?.exportModel(panelId) ?? Promise.resolve(null);
  }

  /** The parts' tensors and bytes summed (each worker has its own tfjs); the backend is part 0's. */
  async memory(): Promise<EngineMemory> {
    const parts = await Promise.all(this.parts.map((part) => part.memory()));
    const sum = (key: 'numTensors' | 'numBytes' | 'numDataBuffers') =>
      parts.reduce((total, m) => total + m[key], 0);
    return {
      backend: parts[0]?.backend ?? '',
      numTensors: sum('numTensors'),
      numBytes: sum('numBytes'),
      numDataBuffers: sum('numDataBuffers'),
    };
  }

  private ownerOf(panelId: string): EngineApi | null {
    const k = this.owner.get(panelId);
    return k === undefined ? null : this.parts[k]!;
  }

  private async all(call: (part: EngineApi, k: number) => Promise<void>): Promise<void> {
    await Promise.all(this.parts.map((part, k) => call(part, k)));
  }
}
