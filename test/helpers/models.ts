import { Mlp } from '../../src/ml/model.ts';

/**
 * An Mlp whose logits are exactly linear: hidden relu(x₁), relu(−x₁), relu(x₂), relu(−x₂), then
 * z = [0, w·x + b] (relu(t) − relu(−t) = t). Class 1 wins where w·x + b > 0; the boundary is at L∞ distance
 * |w·x + b|/‖w‖₁ and L2 distance |w·x + b|/‖w‖₂.
 */
export function linearModel(w: [number, number], b: number): Mlp {
  const spec = { inputDim: 2, hidden: [4], outputDim: 2, activation: 'relu', dropout: 0 } as const;
  return Mlp.fromPlain(spec, [
    {
      W: [
        [1, -1, 0, 0],
        [0, 0, 1, -1],
      ],
      b: [0, 0, 0, 0],
    },
    {
      W: [
        [0, w[0]],
        [0, -w[0]],
        [0, w[1]],
        [0, -w[1]],
      ],
      b: [0, b],
    },
  ]);
}
