// The build's Content-Security-Policy (vite.config.ts) and what keeps the app inside it. The browser test
// test/e2e/csp.spec.ts runs every backend under it; these checks are the fast half.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, CSP_HEADER, CSP_META } from '../../vite.config.ts';

const directives = (policy: string) =>
  new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe('the Content-Security-Policy', () => {
  it('allows no inline script, no eval and no inline style', () => {
    for (const policy of [CSP_HEADER, CSP_META]) {
      expect(policy).not.toMatch(
        /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|'strict-dynamic'|\*\.|https?:/,
      );
      const d = directives(policy);
      expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(d.get('style-src')).toEqual(["'self'"]);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
    }
  });

  it('lets any site frame the app in its header, and leaves out of the <meta> what a <meta> cannot carry', () => {
    expect(directives(CSP_HEADER).get('frame-ancestors')).toEqual(['*']);
    expect(directives(CSP_META).has('frame-ancestors')).toBe(false);
    expect(CSP_HEADER.startsWith(CSP_META)).toBe(true);
    expect(CSP_DIRECTIVES.join('; ')).toBe(CSP_META);
  });

  it('is the one the README tells hosts to send', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`Content-Security-Policy: ${CSP_HEADER}`);
  });
});

describe('the entry points', () => {
  // Zod reads its `jitless` flag when a schema is built; with the JIT it probes `new Function`, which the policy
  // refuses (a violation report). src/core/zodConfig.ts sets the flag and must run before any other module.
  it.each(['src/main.tsx', 'src/engine/worker.ts', 'src/diagnostics/main.ts'])(
    '%s makes Zod jitless before importing anything else',
    (file) => {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      const first = /^import\s[^;]*?['"]([^'"]+)['"];?$/m.exec(source);
      expect(first?.[1]).toMatch(/\/core\/zodConfig\.ts$/);
    },
  );

  it('the pages carry no inline script or style', () => {
    for (const page of ['index.html', 'embed.html', 'diagnostics.html']) {
      const html = readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8');
      const tags = [
        ...html.matchAll(/<([a-z][\w-]*)((?:\s+[^\s=>]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi),
      ];
      expect(tags.length, page).toBeGreaterThan(5);
      for (const [tag, name = '', attributes = ''] of tags) {
        const names = [...attributes.matchAll(/\s+([^\s=>]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)].map((m) =>
          m[1]!.toLowerCase(),
        );
        expect(name.toLowerCase() === 'script' && !names.includes('src'), `${page}: ${tag}`).toBe(false);
        expect(name.toLowerCase() === 'style', `${page}: ${tag}`).toBe(false);
        expect(
          names.filter((n) => n === 'style' || n.startsWith('on')),
          `${page}: ${tag}`,
        ).toEqual([]);
      }
    }
  });
});
