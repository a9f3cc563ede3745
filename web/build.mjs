// build.mjs - bundles the web UI into dist/ (served by `closeloop serve
// --web web/dist`).  esbuild: one ES module, minified.  No source map: the
// release bundle should not hand out the UI's source, and a map left in
// dist/ would be served beside app.js.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
    entryPoints: [join(root, 'src/main.js')],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'esm',
    target: ['es2020'],
    outfile: join(dist, 'app.js'),
    logLevel: 'warning',
});
for (const f of ['index.html', 'style.css', 'favicon.svg'])
    copyFileSync(join(root, 'src', f), join(dist, f));
console.log(`web: built ${dist}`);
