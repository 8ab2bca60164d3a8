/**
 * The sizes the playground accepts, in one place for every layer: the engine enforces them on every call (a
 * tampered link or a script talking to the worker cannot get past them), the URL decoder, the file readers and
 * the controls read the same numbers, and the messages quote them. They keep a browser tab responsive on a
 * 2-core laptop: each is a few times what a 2D teaching example needs.
 */
export const LIMITS = {
  /** Training points, all classes together (generated, uploaded or after hand edits). */
  trainPoints: 10_000,
  /** Test points, all classes together. */
  testPoints: 10_000,
  /** Classes of a dataset or logits of a model. */
  classes: 10,
  /** Hidden layers of a network. */
  hiddenLayers: 4,
  /** Units of one hidden layer. */
  width: 256,
  /** Heatmap cells per side. */
  resolution: 256,
  /** Panels on one page. */
  panels: 24,
  epochs: 2000,
  batchSize: 5000,
  /** Largest learning rate (a larger one only diverges). */
  lr: 10,
  /**
   * Largest magnitude of a coordinate read from a file. The engine trains in float32 (max 3.4e38); squaring and
   * summing coordinates near that overflows, and data this far from 0 wants rescaling anyway.
   */
  coordinate: 1e6,
  /** Bytes of one file the app opens (a CSV of the largest dataset is about 0.6 MB; a 4×256 model about 5 MB). */
  fileBytes: 16 * 1024 * 1024,
} as const;

/** "10,000" — the limits as people read them. */
export const limitText = (n: number): string => n.toLocaleString('en-US');
