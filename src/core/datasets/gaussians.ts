/**
 * Isotropic Gaussian blobs on a circle: the multi-class dataset. Drawn as sklearn's `make_blobs` draws with
 * fixed centres (per-blob `normal(loc=centre, scale=noise)` row-major, then a shuffle).
 */
import type { Rng } from '../rng.ts';
import type { LabelledPoints } from '../types.ts';
import { numpyShuffledIndices } from './numpyCompat.ts';

/** Centre of blob `c` of `k`: angle `2πc/k` on the circle of the given radius, raw units. */
export function blobCentre(c: number, k: number, radius: number): [number, number] {
  const t = (2 * Math.PI * c) / k;
  return [radius * Math.cos(t), radius * Math.sin(t)];
}

/**
 * `k` blobs, one class each; blob `c` has `⌊n/k⌋` points, plus one for the first `n mod k` blobs
 * (as `make_blobs` splits them), centred at {@link blobCentre} with standard deviation `noise` per coordinate.
 *
 * @param noise standard deviation of each blob, raw units
 * @param k number of blobs (classes), at least 2
 * @param radius radius of the circle the centres lie on, raw units
 * @returns raw points `[n, 2]`, shuffled
 */
export function makeGaussians(n: number, noise: number, rng: Rng, k = 3, radius = 1): LabelledPoints {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`makeGaussians needs a whole number of points, got ${n}.`);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`makeGaussians needs k ≥ 2 whole blobs, got ${k}.`);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    const [cx, cy] = blobCentre(c, k, radius);
    for (let j = 0; j < count; j++, i++) {
      x[2 * i] = cx + noise * rng.normal();
      x[2 * i + 1] = cy + noise * rng.normal();
      y[i] = c;
    }
  }
  const order = numpyShuffledIndices(n, rng);
  const xs = new Float64Array(2 * n);
  const ys = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const s = order[j]!;
    xs[2 * j] = x[2 * s]!;
    xs[2 * j + 1] = x[2 * s + 1]!;
    ys[j] = y[s]!;
  }
  return { x: xs, y: ys };
}
