// `npm start`: the desktop app in development.
//   1. Electron's binary: if missing, try its installer once; if that fails, explain and exit 1.
//   2. Build the renderer and the Electron bundles.
//   3. better-sqlite3 for Electron's ABI into out/native/ (node_modules keeps the Node build
//      that tests use); the shell passes its path on as `nativeBinding`.
//   4. Launch Electron on the app (package.json "main": out/main.js).
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronDir = path.join(root, 'node_modules', 'electron');
const isWindows = process.platform === 'win32';

function electronBinary() {
  try {
    const binary = require('electron'); // the package's main returns the binary's path
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: isWindows, ...options });
  return result.status === 0;
}

function explainAndExit(zh, en) {
  console.error(`\n${zh}\n\n${en}\n`);
  process.exit(1);
}

// 1. Electron's binary.
let electron = electronBinary();
if (!electron) {
  console.log('Electron 的可执行文件尚未安装，正在下载… / Electron binary missing, downloading it…');
  run(process.execPath, [path.join(electronDir, 'install.js')]);
  electron = electronBinary();
}
if (!electron) {
  explainAndExit(
    [
      '无法在本机下载 Electron（可能没有连接到 github.com 或其镜像），所以桌面客户端无法启动。',
      '可以改用浏览器模式：运行 `npm run web`，它会启动中继服务器和桌面核心，',
      '并给出一个地址，用任意浏览器打开即可使用同样的界面。',
      '若有镜像，可设置 ELECTRON_MIRROR 后再运行 `npm start`。',
    ].join('\n'),
    [
      'Electron could not be downloaded on this machine (no access to github.com or a mirror),',
      'so the desktop client cannot start. Use browser mode instead: `npm run web` starts the',
      'relay and the desktop core and prints an address; open it in any browser for the same UI.',
      'With a mirror, set ELECTRON_MIRROR and run `npm start` again.',
    ].join('\n'),
  );
}

// 2. Bundles.
if (!run('npm', ['run', 'build']))
  explainAndExit('构建失败（见上方输出）。', 'The build failed (see the output above).');

// 3. better-sqlite3 built for this Electron.
const electronVersion = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
const nativeDir = path.join(root, 'out', 'native');
const binding = path.join(
  nativeDir,
  `better_sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`,
);
if (!fs.existsSync(binding)) buildSqliteForElectron(electronVersion, binding);

// 4. Launch.
const args = ['.'];
// Chromium refuses to run as root with its sandbox on (containers, CI machines).
if (process.platform === 'linux' && process.getuid?.() === 0) {
  console.warn('以 root 运行：已关闭 Chromium 沙箱。/ Running as root: Chromium sandbox disabled (--no-sandbox).');
  args.push('--no-sandbox');
}
const child = spawn(electron, [...args, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, QIXIN_SQLITE_BINDING: binding },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

/**
 * Compiles a copy of node_modules/better-sqlite3 against Electron's headers (node-gyp downloads
 * them from electronjs.org), then keeps only the .node file.
 */
function buildSqliteForElectron(version, target) {
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-sqlite-'));
  const copy = path.join(work, 'better-sqlite3');
  console.log(`为 Electron ${version} 编译 better-sqlite3… / Building better-sqlite3 for Electron ${version}…`);
  fs.cpSync(source, copy, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'build')) });
  const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const ok = run(
    process.execPath,
    [
      gyp,
      'rebuild',
      '--release',
      `--target=${version}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: copy, env: { ...process.env, npm_config_devdir: path.join(os.homedir(), '.electron-gyp') } },
  );
  const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!ok || !fs.existsSync(built)) {
    fs.rmSync(work, { recursive: true, force: true });
    explainAndExit(
      [
        `无法为 Electron ${version} 编译 better-sqlite3：需要从 electronjs.org 下载 Electron 头文件，`,
        '并需要 C++ 编译工具（Linux：build-essential、python3；Windows：Visual Studio Build Tools；',
        'macOS：Xcode 命令行工具）。可以改用浏览器模式：`npm run web`。',
      ].join('\n'),
      [
        `Could not build better-sqlite3 for Electron ${version}: this needs Electron's headers from`,
        'electronjs.org and a C++ toolchain (Linux: build-essential, python3; Windows: Visual Studio',
        'Build Tools; macOS: Xcode command-line tools). Browser mode works without it: `npm run web`.',
      ].join('\n'),
    );
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(built, target);
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`better-sqlite3 → ${path.relative(root, target)}`);
}
