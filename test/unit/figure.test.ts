import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanMarksSvg,
  escapeXml,
  FIGURE_LINK_NS,
  figureCaption,
  figureColumns,
  figureSize,
  figureSvg,
  readSvgLink,
  svgDataUrl,
  type FigureInput,
  type FigurePanel,
} from '../../src/views/export/figure.ts';

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Character data directly inside the element (entities resolved, CDATA included). */
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const REF = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with every `&` checked to start a predefined entity or a character reference. */
function resolveRefs(s: string, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '&') {
      out += s[i];
      continue;
    }
    const m = REF.exec(s.slice(i));
    if (!m) throw new Error(`bare & in ${where}: ${JSON.stringify(s.slice(i, i + 20))}`);
    const r = m[1]!;
    out += r.startsWith('#x')
      ? String.fromCodePoint(parseInt(r.slice(2), 16))
      : r.startsWith('#')
        ? String.fromCodePoint(parseInt(r.slice(1), 10))
        : ENT[r]!;
    i += m[0].length - 1;
  }
  return out;
}

/**
 * A small strict XML 1.0 well-formedness check (no DTDs): one root, balanced and properly nested tags, quoted and
 * unique attributes, valid references, no forbidden characters, namespace prefixes declared in scope.
 * @returns every element in document order
 */
function parseXml(doc: string): XmlElement[] {
  if (/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(doc))
    throw new Error('forbidden character');
  const elements: XmlElement[] = [];
  const stack: { el: XmlElement; prefixes: Set<string> }[] = [];
  let rootSeen = false;
  let i = 0;
  const inScope = (prefix: string) =>
    prefix === 'xml' || prefix === 'xmlns' || stack.some((s) => s.prefixes.has(prefix));
  while (i < doc.length) {
    const rest = doc.slice(i);
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) throw new Error('unterminated processing instruction');
      if (/^<\?xml[\s?]/.test(rest) && i !== 0) throw new Error('XML declaration not at the start');
      i += end + 2;
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->', 4);
      if (end < 0 || rest.slice(4, end).includes('--')) throw new Error('bad comment');
      i += end + 3;
    } else if (rest.startsWith('<![CDATA[')) {
      if (!stack.length) throw new Error('CDATA outside the root');
      const end = rest.indexOf(']]>');
      if (end < 0) throw new Error('unterminated CDATA');
      stack[stack.length - 1]!.el.text += rest.slice(9, end);
      i += end + 3;
    } else if (rest.startsWith('<!')) {
      throw new Error(`unexpected markup declaration ${JSON.stringify(rest.slice(0, 12))}`);
    } else if (rest.startsWith('</')) {
      const m = NAME.exec(rest.slice(2));
      if (!m) throw new Error('bad end tag');
      const close = /^\s*>/.exec(rest.slice(2 + m[0].length));
      if (!close) throw new Error(`bad end tag </${m[0]}`);
      const top = stack.pop();
      if (!top || top.el.name !== m[0]) throw new Error(`</${m[0]}> closes <${top?.el.name ?? 'nothing'}>`);
      i += 2 + m[0].length + close[0].length;
    } else if (rest.startsWith('<')) {
      const m = NAME.exec(rest.slice(1));
      if (!m) throw new Error(`bad start tag ${JSON.stringify(rest.slice(0, 20))}`);
      if (!stack.length && rootSeen) throw new Error('second root element');
      let j = 1 + m[0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const a = /^\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(
          rest.slice(j),
        );
        if (!a) break;
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${m[0]}>`);
        attrs[a[1]!] = resolveRefs(a[3] ?? a[4] ?? '', `attribute ${a[1]}`);
        j += a[0].length;
      }
      const end = /^\s*(\/?)>/.exec(rest.slice(j));
      if (!end) throw new Error(`malformed tag <${m[0]} near ${JSON.stringify(rest.slice(j, j + 20))}`);
      const prefixes = new Set(
        Object.keys(attrs)
          .filter((k) => k.startsWith('xmlns:'))
          .map((k) => k.slice(6)),
      );
      const el: XmlElement = { name: m[0], attrs, text: '' };
      stack.push({ el, prefixes });
      for (const n of [m[0], ...Object.keys(attrs)]) {
        const p = n.includes(':') ? n.split(':')[0]! : null;
        if (p && !inScope(p)) throw new Error(`undeclared prefix ${p} in ${n}`);
      }
      elements.push(el);
      rootSeen = true;
      if (end[1]) stack.pop();
      i += j + end[0].length;
    } else {
      const next = rest.indexOf('<');
      const chars = next < 0 ? rest : rest.slice(0, next);
      if (chars.includes(']]>')) throw new Error(']]> in character data');
      if (!stack.length) {
        if (chars.trim()) throw new Error(`text outside the root: ${JSON.stringify(chars.slice(0, 20))}`);
      } else stack[stack.length - 1]!.el.text += resolveRefs(chars, `<${stack[stack.length - 1]!.el.name}>`);
      i += chars.length;
    }
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.el.name}> is never closed`);
  if (!rootSeen) throw new Error('no root element');
  return elements;
}

