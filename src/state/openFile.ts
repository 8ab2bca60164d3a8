/**
 * What the user opened (dropped or picked): sniffed by content, not by extension, and turned into one plain result
 * the page can act on — a dataset, models, a runner's results folder, or the share link carried by an exported
 * figure (PNG, SVG) or metrics table (CSV). Every refusal says what the file is and what to open instead.
 * No DOM: the caller reads the bytes (views/export/download.ts `readFiles`).
 */
import { datasetFromCsv, DatasetError } from '../core/datasets/index.ts';
import { CsvError, DATASET_CSV_HEADER, parseDatasetCsv } from '../core/formats/datasetCsv.ts';
import {
  looksLikeMetricsCsv,
  METRICS_CSV_HEADER,
  MetricsCsvError,
  parseMetricsCsv,
} from '../core/formats/metricsCsv.ts';
import {
  classMismatch,
  jsonSizeProblem,
  MODEL_FORMAT,
  ModelJsonError,
  parseModelJson,
  type ModelJson,
} from '../core/formats/modelJson.ts';
import { PNG_LINK_KEY, PngError, PNG_SIGNATURE, readPngText } from '../core/formats/pngText.ts';
import { cut, quoted } from '../core/formats/quote.ts';
import { RESULTS_FORMAT } from '../core/formats/resultsJson.ts';
import { LIMITS, limitText } from '../core/limits.ts';
import { isResultsJson, readResultsFolder, ResultsFolderError, type ResultsFolder } from './resultsFolder.ts';
import { importedPoints, type ImportedPoints } from './settings.ts';

/** Files larger than this are refused before they are read ({@link LIMITS.fileBytes}). */
export const MAX_OPEN_BYTES = LIMITS.fileBytes;

/** The XML namespace of the link element an exported SVG figure carries in its `<metadata>`. */
export const FIGURE_LINK_NS = 'https://robust-playground.example/ns';

export interface OpenedFile {
  /** The file's name, with folder parts when a folder was picked ("runs/spiral/results.json"). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface OpenedModel {
  readonly fileName: string;
  readonly model: ModelJson;
}

export type Opened =
  | {
      readonly kind: 'dataset';
      readonly name: string;
      readonly points: ImportedPoints;
      readonly message: string;
    }
  | { readonly kind: 'model'; readonly models: readonly OpenedModel[]; readonly message: string }
  | { readonly kind: 'results'; readonly folder: ResultsFolder; readonly message: string }
  | {
      readonly kind: 'link';
      /** The link's query string, "?…" (or "" for a link with none): the page's state to restore. */
      readonly search: string;
      /** The whole link as stored. */
      readonly link: string;
      /** The file it came from. */
      readonly from: string;
      readonly message: string;
    }
  | { readonly kind: 'error'; readonly message: string };

const OPENABLE =
  'The app opens a dataset CSV (x1,x2,label,split), robust-mlp/1 model files, a runner results folder, and the ' +
  'PNG, SVG and metrics CSV files it exports.';

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const baseName = (name: string) => name.replace(/\\/g, '/').replace(/^.*\//, '');

/**
 * Why a file of `size` bytes is not opened, and what to do; said before any byte is read (the page checks
 * `File.size`), so a huge file costs nothing.
 */
export function tooLargeMessage(fileName: string, size: number): string {
  return (
    `${baseName(fileName)} is ${mb(size)}, over the ${MAX_OPEN_BYTES / (1024 * 1024)} MB the app opens; nothing was read. ` +
    `A dataset CSV of ${limitText(LIMITS.trainPoints)} training and ${limitText(LIMITS.testPoints)} test ` +
    'points is about 1 MB: sample your data down, or open a smaller model.'
  );
}

/**
 * Why opened models cannot be shown on data of `dataClasses` classes (the first model whose output count differs),
 * or null when they all fit. The page then adds none of them.
 */
export function modelsMismatch(models: readonly OpenedModel[], dataClasses: number): string | null {
  for (const m of models) {
    const classes = m.model.layers[m.model.layers.length - 1]?.b.length ?? 0;
    if (classes !== dataClasses) return `${m.fileName} was not added: ${classMismatch(classes, dataClasses)}`;
  }
  return null;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character data with its entity and character references resolved (unknown entities are kept). */
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/** `text` without its `<!-- … -->` comments (an unterminated one is kept, as text). Linear: one pass of indexOf. */
function stripComments(text: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('<!--', pos);
    const close = open < 0 ? -1 : text.indexOf('-->', open + 4);
    if (close < 0) return out + text.slice(pos);
    out += text.slice(pos, open);
    pos = close + 3;
  }
}

/** Character data with its CDATA sections taken as they are and the rest unescaped. Linear, like stripComments. */
function characterData(content: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = content.indexOf('<![CDATA[', pos);
    const close = open < 0 ? -1 : content.indexOf(']]>', open + 9);
    if (close < 0) return out + unescapeXml(content.slice(pos));
    out += unescapeXml(content.slice(pos, open)) + content.slice(open + 9, close);
    pos = close + 3;
  }
}

