// `npm run admin -- import|export|template …` on the relay host: the same import/export as the
// admin HTTP API, run directly against the store the relay uses (same DATA_DIR / DATABASE_URL,
// see server/config.ts). With REDIS_URL set, the directory change and sign-outs reach the
// relay nodes' clients at once; otherwise clients pick the change up on their next sync.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { finished } from 'node:stream/promises';
import { ImportMode, type ImportJob } from '../../shared/protocol';
import type { Bus } from '../bus/bus';
import { LocalBus } from '../bus/local-bus';
import { RedisBus } from '../bus/redis-bus';
import { configFromEnv } from '../config';
import { DirectoryIo } from '../directory-io/jobs';
import { createDomain, Fanout } from '../domain';
import type { AdminScope } from '../domain/directory/scope';
import { setLogLevel } from '../log';
import { openStore } from '../store/database';

const USAGE = `usage:
  npm run admin -- import <file.xlsx|file.csv> --mode add|upsert|sync [--create-departments] [--yes]
  npm run admin -- export <file.xlsx>
  npm run admin -- template <file.xlsx>

import  validates the file and prints a preview; with --yes (or after you confirm) it writes the
        valid rows in one transaction. Refused rows go to <file>.errors.xlsx next to the input,
        activation codes of new members to <file>.activations.xlsx.
        add = 仅新增, upsert = 新增并更新, sync = 全量覆盖 (members absent from the file are disabled)
export  writes every member and department to an .xlsx with the template's columns
template writes the import template
The store is the relay's: DATA_DIR or DATABASE_URL, as for \`npm run server\`.`;

type Command =
  | { kind: 'import'; file: string; mode: ImportMode; createDepartments: boolean; yes: boolean }
  | { kind: 'export' | 'template'; file: string };

class UsageError extends Error {}

export function parseArgs(argv: string[]): Command {
  const [kind, ...rest] = argv;
  const flags = rest.filter((a) => a.startsWith('--'));
  const positional = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--mode');
  if (kind === 'export' || kind === 'template') {
    if (positional.length !== 1 || flags.length) throw new UsageError(`${kind} takes one file name and no options`);
    if (!positional[0]!.toLowerCase().endsWith('.xlsx')) throw new UsageError(`${kind} writes an .xlsx file`);
    return { kind, file: positional[0]! };
  }
  if (kind !== 'import') throw new UsageError(kind ? `unknown command "${kind}"` : 'missing command');
  if (positional.length !== 1) throw new UsageError('import takes exactly one file');
  const modeAt = rest.indexOf('--mode');
  const mode = ImportMode.safeParse(modeAt >= 0 ? rest[modeAt + 1] : undefined);
  if (!mode.success) throw new UsageError('--mode must be add, upsert or sync');
  const known = new Set(['--mode', '--create-departments', '--yes']);
  const unknown = flags.find((f) => !known.has(f));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  return {
    kind,
    file: positional[0]!,
    mode: mode.data,
    createDepartments: flags.includes('--create-departments'),
    yes: flags.includes('--yes'),
  };
}

const SUPER: AdminScope = { superAdmin: true, departmentIds: [], rights: ['directory', 'apps', 'customers'] };
const say = (line = '') => process.stdout.write(`${line}\n`);

function printPreview(job: ImportJob) {
  const s = job.summary!;
  say(`文件 ${job.fileName}：共 ${s.rows} 行，有效 ${s.valid} 行，有误 ${s.invalid} 行`);
  say(
    `将新增 ${s.toCreate} 人，更新 ${s.toUpdate} 人，不变 ${s.unchanged} 人` +
      (job.mode === 'sync' ? `，停用 ${s.toDisable} 人` : '') +
      `，新建部门 ${s.departmentsToCreate} 个`,
  );
  for (const issue of job.issues.slice(0, 20))
    say(`  第 ${issue.row} 行${issue.account ? `（${issue.account}）` : ''}：${issue.message}`);
  if (s.invalid > 20) say(`  …… 其余 ${s.invalid - 20} 行见错误报告`);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|是)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  setLogLevel(process.env.LOG_LEVEL || 'warn');
  const config = configFromEnv();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir! });
  let bus: Bus = new LocalBus();
  try {
    if (config.redisUrl) bus = await RedisBus.connect(config.redisUrl, config.busChannel ?? 'qixin:bus');
    const fanout = new Fanout(bus);
    const domain = createDomain({ ...store, fanout, now: Date.now });
    const io = new DirectoryIo({
      db: store.db,
      dialect: store.dialect,
      transaction: store.transaction,
      changes: domain.changes,
      fanout,
      now: Date.now,
      uploadDir: fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-admin-')),
    });
    try {
      return await run(io, command);
    } finally {
      io.close();
    }
  } finally {
    // Let a last publish leave before the bus closes.
    if (config.redisUrl) await new Promise((r) => setTimeout(r, 200));
    await bus.close();
    await store.close();
  }
}

async function run(io: DirectoryIo, command: Command): Promise<number> {
  if (command.kind !== 'import') {
    const out = fs.createWriteStream(command.file);
    if (command.kind === 'export') await io.export(out, SUPER);
    else await io.template(out);
    await finished(out);
    say(`已写入 ${command.file}`);
    return 0;
  }
  if (!fs.existsSync(command.file)) {
    process.stderr.write(`no such file: ${command.file}\n`);
    return 1;
  }
  const upload = io.uploadPath();
  fs.copyFileSync(command.file, upload);
  const started = io.startImport(upload, {
    fileName: path.basename(command.file),
    mode: command.mode,
    createDepartments: command.createDepartments,
    owner: { userId: null, scope: SUPER },
    via: 'cli',
  });
  const entry = io.entry(started.id, null);
  const preview = await io.settled(entry);
  if (preview.state === 'failed') {
    process.stderr.write(`${preview.error!.message}\n`);
    return 1;
  }
  printPreview(preview);
  const base = command.file.replace(/\.(xlsx|csv)$/i, '');
  if (preview.summary!.invalid > 0) {
    const report = `${base}.errors.xlsx`;
    const out = fs.createWriteStream(report);
    await io.errorReport(entry, out);
    await finished(out);
    say(`错误报告：${report}`);
  }
  if (preview.summary!.valid === 0 && preview.summary!.toDisable === 0) {
    say('没有可导入的行，未写入任何内容');
    return preview.summary!.invalid > 0 ? 1 : 0;
  }
  if (!command.yes && !(await confirm('确认导入？输入 y 继续：'))) {
    say('未写入任何内容（加 --yes 直接导入）');
    return 0;
  }
  io.apply(entry);
  const done = await io.settled(entry);
  if (done.state !== 'done') {
    process.stderr.write(`${done.error?.message ?? `导入${done.state}`}\n`);
    return 1;
  }
  const r = done.result!;
  say(
    `导入完成：新增 ${r.created} 人，更新 ${r.updated} 人，停用 ${r.disabled} 人，新建部门 ${r.departmentsCreated} 个`,
  );
  if (r.created > 0) {
    const codes = `${base}.activations.xlsx`;
    const out = fs.createWriteStream(codes);
    await io.activationReport(entry, out);
    await finished(out);
    say(`新成员的激活码：${codes}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