// A 2×2 PNG is enough to stand for a field canvas; the figure only embeds the URL.
const HEATMAP =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP8z8DwnwEIGBkZGBgYAAA6CQP+tP0BAAAAAElFTkSuQmCC';

/** What PanelPlot's overlay looks like as `outerHTML` (HTML serialisation: explicit end tags, &nbsp;). */
const MARKS =
  '<svg class="rp-panel-marks" width="240" height="240" viewBox="0 0 240 240">' +
  '<path d="M0,120L240,120" transform="translate(0,0)" class="rp-boundary"></path>' +
  '<g class="rp-balls"><path d="M10,10h8v8h-8Z" class="rp-ball-robust" stroke="#1b1b1b" fill="#1b1b1b"></path>' +
  '<path d="M50,50h8v8h-8Z" class="rp-ball-not-robust" stroke="#D55E00" fill="#D55E00"></path></g>' +
  '<path d="M14,14L30,30" class="rp-attack-links" stroke="#D55E00"></path>' +
  '<path d="M1,1a3,3 0 1,0 6,0a3,3 0 1,0 -6,0" fill="#E69F00" class="rp-train-points"></path>' +
  '<g class="rp-highlight"><circle cx="20" cy="20" r="7" class="rp-highlight-halo"></circle></g>' +
  '</svg>';

const LINK = 'https://example.org/robust/?dataset=moons&eps=0.1&panels=natural,trades&title="a"&x=<1>';

const panel = (label: string, extra: Partial<FigurePanel> = {}): FigurePanel => ({
  label,
  heatmapPng: HEATMAP,
  marksSvg: MARKS,
  size: 240,
  metrics: ['train 99.0 % · test 97.5 %', 'adv 81.0 % (PGD-10) · robust 80.3 % · Lip 4.2'],
  ...extra,
});

const input = (panels: FigurePanel[], extra: Partial<FigureInput> = {}): FigureInput => ({
  title: 'Robust Playground — moons',
  caption: figureCaption({
    dataset: 'moons',
    eps: 0.1,
    norm: 'linf',
    backend: 'webgpu',
    date: new Date('2025-01-31T12:00:00Z'),
  }),
  panels,
  link: LINK,
  legendNote: 'heatmap: p(class 1)',
  ...extra,
});

const byName = (els: XmlElement[], name: string) => els.filter((e) => e.name === name);

