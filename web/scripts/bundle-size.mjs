// The JavaScript a first visit downloads before anything renders: the entry script of
// dist/index.html and every module it preloads, gzipped. Fails above the budget (250 kB gzipped).
// Prints each route chunk too, so a regression shows where it came from; and fails if anything
// that looks like a secret (a private key, an AWS or Stripe key, a client secret) is bundled.
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

// No secret reaches the browser: the OAuth client is public, and nothing server-side is bundled.
const SECRET = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bAKIA[0-9A-Z]{16}\b/, /\bsk_(live|test)_[0-9a-zA-Z]{8,}/, /client_secret/i, /CURSOR_SECRET|devstack-cursor-secret/];
const leaks = [];
for (const f of readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(join(dist, 'assets', f), 'utf8');
  for (const re of SECRET) if (re.test(text)) leaks.push(`${f}: ${re}`);
}
if (leaks.length) {
  console.error(`secrets in the bundle:\n  ${leaks.join('\n  ')}`);
  process.exit(1);
}
console.log('no secrets in the bundle');
if (total > BUDGET) {
  console.error(`initial JS is ${kb(total)} gzipped, over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
