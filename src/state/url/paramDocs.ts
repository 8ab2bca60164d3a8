/**
 * The list of every URL parameter with its meaning and its default (the default page's value), for
 * documentation and the tests: built from the parameter tables and codecs, so it cannot drift from what a link
 * actually reads and writes.
 */
import { BACKENDS } from '../../ml/backendNames.ts';
import { DEFAULT_STATE } from '../settings.ts';
import { encodePanels } from './panelsCodec.ts';
import {
  DATA_SCALARS,
  DATASET_NAMES,
  DEFAULT_WORKERS,
  HIDE_KEY_LIST,
  MAX_WORKERS,
  SCALAR_ROWS,
  URL_VERSION,
} from './params.ts';
import { num } from './valueCodecs.ts';

/** Every URL parameter: its name, meaning and default (the default page's value), for documentation. */
export const URL_PARAMS: readonly {
  readonly name: string;
  readonly meaning: string;
  readonly default: string;
}[] = [
  {
    name: 'v',
    meaning: `schema version (this code writes ${URL_VERSION})`,
    default: 'none: before the schema',
  },
  { name: 'preset', meaning: 'lecture preset the link starts from (presets.ts)', default: 'none' },
  { name: 'data', meaning: `dataset: ${DATASET_NAMES.join(', ')}`, default: DEFAULT_STATE.data.name },
  {
    name: 'd.<param>',
    meaning: 'a parameter of the dataset (d.noise, d.gap …); d.<dataset>.<param> for another dataset',
    default: DATASET_NAMES.map(
      (ds) =>
        `${ds}: ${Object.entries(DEFAULT_STATE.data.params[ds])
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')}`,
    ).join('; '),
  },
  ...[...DATA_SCALARS, ...SCALAR_ROWS].map((r) => ({
    name: r.key,
    meaning: r.meaning,
    default: r.codec.write(r.get(DEFAULT_STATE)),
  })),
  {
    name: 'panels',
    meaning: 'panels: method[:variant=v][:key=value…][:dropout=d] or nn[:r=…], comma-separated',
    default: encodePanels(DEFAULT_STATE.panels),
  },
  { name: 'backend', meaning: `pin the backend: ${BACKENDS.join(', ')}`, default: 'automatic' },
  { name: 'workers', meaning: `Web Workers: 1–${MAX_WORKERS} or panel`, default: String(DEFAULT_WORKERS) },
  { name: 'embed', meaning: 'embedded page (embed or embed=1)', default: 'off' },
  { name: 'present', meaning: 'presentation mode (present or present=1)', default: 'off' },
  { name: 'hide', meaning: `parts to hide: ${HIDE_KEY_LIST.join(', ')}`, default: 'none' },
  { name: 'edits', meaning: 'hand edits of the points, ~-separated (see encodeEdits)', default: 'none' },
];