describe('figureSvg', () => {
  const three = input([panel('Natural'), panel('TRADES (β = 6)'), panel('1-NN construction')]);
  const svg = figureSvg(three);
  const els = parseXml(svg);

  it('is a well-formed standalone SVG document of the size figureSize reports', () => {
    const root = els[0]!;
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const { width, height } = figureSize(three);
    expect(root.attrs.width).toBe(String(width));
    expect(root.attrs.height).toBe(String(height));
    expect(root.attrs.viewBox).toBe(`0 0 ${width} ${height}`);
  });

  it('embeds one smooth, stretched heatmap <image> per panel, as its data: URL', () => {
    const images = byName(els, 'image');
    expect(images).toHaveLength(3);
    for (const im of images) {
      expect(im.attrs.href).toBe(HEATMAP);
      expect(im.attrs['xlink:href']).toBe(HEATMAP);
      expect(im.attrs.preserveAspectRatio).toBe('none');
      expect(im.attrs.style).toBe('image-rendering:auto');
    }
    // A row of three: same y, increasing x, no overlap.
    const xs = images.map((im) => Number(im.attrs.x));
    expect(new Set(images.map((im) => im.attrs.y)).size).toBe(1);
    expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(240);
    expect(xs[2]! - xs[1]!).toBeGreaterThanOrEqual(240);
  });

  it("places the heatmap over the field's rectangle when one is given", () => {
    const s = figureSvg(input([panel('A', { fieldRect: { left: 10, top: 20, width: 220, height: 200 } })]));
    const im = byName(parseXml(s), 'image')[0]!;
    expect([im.attrs.width, im.attrs.height]).toEqual(['220', '200']);
  });

  it('carries the link in <metadata> under its namespace, and visibly', () => {
    const link = byName(els, 'rp:link')[0]!;
    expect(link.attrs['xmlns:rp']).toBe(FIGURE_LINK_NS);
    expect(link.text).toBe(LINK);
    expect(readSvgLink(svg)).toBe(LINK);
    const visible = byName(els, 'text')
      .filter((t) => t.attrs.class === 'rp-fig-link')
      .map((t) => t.text)
      .join('');
    expect(visible).toBe(`Reproduce: ${LINK}`);
  });

  it('shows every title, metric line, the legend and the caption as text', () => {
    const texts = byName(els, 'text').map((t) => t.text);
    expect(texts).toContain('Robust Playground — moons');
    expect(texts).toContain('TRADES (β = 6)');
    // Metric lines wrap to the panel's width; their words stay in order.
    const metrics = byName(els, 'text')
      .filter((t) => t.attrs.class === 'rp-fig-metric')
      .map((t) => t.text)
      .join(' ');
    expect(metrics).toContain('train 99.0 % · test 97.5 % adv 81.0 % (PGD-10) · robust 80.3 % · Lip 4.2');
    expect(texts).toContain('ε-ball robust');
    expect(texts).toContain('heatmap: p(class 1)');
    expect(texts).toContain('dataset moons · ε = 0.1 (L∞) · backend webgpu · 2025-01-31');
  });

  it('inlines the marks and the CSS rules their classes need', () => {
    expect(byName(els, 'svg').filter((e) => e.attrs.class === 'rp-panel-marks')).toHaveLength(3);
    const css = byName(els, 'style')[0]!.text;
    for (const cls of [
      'rp-boundary',
      'rp-ball-robust',
      'rp-ball-not-robust',
      'rp-ball-undecided',
      'rp-pgd-paths',
      'rp-attack-links',
      'rp-attack-points',
      'rp-train-points',
      'rp-test-points',
      'rp-highlight-halo',
      'rp-highlight-ring',
    ]) {
      expect(css).toContain(`.${cls} {`);
    }
  });

  it('references nothing outside itself', () => {
    for (const e of els) {
      for (const [k, v] of Object.entries(e.attrs)) {
        if (/href$/.test(k)) expect(v).toMatch(/^(data:|#)/);
      }
    }
  });

  it('escapes labels, metrics, title, caption and link: a <script> stays text', () => {
    const evil = '<script>alert("x & y")</script>';
    const s = figureSvg(
      input([panel(evil, { metrics: [evil] })], {
        title: evil,
        caption: evil,
        link: `https://e.x/?q=${evil}`,
      }),
    );
    expect(s).not.toMatch(/<script/i);
    const parsed = parseXml(s);
    expect(byName(parsed, 'script')).toHaveLength(0);
    expect(byName(parsed, 'text').some((t) => t.text === evil)).toBe(true);
    expect(readSvgLink(s)).toBe(`https://e.x/?q=${evil}`);
  });

  it('leaves out the image of a panel with no field yet', () => {
    const s = figureSvg(input([panel('A'), panel('B', { heatmapPng: null, marksSvg: '' })]));
    expect(byName(parseXml(s), 'image')).toHaveLength(1);
  });

  it('refuses a heatmap that is not a data: URL (it would taint the canvas)', () => {
    expect(() => figureSvg(input([panel('A', { heatmapPng: 'https://e.x/field.png' })]))).toThrow(
      /data:image\/png;base64 URL/,
    );
  });

  it('lays many panels out in a grid', () => {
    const seven = figureSvg(input(Array.from({ length: 7 }, (_, k) => panel(`P${k}`))));
    const images = byName(parseXml(seven), 'image');
    expect(new Set(images.map((im) => im.attrs.x)).size).toBe(4);
    expect(new Set(images.map((im) => im.attrs.y)).size).toBe(2);
  });

  it('omits the link line and leaves an empty link element when there is no link', () => {
    const s = figureSvg(input([panel('A')], { link: '' }));
    expect(s).not.toContain('Reproduce:');
    expect(readSvgLink(s)).toBeNull();
  });

  it('stays well-formed and keeps the link for any text (property)', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    // A link as stored: no characters XML forbids, no surrounding blanks (readSvgLink trims).
    const link = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').trim())
      .filter((s) => s.length > 0);
    fc.assert(
      fc.property(
        anyText,
        anyText,
        anyText,
        fc.array(anyText, { maxLength: 3 }),
        link,
        (title, caption, label, metrics, l) => {
          const s = figureSvg(input([panel(label, { metrics })], { title, caption, link: l }));
          parseXml(s);
          expect(readSvgLink(s)).toBe(l);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('user text in the figure', () => {
  // Dataset names come from opened CSV files, panel labels from opened model files (file name and model name),
  // the link from the address bar: any of them may be hostile. Each stays text, and the document stays one SVG.
  const HOSTILE = [
    '</desc><script>alert(1)</script>',
    ']]></style><script>alert(1)</script><style><![CDATA[',
    '"/><image href="https://e.x/t.png"/><text x="',
    "' onload='alert(1)",
    '<!-- <svg onload=alert(1)> -->',
    '&lt;script&gt; &amp; &#60;script&#62; &nbsp;',
    '<?xml-stylesheet href="https://e.x/a.css"?>',
    'javascript:alert(1)',
    'a\u0000b\u0008c\uFFFEd\uD800e',
    '\u202Egnp.exe',
  ];

  it('keeps hostile dataset names, file names and model names as text', () => {
    for (const evil of HOSTILE) {
      const s = figureSvg(
        input([panel(`${evil}.model.json`), panel(evil, { metrics: [evil] })], {
          title: evil,
          caption: figureCaption({ dataset: evil, eps: 0.1, norm: 'linf', backend: evil, date: new Date(0) }),
          legendNote: evil,
        }),
      );
      const els = parseXml(s);
      const what = JSON.stringify(evil);
      expect(byName(els, 'script'), what).toHaveLength(0);
      expect(
        byName(els, 'svg').filter((e) => e.attrs.class !== 'rp-panel-marks'),
        what,
      ).toHaveLength(1);
      expect(byName(els, 'image'), what).toHaveLength(2);
      expect(byName(els, 'style'), what).toHaveLength(1);
      expect(byName(els, 'style')[0]!.text, what).not.toContain('alert');
      for (const e of els) {
        expect(
          Object.keys(e.attrs).filter((k) => /^on/i.test(k)),
          what,
        ).toEqual([]);
        for (const [k, v] of Object.entries(e.attrs)) if (/href$/.test(k)) expect(v, what).toMatch(/^data:/);
      }
      // The text reads back as written, with only the characters XML cannot hold replaced.
      const shown = evil.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
      const texts = byName(els, 'text').map((t) => t.text);
      expect(texts, what).toContain(shown);
      expect(byName(els, 'title')[0]!.text, what).toBe(shown);
      expect(
        texts.some((t) => t.startsWith(`dataset ${shown.split(/\s+/)[0]}`)),
        what,
      ).toBe(true);
    }
  });

  it('keeps a hostile link as text and reads it back', () => {
    for (const evil of HOSTILE.filter((h) => !escapeXml(h).includes('\uFFFD'))) {
      const link = `https://e.x/?q=${evil}`;
      const s = figureSvg(input([panel('A')], { link }));
      expect(byName(parseXml(s), 'script')).toHaveLength(0);
      expect(readSvgLink(s)).toBe(link.trim());
    }
  });
});

describe('readSvgLink', () => {
  it('finds the link under any prefix bound to the namespace, with CDATA', () => {
    const s = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:q="${FIGURE_LINK_NS}"><metadata><q:link><![CDATA[https://e.x/?a=1&b=2]]></q:link></metadata></svg>`;
    expect(readSvgLink(s)).toBe('https://e.x/?a=1&b=2');
  });

  it('finds a link element that declares the namespace as its default', () => {
    const s = `<svg xmlns="http://www.w3.org/2000/svg"><metadata><link xmlns="${FIGURE_LINK_NS}">https://e.x/?a=1&amp;b=&quot;2&quot;</link></metadata></svg>`;
    expect(readSvgLink(s)).toBe('https://e.x/?a=1&b="2"');
  });

  it('ignores links of other namespaces and commented-out ones', () => {
    const other = `<svg xmlns:rp="https://other.example/ns"><rp:link>https://e.x/</rp:link></svg>`;
    expect(readSvgLink(other)).toBeNull();
    const commented = `<svg><!-- <rp:link xmlns:rp="${FIGURE_LINK_NS}">https://e.x/</rp:link> --></svg>`;
    expect(readSvgLink(commented)).toBeNull();
    expect(readSvgLink('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBeNull();
  });

  it('round-trips links with &, quotes, angle brackets and Unicode', () => {
    for (const l of ['https://e.x/?a=1&b=2', `https://e.x/?t="q"&u='v'`, 'https://e.x/?x=<1>&y=β∞😀']) {
      expect(readSvgLink(figureSvg(input([panel('A')], { link: l })))).toBe(l);
    }
  });
});

describe('cleanMarksSvg', () => {
  it('drops scripts, event handlers, foreign objects and outside links, and makes &nbsp; XML', () => {
    const dirty =
      '<svg class="rp-panel-marks" onload="steal()"><script>steal()</script>' +
      '<foreignObject><div>x</div></foreignObject>' +
      '<image href="https://e.x/a.png"></image><use href="#m"></use><text>a&nbsp;b &copy;</text></svg>';
    const clean = cleanMarksSvg(dirty);
    expect(clean).not.toMatch(/script|onload|foreignObject|https:/);
    expect(clean).toContain('href="#m"');
    expect(clean).toContain('a&#160;b &amp;copy;');
    parseXml(clean);
  });

  it('drops links, animations, styles and outside references however they are written', () => {
    const dirty =
      '<svg class="rp-panel-marks"><a href="javascript:alert(1)"><circle r="1"></circle></a>' +
      '<animate attributeName="href" to="javascript:alert(1)"></animate><set attributeName="onclick" to="x"/>' +
      '<style>@import url(https://e.x/a.css);</style><iframe src="https://e.x/"></iframe>' +
      '<scr<script></script>ipt>alert(1)</script><SCRIPT SRC="https://e.x/a.js"></SCRIPT>' +
      '<rect onclick=alert(1) /><rect ONMOUSEOVER="x"></rect>' +
      '<path style="fill:url(https://e.x/track)" d="M0,0"></path><path fill="url(#ok)" d="M1,1"></path>' +
      '<use href="&#106;avascript:alert(1)"></use><use xlink:href="java&Tab;script:x"></use>' +
      '<image href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></image>' +
      `<use href="&#${'9'.repeat(400)};&#x${'f'.repeat(300)};#ok"></use>` +
      '<image href="data:image/png;base64,AAAA"></image></svg>';
    const clean = cleanMarksSvg(dirty);
    expect(clean).not.toMatch(
      /javascript|<a[\s>]|<\/a>|animate|<set|<style|@import|iframe|script|onclick|onmouseover/i,
    );
    expect(clean).not.toMatch(/https:|svg\+xml/);
    expect(clean).toContain('<circle r="1"></circle>');
    expect(clean).toContain('fill="url(#ok)"');
    expect(clean).toContain('href="data:image/png;base64,AAAA"');
    parseXml(clean);
  });

  it('refuses anything but an <svg> element', () => {
    expect(() => cleanMarksSvg('<div>no</div>')).toThrow(/outerHTML/);
    expect(cleanMarksSvg('  ')).toBe('');
  });
});

describe('helpers', () => {
  it('figureColumns: a row up to 3, then a grid at most 4 wide', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12].map(figureColumns)).toEqual([1, 2, 3, 2, 3, 3, 4, 4, 3, 4, 4]);
  });

  it('escapeXml escapes the five specials and replaces characters XML forbids', () => {
    expect(escapeXml(`<a href="x">&'\u0001\uD800`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD\uFFFD',
    );
  });

  it('svgDataUrl percent-encodes the whole document', () => {
    const url = svgDataUrl('<svg>#β</svg>');
    expect(url).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%3E%23%CE%B2%3C%2Fsvg%3E');
  });

  it('figureCaption names the dataset, ε with its norm, the backend and the day', () => {
    const c = {
      dataset: 'spiral',
      eps: 0.05,
      norm: 'l2' as const,
      backend: 'wasm',
      date: new Date('2024-06-01'),
    };
    expect(figureCaption(c)).toBe('dataset spiral · ε = 0.05 (L2) · backend wasm · 2024-06-01');
  });
});