/**
 * The content of the first element named `name` whose start tag passes `accept`, or null. The search is linear:
 * once a start tag has no end tag after it, no later one has either.
 */
function firstElement(text: string, name: string, accept: (startTag: string) => boolean): string | null {
  const open = `<${name}`;
  const close = `</${name}`;
  for (let at = text.indexOf(open); at >= 0; at = text.indexOf(open, at + open.length)) {
    const next = text[at + open.length];
    if (next !== '>' && !(next !== undefined && /\s/.test(next))) continue;
    const tagEnd = text.indexOf('>', at);
    if (tagEnd < 0) return null;
    if (!accept(text.slice(at, tagEnd + 1))) {
      at = tagEnd - open.length;
      continue;
    }
    for (let end = text.indexOf(close, tagEnd); end >= 0; end = text.indexOf(close, end + close.length)) {
      if (/^\s*>/.test(text.slice(end + close.length, end + close.length + 64)))
        return text.slice(tagEnd + 1, end);
    }
    return null;
  }
  return null;
}

const DEFAULT_NS = /\bxmlns\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/**
 * The share link an exported SVG figure carries: the text of a `link` element in the {@link FIGURE_LINK_NS}
 * namespace (any prefix bound to it in the file, or a default-namespace declaration on the element itself),
 * entities and CDATA resolved, trimmed. Comments are skipped. No DOM needed, and no regular expression that could
 * backtrack over the whole file: a 16 MB file of unclosed comments or tags is read in one pass.
 *
 * @returns the link, or null when the file has none (or an empty one)
 */
export function readSvgLink(svgText: string): string | null {
  const text = stripComments(svgText);
  const found: (string | null)[] = [];
  const decl = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  // Each prefix costs a pass over the file; an exported figure binds one, so a few are plenty.
  const prefixes = new Set<string>();
  for (const m of text.matchAll(decl)) {
    if (unescapeXml(m[2] ?? m[3] ?? '') === FIGURE_LINK_NS) prefixes.add(m[1]!);
    if (prefixes.size === 4) break;
  }
  for (const p of prefixes) found.push(firstElement(text, `${p}:link`, () => true));
  found.push(
    firstElement(text, 'link', (tag) => {
      const m = DEFAULT_NS.exec(tag);
      return m !== null && (m[1] ?? m[2]) === FIGURE_LINK_NS;
    }),
  );
  for (const content of found) {
    const link = content === null ? '' : characterData(content).trim();
    if (link) return link;
  }
  return null;
}

/** The query string of a share link ("?eps=0.1&…"), relative links allowed; null when it is not a URL. */
export function linkSearch(link: string): string | null {
  try {
    return new URL(link, 'https://robust-playground.example/').search;
  } catch {
    return null;
  }
}

type Sniffed =
  | { readonly type: 'png' }
  | { readonly type: 'binary'; readonly what: string | null }
  | { readonly type: 'text'; readonly text: string };

const startsWith = (b: Uint8Array, sig: readonly number[]) =>
  b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** Formats users may plausibly drop by mistake, to name them in the refusal. */
const KNOWN_BINARY: readonly [readonly number[], string][] = [
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x52, 0x49, 0x46, 0x46], 'a RIFF file (WebP image or audio)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (unpack it first)'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive (unpack it first)'],
];

function sniff(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, PNG_SIGNATURE)) return { type: 'png' };
  for (const [sig, what] of KNOWN_BINARY) if (startsWith(bytes, sig)) return { type: 'binary', what };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { type: 'binary', what: null };
  }
  // Text files have no NUL and few control characters; UTF-16 text and most binaries fail here.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1a\x1c-\x1f]/.test(text.slice(0, 4096))) return { type: 'binary', what: null };
  return { type: 'text', text: text.replace(/^\uFEFF/, '') };
}

function isSvg(text: string): boolean {
  // An optional XML declaration, comments and a doctype, then the root element.
  const head = text
    .slice(0, 4096)
    .replace(/<\?xml[\s\S]*?\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/i, '')
    .trimStart();
  return /^<(?:[\w.-]+:)?svg[\s>]/.test(head);
}

