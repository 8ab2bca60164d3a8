/**
 * Asks the engine for pictures: at most once per displayed frame, for every visible panel in one call, and
 * never so often that the pictures eat the training — after a reply that took `cost` ms the next waits at
 * least FRAME_COST_FACTOR × cost. While training, the grid resolution adapts so one request stays cheap; when
 * training stops it sharpens to the configured resolution.
 */
import type { EngineApi, FrameEvent } from '../engine/protocol.ts';

/** Training gets at least this many times the time the pictures took. */
export const FRAME_COST_FACTOR = 2;
/** The resolution a training page starts at (never above the configured one). */
export const TRAINING_START_RESOLUTION = 64;
export const MIN_RESOLUTION = 24;
/** A request's cost band while training: coarser above it, finer below it. */
const COST_HIGH_MS = 35;
const COST_LOW_MS = 12;

export interface PumpSettings {
  /** Panels on screen; the others get no pictures until they scroll back in. */
  readonly visibleIds: readonly string[];
  readonly running: boolean;
  /** The configured field resolution: used when paused, the ceiling while training. */
  readonly resolution: number;
  /**
   * Least time between two pictures while training (0: every displayed frame). Under prefers-reduced-motion the
   * page asks for a picture twice a second instead of animating.
   */
  readonly minIntervalMs?: number;
}

/** The adaptive resolution's next value after a request that took `costMs`. */
export function nextTrainingResolution(current: number, costMs: number, ceiling: number): number {
  const round = (r: number) => Math.max(MIN_RESOLUTION, Math.min(ceiling, 8 * Math.round(r / 8)));
  if (costMs > COST_HIGH_MS) return round(current * 0.75);
  if (costMs < COST_LOW_MS) return round(current * 1.25);
  return round(current);
}

export class FramePump {
  private settings: PumpSettings = { visibleIds: [], running: false, resolution: 128 };
  private trainingResolution = TRAINING_START_RESOLUTION;
  private inFlight = false;
  private dirty = false;
  private nextAt = 0;
  private raf: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private delivered = false;

  constructor(
    private readonly engine: Pick<EngineApi, 'frames'>,
    private readonly deliver: (frames: readonly FrameEvent[]) => void,
    private readonly onError: (message: string) => void,
  ) {}

  update(settings: PumpSettings): void {
    if (settings.resolution !== this.settings.resolution)
      this.trainingResolution = Math.min(TRAINING_START_RESOLUTION, settings.resolution);
    this.settings = settings;
    this.poke();
  }

  /** Something may have changed (an engine event, a setting): ask again at the next chance. */
  poke(): void {
    this.dirty = true;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    if (this.timer !== null) clearTimeout(this.timer);
  }

  /** The resolution the next request asks for. */
  get resolution(): number {
    const { running, resolution } = this.settings;
    // The first pictures of a page come fast and coarse: training is about to start.
    return running || !this.delivered ? Math.min(this.trainingResolution, resolution) : resolution;
  }

  private schedule(): void {
    if (this.stopped || this.inFlight || this.raf !== null || this.timer !== null || !this.dirty) return;
    const wait = this.nextAt - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    this.raf = requestAnimationFrame(() => {
      this.raf = null;
      void this.request();
    });
  }

  private async request(): Promise<void> {
    if (this.stopped) return;
    const { visibleIds, running } = this.settings;
    if (visibleIds.length === 0) {
      this.dirty = false;
      return;
    }
    this.dirty = false;
    this.inFlight = true;
    const resolution = this.resolution;
    try {
      const reply = await this.engine.frames({ panelIds: visibleIds, resolution });
      if (this.stopped) return;
      if (reply.frames.length > 0) {
        this.delivered = true;
        this.deliver(reply.frames);
      }
      this.nextAt =
        performance.now() +
        Math.max(FRAME_COST_FACTOR * reply.costMs, running ? (this.settings.minIntervalMs ?? 0) : 0);
      if (running && reply.frames.length > 0) {
        this.trainingResolution = nextTrainingResolution(resolution, reply.costMs, this.settings.resolution);
      }
      // While training there is always a newer step to show; otherwise wait for the next poke.
      if (this.settings.running || reply.frames.length > 0) this.dirty = true;
    } catch (e) {
      if (!this.stopped) this.onError(e instanceof Error ? e.message : String(e));
    } finally {
      this.inFlight = false;
    }
    this.schedule();
  }
}
