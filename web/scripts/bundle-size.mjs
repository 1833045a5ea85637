// The JavaScript a first visit downloads before anything renders: the entry script of
// dist/index.html and every module it preloads, gzipped. Fails above the budget (250 kB gzipped).
// Prints each route chunk too, so a regression shows where it came from.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
if (initial.length === 0) {
  console.error('no entry script found in dist/index.html');
  process.exit(1);
}
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
let total = 0;
for (const f of initial) {
  const n = gz(f);
  total += n;
  console.log(`initial  ${kb(n).padStart(9)}  ${f}`);
}
const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`));
const lazy = assets.map((f) => [f, gz(`assets/${f}`), statSync(join(dist, 'assets', f)).size]).sort((a, b) => b[1] - a[1]);
for (const [f, n] of lazy.slice(0, 12)) console.log(`on route ${kb(n).padStart(9)}  assets/${f}`);
console.log(`${lazy.length} route chunks; initial JS ${kb(total)} gzipped (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error(`initial JS is ${kb(total)} gzipped, over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
