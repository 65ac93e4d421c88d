// `npm run dist`: installers with electron-builder (electron-builder.yml). electron-builder
// rebuilds node_modules/better-sqlite3 in place for Electron's ABI (npmRebuild), which would
// break the Node-side tests afterwards, so the Node build is restored whatever happens.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell }).status ?? 1;

let status = run('npm', ['run', 'build']);
if (status === 0) {
  status = run('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
  console.log('\n重新为 Node 编译 better-sqlite3… / Restoring the Node build of better-sqlite3…');
  if (run('npm', ['rebuild', 'better-sqlite3']) !== 0) {
    console.error('npm rebuild better-sqlite3 failed: run it by hand before `npm test`.');
    status ||= 1;
  }
}
process.exit(status);
