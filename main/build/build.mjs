// Builds what the Electron app and the web host load: the renderer (Vite) into dist/renderer,
// the Electron main process into dist/electron (ESM; node_modules stay external and load at run
// time), and the preload into dist/preload as one CommonJS file, the only form a sandboxed
// preload can load.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

export async function buildAll({ quiet = false } = {}) {
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  await esbuild({
    entryPoints: [path.join(root, 'main/electron/main.ts')],
    outfile: path.join(root, 'dist/electron/main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    external: ['electron'],
    sourcemap: true,
    logLevel: quiet ? 'warning' : 'info',
  });
  await buildPdfWorker(path.join(root, 'dist/electron'), { quiet });
  await buildCli({ quiet });
  await esbuild({
    entryPoints: [path.join(root, 'preload/preload.ts')],
    outfile: path.join(root, 'dist/preload/preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'inline',
    logLevel: quiet ? 'warning' : 'info',
  });
}

/**
 * The command line (package.json's bin): an entry that loads only the argument parser and the help
 * text, and a chunk per command that the entry imports when that command runs, so that `--help`
 * starts about as fast as Node itself and no command loads the libraries of another.
 * Built by `npm ci` too (the prepare script), so that the command works straight after install.
 */
const CLI_BUNDLED = new Set(['zod', '@peculiar/asn1-schema', '@peculiar/asn1-x509', '@peculiar/asn1-cms', '@peculiar/asn1-ocsp', 'asn1js', 'sax', 'yauzl']);

export async function buildCli({ quiet = false } = {}) {
  const outdir = path.join(root, 'dist/cli');
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild({
    entryPoints: { eoffice: path.join(root, 'main/cli/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The packages most commands load are bundled, as ES modules: zod (the contract every command
    // parses its input against) is a hundred small modules, and the ASN.1 and XML readers the core
    // opens with are CommonJS, which Node must scan for exports at every start. The other packages
    // load from node_modules, and only in the commands that use them.
    mainFields: ['module', 'main'],
    // Bundled CommonJS (yauzl, sax) still requires Node's own modules at run time.
    banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
    external: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !CLI_BUNDLED.has(name)),
    logLevel: quiet ? 'warning' : 'info',
  });
  fs.chmodSync(path.join(outdir, 'eoffice.mjs'), 0o755);
  await buildPdfWorker(outdir, { quiet });
}

/**
 * The PDF worker's thread (main/core/pdfWorker/thread.ts) as pdfWorker.mjs in `outdir`, with its
 * chunks in outdir/pdfWorker/: a bundle starts it from the file beside itself (or one folder up,
 * from a chunk). The thread starts with the first document a process reads, signing included, so
 * it starts light: each job loads its own code when first asked, and the libraries are bundled in
 * (pdf-lib loads in a third of the time from one file) but for pdf.js, which finds its own files.
 */
export async function buildPdfWorker(outdir, { quiet = false } = {}) {
  fs.rmSync(path.join(outdir, 'pdfWorker'), { recursive: true, force: true });
  await esbuild({
    entryPoints: { pdfWorker: path.join(root, 'main/core/pdfWorker/thread.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'pdfWorker/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pdfjs-dist'],
    logLevel: quiet ? 'warning' : 'info',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--cli')) await buildCli();
  else await buildAll();
}