const error = (message: string): Opened => ({ kind: 'error', message });

function linkResult(link: string, from: string, what: string): Opened {
  const search = linkSearch(link);
  if (search === null) {
    return error(
      `${from} carries a link that is not a web address (${quoted(link)}); export the figure or table again.`,
    );
  }
  return {
    kind: 'link',
    search,
    link,
    from,
    message: `Opened the setup of ${what} ${from}.`,
  };
}

function describeModel(m: ModelJson): string {
  const widths = [2, ...m.layers.map((l) => l.b.length)].join(' → ');
  return `${cut(m.method)}, ${widths}, ${m.activation}`;
}

/** One file on its own. Models come back as a one-model list. */
function classifyOne(file: OpenedFile): Opened {
  const name = baseName(file.name);
  if (file.bytes.length === 0) return error(`${name} is empty. ${OPENABLE}`);
  const s = sniff(file.bytes);
  if (s.type === 'png') {
    let texts: Record<string, string>;
    try {
      texts = readPngText(file.bytes);
    } catch (e) {
      if (e instanceof PngError) return error(`${name}: ${e.message}`);
      throw e;
    }
    const link = texts[PNG_LINK_KEY];
    if (!link) {
      return error(
        `${name} is a PNG without a Robust Playground link. Open a figure exported by the app (Export → PNG); ` +
          'screenshots carry no setup.',
      );
    }
    return linkResult(link, name, 'figure');
  }
  if (s.type === 'binary') {
    if (s.what) return error(`${name} is ${s.what}, which the app cannot open. ${OPENABLE}`);
    return error(
      `${name} is not a text file (it holds binary data); a dataset CSV is text with the header ` +
        `${DATASET_CSV_HEADER.join(',')}, and a model is ${MODEL_FORMAT} JSON text. Open one of those, or a ` +
        'figure or table the app exported.',
    );
  }
  const text = s.text;
  const trimmed = text.trimStart();
  if (trimmed === '') return error(`${name} holds only blank space. ${OPENABLE}`);
  if (/^<(!doctype\s+html|html|head|body)[\s>]/i.test(trimmed)) {
    return error(
      `${name} is a web page (HTML), which the app cannot open. Save the data as a dataset CSV ` +
        `(${DATASET_CSV_HEADER.join(',')}) and open that.`,
    );
  }
  if (isSvg(trimmed)) {
    const link = readSvgLink(text);
    if (link === null) {
      return error(
        `${name} is an SVG without a Robust Playground link. Open a figure exported by the app (Export → SVG).`,
      );
    }
    return linkResult(link, name, 'figure');
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return classifyJson(name, text);
  return classifyCsv(file.name, name, text);
}

function classifyJson(name: string, text: string): Opened {
  // JSON.parse takes seconds on a million nested brackets or tiny objects; no file the app writes comes close.
  const tooLarge = jsonSizeProblem(text);
  if (tooLarge) return error(`${name} ${tooLarge}, more than any file the app writes. ${OPENABLE}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const detail = cut(e instanceof Error ? e.message : String(e), 80);
    return error(`${name} looks like JSON but cannot be read (${detail}). Export or download it again.`);
  }
  const format =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as { format?: unknown }).format
      : undefined;
  if (format === MODEL_FORMAT) {
    try {
      const model = parseModelJson(text);
      return {
        kind: 'model',
        models: [{ fileName: name, model }],
        message: `Opened the model ${name} (${describeModel(model)}).`,
      };
    } catch (e) {
      if (e instanceof ModelJsonError) return error(`${name}: ${e.message}`);
      throw e;
    }
  }
  if (format === RESULTS_FORMAT) {
    return error(
      `${name} is a runner results file but its name does not end in .json. Rename it results.json and ` +
        'select the whole folder the runner wrote: results.json, dataset.csv and the *.model.json files.',
    );
  }
  const found =
    format === undefined
      ? 'has no "format" field'
      : typeof format === 'string'
        ? `is a ${quoted(format)} file`
        : 'has a "format" that is not a name';
  return error(
    `${name} ${found}; the app opens "${MODEL_FORMAT}" models and "${RESULTS_FORMAT}" runner results. ${OPENABLE}`,
  );
}

function classifyCsv(fullName: string, name: string, text: string): Opened {
  const firstLine = text.split(/\r?\n/, 1)[0]!.trim();
  const fields = firstLine.split(',').map((f) => f.trim());
  if (fields.join(',') === DATASET_CSV_HEADER.join(',')) {
    try {
      const ds = datasetFromCsv(parseDatasetCsv(text), name.replace(/\.csv$/i, ''));
      return {
        kind: 'dataset',
        name: ds.name,
        points: importedPoints(ds),
        message: `Loaded ${name}: ${ds.train.y.length} train and ${ds.test.y.length} test points, ${ds.nClasses} classes.`,
      };
    } catch (e) {
      if (e instanceof CsvError || e instanceof DatasetError) {
        return error(`${name} was not loaded — ${e.message} Your current data is unchanged.`);
      }
      throw e;
    }
  }
  if (looksLikeMetricsCsv(text)) {
    try {
      const rows = parseMetricsCsv(text);
      const link = rows.find((r) => r.link.trim() !== '')?.link.trim();
      if (!link) {
        return error(
          `${name} is a metrics table without a link in its link column; it cannot restore a setup.`,
        );
      }
      return linkResult(link, name, 'metrics table');
    } catch (e) {
      if (e instanceof MetricsCsvError) return error(`${name}: ${e.message}`);
      throw e;
    }
  }
  const kind = /\.csv$/i.test(fullName) || firstLine.includes(',') ? 'CSV' : 'text file';
  return error(
    `${name} is a ${kind} the app does not recognise (first line ${quoted(firstLine)}). A dataset CSV starts with ` +
      `${DATASET_CSV_HEADER.join(',')}; a metrics table with ${METRICS_CSV_HEADER.slice(0, 3).join(',')},….`,
  );
}

/**
 * Classify what the user opened. Content decides, not the extension: the PNG signature, an `<svg` root, a JSON
 * `format` field, a CSV header.
 *
 * - Any `robust-results/1` JSON among the files: the whole selection is read as a runner's results folder.
 * - One file: a dataset CSV, a model, or the link of a figure (PNG text chunk, SVG metadata) or metrics table.
 * - Several files, all models: the models.
 * - Anything else (an empty file, binary junk, a file over {@link MAX_OPEN_BYTES}, JSON of another format, a PNG or
 *   SVG without our link, a CSV with another header, a mixed selection): `kind: 'error'` with what to do.
 */
export function classifyOpened(files: readonly OpenedFile[]): Opened {
  if (files.length === 0) return error(`Nothing was opened. ${OPENABLE}`);
  const big = files.find((f) => f.bytes.length > MAX_OPEN_BYTES);
  if (big) return error(tooLargeMessage(big.name, big.bytes.length));

  // A runner folder: decode the text files leniently (a folder may hold other files too) and read it whole.
  const decoder = new TextDecoder('utf-8');
  const texts = files
    .filter((f) => /\.(json|csv)$/i.test(f.name))
    .map((f) => ({ name: f.name, text: decoder.decode(f.bytes).replace(/^\uFEFF/, '') }));
  if (texts.some((f) => /\.json$/i.test(f.name) && isResultsJson(f.text))) {
    try {
      const folder = readResultsFolder(texts);
      const parts = [
        `Opened ${baseName(folder.resultsFile)} (${folder.datasetName}, ε = ${folder.eps}, ` +
          `${folder.norm === 'linf' ? 'L∞' : 'L2'}, ${folder.backend}): ${folder.models.length} ` +
          `${folder.models.length === 1 ? 'model' : 'models'}.`,
        ...(folder.withoutWeights.length
          ? [`No weights to show for ${folder.withoutWeights.join(', ')}.`]
          : []),
        ...folder.warnings,
      ];
      return { kind: 'results', folder, message: parts.join(' ') };
    } catch (e) {
      if (e instanceof ResultsFolderError) return error(e.message);
      throw e;
    }
  }

  if (files.length === 1) return classifyOne(files[0]!);
  const each = files.map((f) => [f, classifyOne(f)] as const);
  const failed = each.find(([, o]) => o.kind === 'error');
  if (failed) return failed[1];
  if (each.every(([, o]) => o.kind === 'model')) {
    const models = each.flatMap(([, o]) => (o.kind === 'model' ? o.models : []));
    return {
      kind: 'model',
      models,
      message: `Opened ${models.length} models: ${models.map((m) => `${m.fileName} (${describeModel(m.model)})`).join('; ')}.`,
    };
  }
  return error(
    `${files.length} files of different kinds were opened together. Open one dataset, figure or metrics table at a ` +
      'time, several model files together, or the whole folder the runner wrote.',
  );
}
