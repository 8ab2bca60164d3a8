/**
 * The page's state in its URL: one typed, versioned schema, so that a link reproduces the figure (data, seeds,
 * training settings, panels, hand edits, what is shown) and a link made today still opens in later versions.
 * Plain data: no tfjs, no DOM.
 *
 * ## The scheme (version 1)
 *
 * `?v=1&name=value&…`. Only values that differ from the page the link starts from are written, so the default
 * page's link is just `?v=1`. The page a link starts from is the default page, or — with `preset=KEY` — that
 * lecture preset applied to the default page (presets.ts); every other parameter then overrides it. Each row of
 * {@link URL_PARAMS} names one parameter, its meaning and its default; the parameter tables below (`*_ROWS`)
 * are typed over the fields of the state they carry, so a new field does not compile until it is given a row.
 *
 * Values are written readably: numbers as the shortest text that reads back to the same double, lists with
 * `,`, a panel as `method[:variant=v][:key=value…][:dropout=d]` (`nn[:r=0.05]` for the 1-NN construction), and
 * the hand edits of the points as `~`-separated edits (see {@link encodeEdits}): `mt12.-4213.7719` moves
 * training point 12 to (−0.4213, 0.7719), `as-1200.3400.1` adds a test point of class 1 at (−0.12, 0.34),
 * `dt5` deletes training point 5 (coordinates in units of 10⁻⁴, the precision edits keep).
 *
 * What a link cannot carry — an imported CSV dataset, imported model panels (their weights), or edits that would
 * make the link longer than {@link MAX_SEARCH_LENGTH} — {@link encodeState} leaves out and names in `omitted`.
 *
 * ## Reading a link never throws
 *
 * Every parameter is checked against its schema (zod; ranges from the dataset and hyperparameter tables). An
 * unknown parameter, a malformed or out-of-range value, an unknown method, variant or panel setting, or edits
 * that do not apply to the data each give one notice that says what was wrong and what is used instead, and
 * the value falls back to the starting page's. A link longer than {@link MAX_SEARCH_LENGTH} opens the default
 * page with a notice.
 *
 * ## Versions
 *
 * `v` is the schema version. A link without `v` predates the schema: the app then knew only `backend`,
 * `workers` and `epochs`, which mean the same in version 1, so such links read as version 1 (and so does a
 * hand-written `?preset=theorem`). {@link MIGRATIONS}[k] rewrites the parameters of a version-k link into
 * version k + 1; a future version 2 adds `MIGRATIONS[1]`. A link from a newer version than this code is read
 * as far as it is understood, with a notice.
 */
import { z } from 'zod';
import { BACKENDS, type BackendName } from '../ml/backendNames.ts';
import { DATASETS, type DatasetName } from '../core/datasets/index.ts';
import { IMPORTED_METHOD } from '../engine/protocol.ts';
import { DEFAULT_STATE, type DemoState } from './settings.ts';
import { PRESETS } from './presets.ts';
import { decodeEdits, encodeEdits, fitEdits, onGrid, safeBox, sameEdits } from './url/editsCodec.ts';
import { MIGRATIONS, type ParamMap } from './url/migrations.ts';
import { decodePanels, encodePanels } from './url/panelsCodec.ts';
import {
  DATA_SCALARS,
  DATASET_NAMES,
  DEFAULT_UI,
  DEFAULT_WORKERS,
  HIDE_KEY_LIST,
  MAX_SEARCH_LENGTH,
  MAX_WORKERS,
  SCALAR_ROWS,
  URL_VERSION,
  type LaunchFlags,
  type UiFlags,
  type WorkerSetting,
} from './url/params.ts';
import { stateProblems, uiProblems } from './url/stateSchema.ts';
import { checked, FLAG, INT_RE, listCodec, num, paramSchema, short } from './url/valueCodecs.ts';

