import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hyperText,
  looksLikeMetricsCsv,
  METRICS_CSV_HEADER,
  metricsCsvText,
  MetricsCsvError,
  parseHyperText,
  parseMetricsCsv,
  type MetricsRow,
} from '../../src/core/formats/metricsCsv.ts';

const LINK = 'https://example.org/robust/?dataset=moons&eps=0.1&panels=natural,trades';

const trades: MetricsRow = {
  panel: 'TRADES (β = 6)',
  method: 'trades',
  variant: 'kl',
  hyper: { beta: 6, steps: 10 },
  step: 1200,
  trainAcc: 0.9875,
  testAcc: 0.975,
  advTestAcc: 0.81,
  attack: 'PGD-10 (L∞, α = ε/4, 10 restarts)',
  robustTestAcc: 0.8025,
  undecided: 3,
  lipschitz: 4.21,
  lipschitzLabel: "test Lip (paper's sign descent)",
  eps: 0.1,
  norm: 'linf',
  backend: 'webgpu',
  link: LINK,
};

const nn: MetricsRow = {
  ...trades,
  panel: '1-NN construction',
  method: 'nn',
  variant: '',
  hyper: {},
  step: null,
  trainAcc: 1,
  advTestAcc: null,
  robustTestAcc: null,
  undecided: null,
  lipschitz: null,
};

