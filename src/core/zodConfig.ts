/**
 * Zod without its JIT. Zod compiles object parsers with `new Function`, and probes once whether it may; under
 * the build's Content-Security-Policy (no 'unsafe-eval', vite.config.ts) that probe is refused and reported as a
 * violation, though Zod catches it. `jitless` parses the same way without generated code and skips the probe.
 *
 * Constraint: it must run before any schema is built (Zod reads the flag when `z.object()` is called), so every
 * entry point (src/main.tsx, src/engine/worker.ts, src/diagnostics/main.ts) imports this module first;
 * test/unit/csp.test.ts checks that they do.
 */
import { z } from 'zod';

z.config({ jitless: true });
