/**
 * The codec of the panels (`panels=`): `encodePanels` writes each panel as
 * `method[:variant=v][:key=value…][:dropout=d]` (`nn[:r=…]` for the 1-NN construction), leaving out settings at
 * their defaults; `decodePanels` reads them back, numbered p0, p1, …, giving a notice and a safe choice for every
 * unknown method, variant or setting and every value out of range. Also the per-method helpers the state schema
 * shares (`hyperSchema`, `firstVariant`).
 */
import { METHOD_INFO } from '../../ml/methods/catalog.ts';
import { defaultFor, type HyperSpec, type MethodInfo } from '../../ml/methods/info.ts';
import { IMPORTED_METHOD, type PanelSpec } from '../../engine/protocol.ts';
import { NN_METHOD } from '../settings.ts';
import { DROPOUT_RANGE, MAX_PANELS, METHOD_IDS, NN_R_RANGE } from './params.ts';
import { checked, intSchema, num, NUMBER_RE, numberSchema, range, readNumber, short } from './valueCodecs.ts';

/** Whether a hyperparameter takes whole numbers only (attack steps), as the panel's slider does. */
function integerHyper(h: HyperSpec): boolean {
  return h.key === 'steps';
}

/** The schema of a hyperparameter's value, from its range. */
export function hyperSchema(h: HyperSpec) {
  return integerHyper(h) ? intSchema(h.min, h.max) : numberSchema(h.min, h.max);
}

/** The variant a method's panel has by default ('' for a method without variants). */
export function firstVariant(m: MethodInfo): string {
  return m.variants?.[0]?.id ?? '';
}

/** One panel as `method[:variant=v][:key=value…][:dropout=d]`; settings at their defaults are left out. */
function encodePanel(p: PanelSpec): string {
  const parts = [p.method];
  if (p.method === NN_METHOD) {
    if (p.r !== null) parts.push(`r=${num(p.r)}`);
    return parts.join(':');
  }
  const m = METHOD_INFO[p.method];
  if (!m) return parts.join(':');
  if (p.variant !== firstVariant(m)) parts.push(`variant=${p.variant}`);
  for (const h of m.hyper) {
    const v = p.hyper[h.key];
    if (v !== undefined && num(v) !== num(defaultFor(h, p.variant))) parts.push(`${h.key}=${num(v)}`);
  }
  if (num(p.dropout) !== '0') parts.push(`dropout=${num(p.dropout)}`);
  return parts.join(':');
}

/** The panels as a `panels=` value: each as {@link encodePanel}, comma-separated. */
export function encodePanels(panels: readonly PanelSpec[]): string {
  return panels.map(encodePanel).join(',');
}

/** The panels of a `panels=` value, numbered p0, p1, …; every problem gives a notice and a safe choice. */
export function decodePanels(raw: string, notices: string[]): PanelSpec[] {
  if (raw === '') return [];
  let entries = raw.split(',');
  if (entries.length > MAX_PANELS) {
    notices.push(
      `This link has ${entries.length} panels, more than ${MAX_PANELS}; keeping the first ${MAX_PANELS}.`,
    );
    entries = entries.slice(0, MAX_PANELS);
  }
  const out: PanelSpec[] = [];
  for (const [i, entry] of entries.entries()) {
    const who = `This link's panel ${i + 1} ("${short(entry, 40)}")`;
    const [method = '', ...rest] = entry.split(':');
    if (method === IMPORTED_METHOD) {
      notices.push(`${who} is an imported model, which a link cannot carry; leaving it out.`);
      continue;
    }
    const info = METHOD_INFO[method];
    if (!info && method !== NN_METHOD) {
      notices.push(`${who} names no known method; use one of ${METHOD_IDS.join(', ')}. Leaving it out.`);
      continue;
    }
    const settings = new Map<string, string>();
    for (const kv of rest) {
      const eq = kv.indexOf('=');
      if (eq <= 0) notices.push(`${who} has "${short(kv, 24)}", not key=value; ignoring it.`);
      else settings.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    const id = `p${out.length}`;
    if (!info) {
      out.push({
        id,
        method: NN_METHOD,
        variant: '',
        hyper: {},
        dropout: 0,
        r: decodeR(who, settings, notices),
      });
      continue;
    }
    const known = [...(info.variants ? ['variant'] : []), ...info.hyper.map((h) => h.key), 'dropout'];
    for (const key of settings.keys()) {
      if (!known.includes(key))
        notices.push(
          `${who} sets "${short(key, 24)}", which ${info.name} does not have (its settings: ${known.join(', ')}); ignoring it.`,
        );
    }
    let variant = firstVariant(info);
    const v = settings.get('variant');
    if (v !== undefined && info.variants) {
      if (info.variants.some((x) => x.id === v)) variant = v;
      else
        notices.push(
          `${who} asks for variant "${short(v, 24)}" of ${info.name}; use one of ${info.variants.map((x) => x.id).join(', ')}. Using ${variant}.`,
        );
    }
    const hyper: Record<string, number> = {};
    for (const h of info.hyper) {
      const fallback = defaultFor(h, variant);
      const raw = settings.get(h.key);
      hyper[h.key] =
        raw === undefined
          ? fallback
          : checked(`${who} sets ${h.key}`, raw, hyperSchema(h), fallback, h.min, h.max, notices);
    }
    const d = settings.get('dropout');
    const dropout =
      d === undefined
        ? 0
        : checked(
            `${who} sets dropout`,
            d,
            numberSchema(DROPOUT_RANGE.min, DROPOUT_RANGE.max),
            0,
            DROPOUT_RANGE.min,
            DROPOUT_RANGE.max,
            notices,
          );
    out.push({ id, method: info.id, variant, hyper, dropout, r: null });
  }
  return out;
}

function decodeR(who: string, settings: Map<string, string>, notices: string[]): number | null {
  for (const key of settings.keys())
    if (key !== 'r')
      notices.push(
        `${who} sets "${short(key, 24)}", which the 1-NN construction does not have (only r); ignoring it.`,
      );
  const raw = settings.get('r');
  if (raw === undefined) return null;
  const r = numberSchema(NN_R_RANGE.min, NN_R_RANGE.max).safeParse(readNumber(raw));
  if (r.success) return r.data;
  notices.push(
    `${who} sets r = ${short(raw, 24)}, ${NUMBER_RE.test(raw) ? `outside ${range(NN_R_RANGE.min, NN_R_RANGE.max)}` : 'not a number'}; using half the separation.`,
  );
  return null;
}