// The public names of the URL scheme, from the modules under url/ that hold them.
export { DEMO_STATE_SCHEMA, stateProblems, uiProblems } from './url/stateSchema.ts';
export { decodeEdits, encodeEdits } from './url/editsCodec.ts';
export { encodePanels } from './url/panelsCodec.ts';
export { MIGRATIONS, type ParamMap } from './url/migrations.ts';
export { URL_PARAMS } from './url/paramDocs.ts';
export {
  DEFAULT_UI,
  DEFAULT_WORKERS,
  DROPOUT_RANGE,
  HIDE_KEYS,
  MAX_HIDDEN_LAYERS,
  MAX_PANELS,
  MAX_SEARCH_LENGTH,
  MAX_WIDTH,
  MAX_WORKERS,
  NN_R_RANGE,
  STATE_IN_URL,
  URL_VERSION,
  type HideKey,
  type LaunchFlags,
  type UiFlags,
  type WorkerSetting,
} from './url/params.ts';

export interface Encoded {
  /** The query string, starting `?v=1`. */
  readonly search: string;
  /** What the link cannot carry, in words for the Share dialog (empty when it carries everything). */
  readonly omitted: readonly string[];
}

export interface Decoded extends LaunchFlags {
  readonly state: DemoState;
  readonly ui: UiFlags;
  /** One sentence per rejected parameter: what was wrong and what is used instead. */
  readonly notices: readonly string[];
}

// ─── encoding ────────────────────────────────────────────────────────────────────────────────────────────────

/** Characters a query value keeps as they are (readable links); others are percent-encoded. */
const SAFE_VALUE = /[^A-Za-z0-9\-._~,:=!*()@/]/g;

function escapeValue(v: string): string {
  return v.replace(SAFE_VALUE, (c) => encodeURIComponent(c));
}

function presetBase(key: string | null): { state: DemoState; ui: UiFlags } {
  const preset = key === null ? undefined : PRESETS.find((p) => p.key === key);
  if (!preset) return { state: DEFAULT_STATE, ui: DEFAULT_UI };
  return {
    state: preset.apply(DEFAULT_STATE),
    ui: { ...DEFAULT_UI, ...preset.ui, preset: preset.key },
  };
}

/**
 * The link of `state` (with the page's UI flags and launch settings): the query string, writing only what differs
 * from the default page — or, when `ui.preset` names a lecture preset, from that preset's page, which the link
 * then names. What the link cannot carry is left out and listed in `omitted`.
 */
