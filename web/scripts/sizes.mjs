// Prints the gzip size of every built JavaScript and CSS file, and fails the build when the entry
// (what every page load runs first: the entry chunk and its static imports), any one lazy chunk
// (a screen, the signed-in shell, the Cognito client) or all JavaScript together is over budget.
// Budgets are gzip bytes. The browser test adds the real first screens (what the browser loaded
// for the sign-in screen and for a signed-in home) against its FIRST_SCREEN_BUDGET (320 kB).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET = { initialJs: 150 * 1024, screenChunk: 120 * 1024, totalJs: 600 * 1024, };
const dist = new URL('../dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');
const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
const size = (f) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

// The first visit loads what index.html references and everything those modules import statically.
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set();
const queue = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
while (queue.length) {
  const f = queue.pop();
  if (initial.has(f)) continue;
  initial.add(f);
  if (!f.endsWith('.js')) continue;
  const text = readFileSync(join(assets, f), 'utf8');
  for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(m[1]);
}

const rows = files.map((f) => ({ f, gz: size(f), initial: initial.has(f) })).sort((a, b) => b.gz - a.gz);
console.log('\nconsole bundle (gzip -9):');
for (const r of rows) console.log(`  ${r.initial ? '*' : ' '} ${kb(r.gz).padStart(9)}  ${r.f}`);
const js = rows.filter((r) => r.f.endsWith('.js'));
const initialJs = js.filter((r) => r.initial).reduce((s, r) => s + r.gz, 0);
const totalJs = js.reduce((s, r) => s + r.gz, 0);
const biggestLazy = js.filter((r) => !r.initial)[0];
console.log(`  (* = the entry: loaded by every page before it routes)`);
console.log(`entry JavaScript: ${kb(initialJs)} (budget ${kb(BUDGET.initialJs)}); all JavaScript: ${kb(totalJs)} (budget ${kb(BUDGET.totalJs)}); largest lazy chunk: ${biggestLazy ? `${kb(biggestLazy.gz)} ${biggestLazy.f}` : '-'} (budget ${kb(BUDGET.screenChunk)})`);
const over = [];
if (initialJs > BUDGET.initialJs) over.push('entry JavaScript');
if (totalJs > BUDGET.totalJs) over.push('all JavaScript');
if (biggestLazy && biggestLazy.gz > BUDGET.screenChunk) over.push(`lazy chunk ${biggestLazy.f}`);
if (over.length) {
  console.error(`over the gzip budget: ${over.join(', ')}`);
  process.exit(1);
}
