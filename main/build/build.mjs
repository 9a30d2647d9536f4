// Builds what the Electron app and the web host load: the renderer (Vite) into dist/renderer,
// the Electron main process into dist/electron (ESM; node_modules stay external and load at run
// time), and the preload into dist/preload as one CommonJS file, the only form a sandboxed
// preload can load.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  // The command line as one bundle: it starts in a fraction of the time tsx needs to compile the
  // TypeScript at every run, which matters to scripts that call it in a loop.
  await esbuild({
    entryPoints: [path.join(root, 'main/cli/eoffice.ts')],
    outfile: path.join(root, 'dist/cli/eoffice.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: { js: "process.env.EOFFICE_CLI_MAIN = '1';" },
    logLevel: quiet ? 'warning' : 'info',
  });
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