export function encodeState(state: DemoState, ui: UiFlags, launch: LaunchFlags): Encoded {
  const omitted: string[] = [];
  const base = presetBase(ui.preset);
  let s = state;
  if (s.data.name === 'csv') {
    const name = s.data.csv?.name ?? 'CSV';
    const edits = s.data.edits.length;
    const fallback = base.state.data.name === 'csv' ? 'moons' : base.state.data.name;
    omitted.push(
      `the imported data "${name}"${edits > 0 ? ` and its ${edits} hand edits` : ''}: a link carries only generated data, so it opens with the ${fallback} dataset`,
    );
    s = { ...s, data: { ...s.data, name: fallback, edits: [] } };
  }
  const imported = s.panels.filter((p) => p.method === IMPORTED_METHOD);
  for (const p of imported)
    omitted.push(
      `the imported model${p.imported ? ` "${p.imported.fileName}"` : ''}: a link cannot carry a model's weights`,
    );
  if (imported.length > 0) s = { ...s, panels: s.panels.filter((p) => p.method !== IMPORTED_METHOD) };

  // The box is needed only for points on a box edge off the 10⁻⁴ grid (see coord).
  const offGrid = s.data.edits.some((e) => e.op !== 'delete' && (!onGrid(e.x) || !onGrid(e.y)));
  const box = offGrid ? safeBox(s.data) : null;
  const write = (withEdits: boolean): string => {
    const out: [string, string | null][] = [['v', String(URL_VERSION)]];
    const b = base.state;
    if (base.ui.preset !== null) out.push(['preset', base.ui.preset]);
    const name = s.data.name as DatasetName;
    if (name !== b.data.name) out.push(['data', name]);
    for (const ds of [name, ...DATASET_NAMES.filter((d) => d !== name)]) {
      for (const p of DATASETS[ds].params) {
        const v = s.data.params[ds]?.[p.name];
        const bv = b.data.params[ds]?.[p.name];
        if (v !== undefined && (bv === undefined || num(v) !== num(bv)))
          out.push([ds === name ? `d.${p.name}` : `d.${ds}.${p.name}`, num(v)]);
      }
    }
    for (const row of [...DATA_SCALARS, ...SCALAR_ROWS]) {
      const v = row.codec.write(row.get(s));
      if (v !== row.codec.write(row.get(b))) out.push([row.key, v]);
    }
    const panels = encodePanels(s.panels);
    if (s.panels.length !== b.panels.length || panels !== encodePanels(b.panels))
      out.push(['panels', panels]);
    if (launch.pinned !== null) out.push(['backend', launch.pinned]);
    if (launch.workers !== DEFAULT_WORKERS) out.push(['workers', String(launch.workers)]);
    for (const flag of ['embed', 'present'] as const)
      if (ui[flag] !== base.ui[flag]) out.push([flag, FLAG.write(ui[flag])]);
    if (ui.hide.join(',') !== base.ui.hide.join(',')) out.push(['hide', ui.hide.join(',')]);
    if (withEdits && !sameEdits(s.data.edits, b.data.edits))
      out.push(['edits', encodeEdits(s.data.edits, box)]);
    return (
      '?' +
      out
        .map(([k, v]) => (v === null || (v === '' && FLAG_KEYS.has(k)) ? k : `${k}=${escapeValue(v)}`))
        .join('&')
    );
  };
  let search = write(true);
  if (search.length > MAX_SEARCH_LENGTH) {
    const withEdits = search.length;
    search = write(false);
    omitted.push(
      `the ${s.data.edits.length} hand edits of the points: with them the link would be ${(withEdits / 1024).toFixed(1)} kB, over the ${MAX_SEARCH_LENGTH / 1024} kB a link may hold`,
    );
  }
  return { search, omitted };
}

const FLAG_KEYS = new Set(['embed', 'present']);

// ─── decoding ────────────────────────────────────────────────────────────────────────────────────────────────

function defaults(notices: string[]): Decoded {
  return {
    state: DEFAULT_STATE,
    ui: DEFAULT_UI,
    pinned: null,
    workers: DEFAULT_WORKERS,
    notices,
  };
}

/** The parameters of `search`, each once (the last of repeated ones, with a notice). */
function readParams(search: string, notices: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [k, v] of new URLSearchParams(search)) {
    if (out.has(k)) repeated.add(k);
    out.delete(k);
    out.set(k, v);
  }
  for (const k of repeated)
    notices.push(
      `This link gives "${short(k, 24)}" more than once; using the last (${short(out.get(k)!, 40)}).`,
    );
  return out;
}

/**
 * The page a link describes: its state, UI flags, launch settings and one notice per rejected parameter. Never
 * throws; the state always passes {@link stateProblems}.
 */
export function decodeState(search: string): Decoded {
  const notices: string[] = [];
  if (search.length > MAX_SEARCH_LENGTH) {
    // Refused on its length alone, before any parsing: a 10 MB link costs nothing.
    const kB = search.length / 1024;
    const size = kB >= 1024 ? `${(kB / 1024).toFixed(1)} MB` : `${kB.toFixed(1)} kB`;
    notices.push(
      `This link is ${size} long, more than the ${MAX_SEARCH_LENGTH / 1024} kB a link may hold; opening the default page.`,
    );
    return defaults(notices);
  }
  try {
    const decoded = decodeParams(readParams(search, notices), notices);
    const problems = stateProblems(decoded.state);
    if (problems.length === 0 && uiProblems(decoded.ui).length === 0) return decoded;
    // Not reached by any link the tests found; a guard so that a bug here never breaks the page.
    notices.push(
      `This link's settings do not fit together (${problems.join('; ')}); opening the default page.`,
    );
  } catch (e) {
    notices.push(
      `This link could not be read (${e instanceof Error ? e.message : String(e)}); opening the default page.`,
    );
  }
  return defaults(notices);
}

