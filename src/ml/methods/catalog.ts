/**
 * Every training method's metadata, by id, in the order of METHODS (index.ts) and the paper's table — without
 * tfjs, for the main thread (method lists, settings, panel menus). The implementations are in index.ts.
 */
import type { MethodInfo } from './info.ts';
import { NATURAL_INFO } from './natural.info.ts';
import { GR_INFO } from './gr.info.ts';
import { LLR_INFO } from './llr.info.ts';
import { AT_INFO } from './at.info.ts';
import { TRADES_INFO } from './trades.info.ts';
import { RST_INFO } from './rst.info.ts';
import { CURE_INFO } from './cure.info.ts';
import { LIPSCHITZ_INFO } from './lipschitz.info.ts';

export const METHOD_INFO: Readonly<Record<string, MethodInfo>> = Object.fromEntries(
  [NATURAL_INFO, GR_INFO, LLR_INFO, AT_INFO, TRADES_INFO, RST_INFO, CURE_INFO, LIPSCHITZ_INFO].map((m) => [
    m.id,
    m,
  ]),
);
