// `npm run build:electron`: bundles the Electron shell with esbuild.
//   main/electron/main.ts → out/main.js     (ESM, the main process)
//   preload/index.ts      → out/preload.cjs (CommonJS: sandboxed preloads cannot be ESM)
//   server/main.ts        → out/relay.js    (ESM, the embedded relay in a utility process)
// Native and optional modules stay external; electron-builder ships them from node_modules.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out');

/** Native, optional or Electron-provided: never bundled. */
const external = ['electron', 'better-sqlite3', 'pg-native', 'bufferutil', 'utf-8-validate', 'fsevents'];

// Bundled CommonJS dependencies call require() and use __dirname; ESM output has neither.
const esmBanner = [
  "import { createRequire as __qixinCreateRequire } from 'node:module';",
  "import { fileURLToPath as __qixinFileURLToPath } from 'node:url';",
  "import { dirname as __qixinDirname } from 'node:path';",
  'const require = __qixinCreateRequire(import.meta.url);',
  'const __filename = __qixinFileURLToPath(import.meta.url);',
  'const __dirname = __qixinDirname(__filename);',
].join('\n');

/**
 * The relay opens better-sqlite3 without a `nativeBinding` option. Under Electron (npm start)
 * it must load the Electron-ABI build, so the embedded relay's bundle gets a Database that adds
 * QIXIN_SQLITE_BINDING when the shell sets it. Packaged apps leave it unset: electron-builder
 * has already rebuilt node_modules' copy for Electron.
 */
const sqliteBindingShim = {
  name: 'qixin-sqlite-binding',
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
      args.namespace === 'qixin-sqlite'
        ? { path: 'better-sqlite3', external: true }
        : { path: 'better-sqlite3', namespace: 'qixin-sqlite' },
    );
    build.onLoad({ filter: /.*/, namespace: 'qixin-sqlite' }, () => ({
      loader: 'js',
      contents: `
        import Database from 'better-sqlite3';
        const binding = process.env.QIXIN_SQLITE_BINDING;
        export default binding
          ? class extends Database {
              constructor(file, options = {}) {
                super(file, { nativeBinding: binding, ...options });
              }
            }
          : Database;
      `,
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external,
  absWorkingDir: root,
};

const builds = [
  {
    ...common,
    entryPoints: ['main/electron/main.ts'],
    outfile: path.join(outdir, 'main.js'),
    format: 'esm',
    banner: { js: esmBanner },
  },
  {
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: path.join(outdir, 'preload.cjs'),
    format: 'cjs',
    platform: 'browser',
    target: 'es2023',
  },
  {
    ...common,
    entryPoints: ['server/main.ts'],
    outfile: path.join(outdir, 'relay.js'),
    format: 'esm',
    banner: { js: esmBanner },
    plugins: [sqliteBindingShim],
  },
];

const started = Date.now();
await Promise.all(builds.map((options) => esbuild.build(options)));
console.log(`build:electron: out/main.js, out/preload.cjs, out/relay.js in ${Date.now() - started} ms`);
