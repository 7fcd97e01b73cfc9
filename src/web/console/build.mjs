// Builds the console: one JavaScript and one CSS bundle with content-hashed
// names under <outdir>/assets/, the index.html that loads them, and
// manifest.json (every file written, relative to <outdir>) for the C++
// embedding step. Nothing is fetched at run time: no CDN, no inline script
// or style (the server's Content-Security-Policy forbids both).
//
// Usage: node build.mjs --outdir DIR
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argIndex = process.argv.indexOf('--outdir');
const outdir = argIndex > 0 ? process.argv[argIndex + 1] : join(here, 'dist');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'assets'), { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: join(here, 'src/main.jsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: join(outdir, 'assets'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) =>
  relative(outdir, p).split('\\').join('/'));
const script = outputs.find((p) => p.endsWith('.js'));
const style = outputs.find((p) => p.endsWith('.css'));

const index = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Warden console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/${style}">
<script type="module" src="/ui/${script}"></script>
</head>
<body>
<div id="app"><p class="boot">Loading the Warden console…</p></div>
</body>
</html>
`;
writeFileSync(join(outdir, 'index.html'), index);
const files = ['index.html', ...outputs].sort();
writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ files }, null, 1) + '\n');
