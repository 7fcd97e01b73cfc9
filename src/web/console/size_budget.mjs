// The console's size budget: the first page (index.html plus the scripts and
// style sheets it loads), gzipped at level 9, must stay under LIMIT bytes.
//
// Usage: node size_budget.mjs DIST_DIR LIMIT_BYTES
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dist, limitText] = process.argv.slice(2);
const limit = Number(limitText);
const index = readFileSync(join(dist, 'index.html'));
const loaded = [...index.toString().matchAll(/(?:src|href)="\/ui\/([^"]+)"/g)]
  .map((m) => m[1]);
let total = gzipSync(index, { level: 9 }).length;
const lines = [`index.html ${total} B gzipped`];
for (const path of loaded) {
  const size = gzipSync(readFileSync(join(dist, path)), { level: 9 }).length;
  lines.push(`${path} ${size} B gzipped`);
  total += size;
}
console.log(lines.join('\n'));
console.log(`first page: ${total} B gzipped (budget ${limit} B)`);
if (loaded.length === 0) {
  console.error('index.html loads no script or style: not the built console');
  process.exit(1);
}
if (total >= limit) {
  console.error(`over budget by ${total - limit} B`);
  process.exit(1);
}
