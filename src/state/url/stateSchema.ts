/**
 * The validity schema of a DemoState that a link carries exactly (`DEMO_STATE_SCHEMA`: generated data whose
 * edits apply, known methods with their own variants and hyperparameters in range, no imported panels, distinct
 * panel ids below `nextId`), built from the same parameter tables and value codecs the link is read with, and its
 * verdicts in words: `stateProblems` for a state, `uiProblems` for the UI flags.
 */
import { z } from 'zod';
import { METHOD_INFO } from '../../ml/methods/catalog.ts';
import { DATASETS, type DatasetName } from '../../core/datasets/index.ts';
import { MAX_EDITS } from '../../core/datasets/edits.ts';
import { NN_METHOD, type DataSettings, type DemoState } from '../settings.ts';
import { PRESETS } from '../presets.ts';
import { fitEdits } from './editsCodec.ts';
import { firstVariant, hyperSchema } from './panelsCodec.ts';
import {
  DATA_ROWS,
  DATASET_NAMES,
  DROPOUT_RANGE,
  EVAL_ROWS,
  FIELD_ROWS,
  HIDE_KEY_LIST,
  MAX_PANELS,
  METHOD_IDS,
  NN_R_RANGE,
  SPEED_ROW,
  TRAIN_ROWS,
  VIEW_SCHEMA,
  type RowSpec,
  type RowsOf,
  type UiFlags,
} from './params.ts';
import { listCodec, numberSchema, paramSchema, range } from './valueCodecs.ts';

const EDIT_SCHEMA = z.union([
  z.strictObject({
    op: z.literal('move'),
    split: z.enum(['train', 'test']),
    index: z.number().int().min(0),
    x: z.number(),
    y: z.number(),
  }),
  z.strictObject({
    op: z.literal('add'),
    split: z.enum(['train', 'test']),
    x: z.number(),
    y: z.number(),
    label: z.number().int().min(0),
  }),
  z.strictObject({
    op: z.literal('delete'),
    split: z.enum(['train', 'test']),
    index: z.number().int().min(0),
  }),
]);

const PANEL_SCHEMA = z
  .strictObject({
    id: z.string(),
    method: z.enum(METHOD_IDS as [string, ...string[]]),
    variant: z.string(),
    hyper: z.record(z.string(), z.number()),
    dropout: numberSchema(DROPOUT_RANGE.min, DROPOUT_RANGE.max),
    r: numberSchema(NN_R_RANGE.min, NN_R_RANGE.max).nullable(),
  })
  .superRefine((p, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (p.method === NN_METHOD) {
      if (p.variant !== '' || Object.keys(p.hyper).length > 0 || p.dropout !== 0)
        fail(`panel ${p.id}: the 1-NN construction takes no variant, hyperparameters or dropout`);
      return;
    }
    if (p.r !== null) fail(`panel ${p.id}: r is the 1-NN construction's alone`);
    const m = METHOD_INFO[p.method]!;
    if (p.variant !== firstVariant(m) && !m.variants?.some((v) => v.id === p.variant))
      fail(`panel ${p.id}: ${m.name} has no variant "${p.variant}"`);
    const keys = Object.keys(p.hyper);
    if (keys.length !== m.hyper.length || !m.hyper.every((h) => keys.includes(h.key)))
      fail(`panel ${p.id}: hyperparameters ${keys.join(', ')} are not ${m.name}'s`);
    for (const h of m.hyper) {
      const v = p.hyper[h.key];
      if (v !== undefined && !hyperSchema(h).safeParse(v).success)
        fail(`panel ${p.id}: ${h.key} = ${v} is outside ${range(h.min, h.max)}`);
    }
  });

function schemaOf<S>(rows: RowsOf<S>) {
  return z.strictObject(
    Object.fromEntries(Object.entries<RowSpec<unknown>>(rows).map(([f, r]) => [f, r.codec.schema])),
  );
}

/** The schema of a DemoState that a link carries exactly (generated data, no imported panels). */
export const DEMO_STATE_SCHEMA = z
  .strictObject({
    data: z.strictObject({
      name: z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]]),
      ...schemaOf(DATA_ROWS).shape,
      params: z.strictObject(
        Object.fromEntries(
          DATASET_NAMES.map((ds) => [
            ds,
            z.strictObject(Object.fromEntries(DATASETS[ds].params.map((p) => [p.name, paramSchema(p)]))),
          ]),
        ),
      ),
      csv: z.null(),
      edits: z.array(EDIT_SCHEMA).max(MAX_EDITS),
    }),
    train: schemaOf(TRAIN_ROWS),
    evaluation: schemaOf(EVAL_ROWS),
    field: schemaOf(FIELD_ROWS),
    view: VIEW_SCHEMA,
    speed: SPEED_ROW.codec.schema,
    panels: z.array(PANEL_SCHEMA).max(MAX_PANELS),
    nextId: z.number().int().min(0),
  })
  .superRefine((s, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    const ids = s.panels.map((p) => p.id);
    if (new Set(ids).size !== ids.length) fail('panel ids repeat');
    for (const id of ids) {
      const m = /^p(\d+)$/.exec(id);
      if (m && Number(m[1]) >= s.nextId) fail(`panel id ${id} is not below nextId ${s.nextId}`);
    }
    const why = fitEdits(s.data as unknown as DataSettings, s.data.edits);
    if (typeof why === 'string') fail(`the edits do not apply: ${why}`);
  });

/** Why `state` cannot be carried exactly by a link (empty when it can): the URL schema's verdict. */
export function stateProblems(state: DemoState): string[] {
  const r = DEMO_STATE_SCHEMA.safeParse(state);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'state'}: ${i.message}`);
}

/** Why `ui` is not a valid set of UI flags (empty when it is). */
export function uiProblems(ui: UiFlags): string[] {
  const out: string[] = [];
  if (!listCodec(HIDE_KEY_LIST).schema.safeParse(ui.hide).success) out.push('hide: not distinct part names');
  if (ui.preset !== null && !PRESETS.some((p) => p.key === ui.preset))
    out.push(`preset: no preset "${ui.preset}"`);
  return out;
}
