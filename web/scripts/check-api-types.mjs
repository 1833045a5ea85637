// The committed src/api/schema.d.ts is what openapi-typescript makes of the committed ../openapi.json:
// regenerate into a temporary file and compare. Fails (exit 1) when they disagree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'api-types-'));
const out = join(dir, 'schema.d.ts');
try {
  execFileSync('npx', ['--no-install', 'openapi-typescript', '../openapi.json', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fresh = readFileSync(out, 'utf8');
  const committed = readFileSync('src/api/schema.d.ts', 'utf8');
  if (fresh !== committed) {
    console.error('src/api/schema.d.ts does not match ../openapi.json: run `npm run gen:api` in web/ and commit it.');
    process.exit(1);
  }
  console.log('src/api/schema.d.ts matches openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
