/**
 * Every training method, by id, in the order the paper's table lists them. Their metadata alone, without tfjs, is
 * METHOD_INFO (catalog.ts), in the same order.
 */
import type { TrainingMethod } from './types.ts';
import { natural } from './natural.ts';
import { gr } from './gr.ts';
import { llr } from './llr.ts';
import { at } from './at.ts';
import { trades } from './trades.ts';
import { rst } from './rst.ts';
import { cure } from './cure.ts';
import { lipschitz } from './lipschitz.ts';

export const METHODS: Readonly<Record<string, TrainingMethod>> = Object.fromEntries(
  [natural, gr, llr, at, trades, rst, cure, lipschitz].map((m) => [m.id, m]),
);