function decodeParams(input: Map<string, string>, notices: string[]): Decoded {
  let params: ParamMap = input;
  // Version.
  let version = 0;
  const v = input.get('v');
  if (v !== undefined) {
    if (/^\d{1,6}$/.test(v)) version = Number(v);
    else
      notices.push(
        `This link sets v = ${short(v, 24)}, not a version number; reading it as version ${URL_VERSION}.`,
      );
    if (version > URL_VERSION)
      notices.push(
        `This link was made by a newer version of the page (v${version}); some settings may be ignored.`,
      );
  }
  for (let k = version; k < URL_VERSION; k++) params = (MIGRATIONS[k] ?? ((p: ParamMap) => p))(params);
  const rest = new Map(params);
  rest.delete('v');
  const take = (key: string): string | undefined => {
    const raw = rest.get(key);
    rest.delete(key);
    return raw;
  };
  const reject = (key: string, raw: string, problem: string, fallback: string) =>
    notices.push(`This link sets ${key} = ${short(raw, 40)}, ${problem}; using ${fallback}.`);

  // The starting page: a preset or the default.
  let start = presetBase(null);
  const presetKey = take('preset');
  if (presetKey !== undefined) {
    if (PRESETS.some((p) => p.key === presetKey)) start = presetBase(presetKey);
    else
      notices.push(
        `This link asks for the preset "${short(presetKey, 24)}"; there are ${PRESETS.map((p) => p.key).join(', ')}. Opening the default page.`,
      );
  }
  let state = start.state;

  // Data: the dataset, its parameters (of the current dataset as d.name, of others as d.dataset.name), size, seed.
  const dataRaw = take('data');
  if (dataRaw !== undefined) {
    if ((DATASET_NAMES as string[]).includes(dataRaw))
      state = { ...state, data: { ...state.data, name: dataRaw as DatasetName } };
    else
      reject(
        'data',
        dataRaw,
        dataRaw === 'csv'
          ? 'imported data, which a link cannot carry'
          : `not one of ${DATASET_NAMES.join(', ')}`,
        String(state.data.name),
      );
  }
  if (state.data.name === 'csv') state = { ...state, data: { ...state.data, name: 'moons' } };
  const current = state.data.name as DatasetName;
  const dataKeys = [...rest.keys()].filter((k) => k.startsWith('d.'));
  // The other datasets' parameters first, so that d.noise wins over d.moons.noise on moons.
  dataKeys.sort((a, b) => b.split('.').length - a.split('.').length);
  for (const key of dataKeys) {
    const raw = take(key)!;
    const parts = key.slice(2).split('.');
    const ds = (parts.length === 2 ? parts[0] : current) as DatasetName;
    const name = parts[parts.length - 1]!;
    const spec = parts.length <= 2 ? DATASETS[ds]?.params.find((p) => p.name === name) : undefined;
    if (!spec) {
      notices.push(
        parts.length === 2 && !DATASETS[ds]
          ? `This link sets ${short(key, 40)}, but there is no dataset "${short(parts[0]!, 24)}"; ignoring it.`
          : `This link sets ${short(key, 40)}, but the ${ds} dataset has no parameter "${short(name, 24)}" (it has ${DATASETS[ds]?.params.map((p) => p.name).join(', ') ?? 'none'}); ignoring it.`,
      );
      continue;
    }
    const fallback = state.data.params[ds][name]!;
    const value = checkedRow(key, raw, paramSchema(spec), spec.min, spec.max, fallback, notices);
    state = {
      ...state,
      data: {
        ...state.data,
        params: { ...state.data.params, [ds]: { ...state.data.params[ds], [name]: value } },
      },
    };
  }

  // Scalar rows.
  for (const row of [...DATA_SCALARS, ...SCALAR_ROWS]) {
    const raw = take(row.key);
    if (raw === undefined) continue;
    const r = row.codec.schema.safeParse(row.codec.read(raw));
    if (r.success) state = row.set(state, r.data);
    else reject(row.key, raw, row.codec.problem(raw), row.codec.write(row.get(state)));
  }

  // Panels.
  const panelsRaw = take('panels');
  if (panelsRaw !== undefined) {
    const panels = decodePanels(panelsRaw, notices);
    state = { ...state, panels, nextId: panels.length };
  }

  // Edits, checked against the data they edit.
  const editsRaw = take('edits');
  if (editsRaw !== undefined) {
    const edits = decodeEdits(state.data, editsRaw);
    if (typeof edits !== 'string') state = { ...state, data: { ...state.data, edits } };
    else {
      notices.push(
        `This link's hand edits of the points cannot be used (${edits}); showing the points as generated.`,
      );
      state = { ...state, data: { ...state.data, edits: [] } };
    }
  } else if (state.data.edits.length > 0 && typeof fitEdits(state.data, state.data.edits) === 'string') {
    notices.push(`The preset's hand edits do not fit this link's data; showing the points as generated.`);
    state = { ...state, data: { ...state.data, edits: [] } };
  }

  // Launch settings (the wording of the links from before the schema).
  let pinned: BackendName | null = null;
  const backend = take('backend');
  if (backend !== undefined) {
    if ((BACKENDS as readonly string[]).includes(backend)) pinned = backend as BackendName;
    else
      notices.push(
        `This link asks for backend "${short(backend, 24)}"; use one of ${BACKENDS.join(', ')}. Choosing automatically.`,
      );
  }
  let workers: WorkerSetting = DEFAULT_WORKERS;
  const w = take('workers');
  if (w !== undefined) {
    const n = Number(w);
    if (w === 'panel') workers = 'panel';
    else if (INT_RE.test(w) && n >= 1 && n <= MAX_WORKERS) workers = n;
    else
      notices.push(
        `This link asks for workers = ${short(w, 24)}; use a number from 1 to ${MAX_WORKERS} or "panel". Using ${String(DEFAULT_WORKERS)}.`,
      );
  }

  // UI flags.
  let ui = start.ui;
  for (const flag of ['embed', 'present'] as const) {
    const raw = take(flag);
    if (raw === undefined) continue;
    const r = FLAG.schema.safeParse(FLAG.read(raw));
    if (r.success) ui = { ...ui, [flag]: r.data };
    else reject(flag, raw, FLAG.problem(raw), ui[flag] ? '1' : '0');
  }
  const hideRaw = take('hide');
  if (hideRaw !== undefined) {
    const codec = listCodec(HIDE_KEY_LIST);
    const r = codec.schema.safeParse(codec.read(hideRaw));
    if (r.success) ui = { ...ui, hide: r.data };
    else
      reject('hide', hideRaw, codec.problem(hideRaw), ui.hide.length ? ui.hide.join(',') : 'nothing hidden');
  }

  for (const key of rest.keys())
    notices.push(`This link has an unknown parameter "${short(key, 40)}"; ignoring it.`);
  return { state, ui, pinned, workers, notices };
}

function checkedRow(
  key: string,
  raw: string,
  schema: z.ZodType<number>,
  min: number,
  max: number,
  fallback: number,
  notices: string[],
): number {
  return checked(`This link sets ${short(key, 40)}`, raw, schema, fallback, min, max, notices);
}