describe('metricsCsvText', () => {
  it('writes the header, one row per panel, fractions as given and empty fields for missing numbers', () => {
    const text = metricsCsvText([trades, nn]);
    const lines = text.split('\n');
    expect(lines[0]).toBe(METRICS_CSV_HEADER.join(','));
    expect(lines[1]).toBe(
      `TRADES (β = 6),trades,kl,beta=6;steps=10,1200,0.9875,0.975,0.81,"PGD-10 (L∞, α = ε/4, 10 restarts)",0.8025,3,4.21,test Lip (paper's sign descent),0.1,linf,webgpu,"${LINK}"`,
    );
    expect(lines[2]).toBe(
      `1-NN construction,nn,,,,1,0.975,,"PGD-10 (L∞, α = ε/4, 10 restarts)",,,,test Lip (paper's sign descent),0.1,linf,webgpu,"${LINK}"`,
    );
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('round-trips the rows it writes', () => {
    expect(parseMetricsCsv(metricsCsvText([trades, nn]))).toEqual([trades, nn]);
  });

  it('starts with a byte-order mark on request, which reading skips', () => {
    const text = metricsCsvText([trades], { bom: true });
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parseMetricsCsv(text)).toEqual([trades]);
    expect(looksLikeMetricsCsv(text)).toBe(true);
  });

  it('refuses percentages, fractional steps and a non-finite eps', () => {
    expect(() => metricsCsvText([{ ...trades, testAcc: 97.5 }])).toThrow(/not a fraction in \[0, 1\]/);
    expect(() => metricsCsvText([{ ...trades, step: 1.5 }])).toThrow(/whole number/);
    expect(() => metricsCsvText([{ ...trades, undecided: -1 }])).toThrow(/whole number/);
    expect(() => metricsCsvText([{ ...trades, eps: NaN }])).toThrow(/eps/);
  });

  it('writes NaN as an empty field (read back as null) and keeps infinite Lipschitz values', () => {
    const [row] = parseMetricsCsv(metricsCsvText([{ ...trades, testAcc: NaN, lipschitz: Infinity }]));
    expect(row!.testAcc).toBeNull();
    expect(row!.lipschitz).toBe(Infinity);
  });
});

describe('hyper text', () => {
  it('is key=value;… with numbers, booleans and strings distinguishable', () => {
    const hyper = { beta: 6, lr: 1e-3, zero: -0, flag: true, norm: 'linf', six: '6', t: 'true', q: '"x"' };
    const text = hyperText(hyper);
    expect(text).toBe('beta=6;lr=0.001;zero=-0;flag=true;norm=linf;six="6";t="true";q=%22x%22');
    expect(parseHyperText(text)).toEqual(hyper);
    expect(Object.is(parseHyperText(text).zero, -0)).toBe(true);
  });

  it('percent-encodes the separators inside keys and strings', () => {
    const hyper = { 'a=b;c%': 'x;y=z%' };
    expect(hyperText(hyper)).toBe('a%3Db%3Bc%25=x%3By%3Dz%25');
    expect(parseHyperText(hyperText(hyper))).toEqual(hyper);
  });

  it('reads an empty field as no settings and refuses a part without "="', () => {
    expect(parseHyperText('')).toEqual({});
    expect(() => parseHyperText('beta=6;oops', 4)).toThrow(/Row 4: hyper part "oops"/);
  });
});

describe('parseMetricsCsv', () => {
  const good = metricsCsvText([trades]);
  const body = good.split('\n')[1]!;
  const header = METRICS_CSV_HEADER.join(',');

  it('accepts CRLF line ends and trailing blank lines', () => {
    expect(parseMetricsCsv(`${header}\r\n${body}\r\n\r\n`)).toEqual([trades]);
  });

  it('reads a table with no rows as an empty list', () => {
    expect(parseMetricsCsv(`${header}\n`)).toEqual([]);
  });

  const replaceField = (k: (typeof METRICS_CSV_HEADER)[number], value: string) => {
    const f = parseRow(body);
    f[METRICS_CSV_HEADER.indexOf(k)] = value;
    return `${header}\n${f.map((x) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(',')}\n`;
  };

  const cases: [string, string, string, RegExp][] = [
    ['an empty file', '', 'empty', /empty/],
    ['a dataset CSV', 'x1,x2,label,split\n0,0,0,train\n', 'header', /Row 1 must be the header/],
    ['a row with a field missing', `${header}\na,b,c\n`, 'field-count', /Row 2 has 3 fields/],
    ['a blank line between rows', `${header}\n\n${body}\n`, 'field-count', /Row 2 has 1 fields/],
    [
      'an accuracy in percent',
      replaceField('test_acc', '97.5'),
      'number',
      /test_acc "97.5" is not a fraction/,
    ],
    ['a word for a number', replaceField('lipschitz', 'high'), 'number', /lipschitz "high"/],
    ['a hex number', replaceField('step', '0x10'), 'number', /step "0x10"/],
    ['a fractional step', replaceField('step', '2.5'), 'number', /whole number/],
    ['an empty eps', replaceField('eps', ''), 'number', /eps "" must be a finite number/],
    ['an unknown norm', replaceField('norm', 'l1'), 'norm', /norm "l1" is unknown/],
    ['a broken hyper field', replaceField('hyper', 'beta'), 'hyper', /hyper part "beta"/],
  ];
  for (const [what, text, code, message] of cases) {
    it(`refuses ${what} with code ${code}`, () => {
      let err: unknown;
      try {
        parseMetricsCsv(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MetricsCsvError);
      expect((err as MetricsCsvError).code).toBe(code);
      expect((err as Error).message).toMatch(message);
    });
  }
});

/** A minimal CSV row splitter for the test's own edits (the row under edit has no quoted newlines). */
function parseRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

describe('round trip (property)', () => {
  // Text with the characters CSV must quote, plus any Unicode.
  const tricky = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc
      .array(
        fc.constantFrom(',', '"', '\n', '\r\n', ' ', 'β', 'ε', '∞', '<', '&', ';', '=', '%', 'a', '😀'),
        {
          maxLength: 12,
        },
      )
      .map((a) => a.join('')),
  );
  const frac = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null });
  const count = fc.option(fc.nat(), { nil: null });
  const hyperValue = fc.oneof(fc.double({ noNaN: true }), fc.boolean(), tricky);
  const row: fc.Arbitrary<MetricsRow> = fc.record({
    panel: tricky,
    method: tricky,
    variant: tricky,
    hyper: fc.dictionary(tricky, hyperValue, { maxKeys: 4 }),
    step: count,
    trainAcc: frac,
    testAcc: frac,
    advTestAcc: frac,
    attack: tricky,
    robustTestAcc: frac,
    undecided: count,
    lipschitz: fc.option(fc.double({ noNaN: true }), { nil: null }),
    lipschitzLabel: tricky,
    eps: fc.double({ noNaN: true, noDefaultInfinity: true }),
    norm: fc.constantFrom('linf' as const, 'l2' as const),
    backend: tricky,
    link: tricky,
  });

  it('parseMetricsCsv(metricsCsvText(rows)) gives the rows back', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), fc.boolean(), (rows, bom) => {
        const back = parseMetricsCsv(metricsCsvText(rows, { bom }));
        expect(back).toEqual(rows);
        back.forEach((r, i) => {
          // toEqual treats 0 and −0 alike; the file must not.
          expect(Object.is(r.eps, rows[i]!.eps)).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });
});
