// Directory benchmark: import of 50,000 members in 1,000 departments up to 15 levels deep from
// an .xlsx written by LibreOffice, on SQLite and on PostgreSQL, with the relay in a child
// process (as `npm run server` runs it). Measures the import end to end (upload → validate →
// apply → done), the relay's peak RSS (VmHWM), a re-import of the same file (nothing changes),
// the export, and the first page of a 5,000-member department over a socket; the baseline is
// exceljs's bare streaming read of the same file in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { HttpPaths, type ImportJob, type SessionGrant } from '../../shared/protocol';
import { convertCsv } from '../support/libreoffice';
import { createEnterprise, createTestDatabase, openClient } from '../support/relay';
import { repoRoot } from './processes';

export interface DirectoryOptions {
  members: number;
  departments: number;
  bigDepartment: number;
  pageRuns: number;
}

export interface StoreResult {
  store: 'sqlite' | 'postgres';
  importMs: number;
  validateMs: number;
  applyMs: number;
  peakRssMb: number;
  reimportMs: number;
  reimportChanged: number;
  exportMs: number;
  exportBytes: number;
  firstPageMs: { median: number; max: number };
}

export interface DirectoryResult {
  members: number;
  departments: number;
  maxDepth: number;
  fileBytes: number;
  bareReadMs: number;
  /** 1-minute load average when the run started: other work on the machine slows every number. */
  loadAverage: number;
  stores: StoreResult[];
}

const ENTERPRISE = '启信科技集团';
const BIG = '客户服务中心';

// Deterministic pseudo-random numbers: the same directory on every run.
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟';
const UNITS = [
  '研发',
  '产品',
  '市场',
  '销售',
  '运营',
  '财务',
  '人力',
  '法务',
  '采购',
  '质量',
  '客服',
  '设计',
  '数据',
  '安全',
  '平台',
];

interface Dept {
  path: string;
  depth: number;
}

/** 1,000 departments: a broad tree plus one branch 15 levels deep. */
function departments(count: number): Dept[] {
  const random = prng(7);
  const out: Dept[] = [];
  const names = new Map<string, number>();
  const add = (parent: Dept | null, base: string) => {
    const prefix = parent ? `${parent.path}/` : '';
    const n = (names.get(prefix + base) ?? 0) + 1;
    names.set(prefix + base, n);
    const d = { path: `${prefix}${base}${n > 1 ? n : ''}`, depth: (parent?.depth ?? 0) + 1 };
    out.push(d);
    return d;
  };
  let deep: Dept | null = null;
  for (let depth = 1; depth <= 15; depth++) deep = add(deep, `${UNITS[depth - 1]}${depth}级`);
  out.push({ path: BIG, depth: 1 });
  for (let i = 0; i < 12; i++) add(null, `${UNITS[i % UNITS.length]}事业部`);
  while (out.length < count) {
    const parent = out[Math.floor(random() * out.length)]!;
    if (parent.depth >= 8 || parent.path === BIG) continue;
    add(parent, `${UNITS[Math.floor(random() * UNITS.length)]}${['部', '组', '中心', '室'][Math.floor(random() * 4)]}`);
  }
  return out;
}

/** The CSV LibreOffice turns into the benchmark's .xlsx. */
export function directoryCsv(o: DirectoryOptions): { csv: string; maxDepth: number } {
  const random = prng(42);
  const depts = departments(o.departments);
  const header = '姓名*,账号*,别名,职务,部门*,性别,手机,座机,邮箱,地址,直属上级,状态';
  const lines = [header];
  const headOf = new Map<string, string>();
  const others = depts.filter((d) => d.path !== BIG);
  const titles = ['工程师', '高级工程师', '经理', '专员', '主管', '总监', '助理', '分析师'];
  for (let i = 0; i < o.members; i++) {
    // The first `bigDepartment` members sit in the big department; the rest spread over the tree.
    const dept = i < o.bigDepartment ? depts.find((d) => d.path === BIG)! : others[i % others.length]!;
    const account = `u${String(i).padStart(6, '0')}`;
    const head = headOf.get(dept.path);
    if (!head) headOf.set(dept.path, account);
    const parentPath = dept.path.includes('/') ? dept.path.slice(0, dept.path.lastIndexOf('/')) : null;
    const manager = head ?? (parentPath ? (headOf.get(parentPath) ?? '') : '');
    // Some people sit in a second department (never the big one, whose size is measured).
    const other = depts[Math.floor(random() * depts.length)]!;
    const second =
      random() < 0.05 && other.path !== BIG && other.path !== dept.path ? `;${ENTERPRISE}/${other.path}` : '';
    const name = `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}${random() < 0.7 ? GIVEN[Math.floor(random() * GIVEN.length)] : ''}`;
    lines.push(
      [
        name,
        account,
        '',
        titles[i % titles.length],
        `${ENTERPRISE}/${dept.path}${second}`,
        random() < 0.5 ? '男' : '女',
        `1${3 + Math.floor(random() * 7)}${String(i).padStart(9, '0')}`,
        random() < 0.3 ? `010-${String(60000000 + i)}` : '',
        `${account}@qixin.example.com`,
        '北京市海淀区中关村大街1号',
        manager === account ? '' : manager,
        '在职',
      ].join(','),
    );
  }
  return { csv: `${lines.join('\n')}\n`, maxDepth: Math.max(...depts.map((d) => d.depth)) };
}

/** exceljs's streaming read of every cell, nothing else: the floor for parsing the file. */
async function bareRead(file: string): Promise<number> {
  const started = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let cells = 0;
  for await (const sheet of reader) for await (const row of sheet) cells += (row.values as unknown[]).length;
  if (cells === 0) throw new Error('nothing read');
  return performance.now() - started;
}

interface RelayChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startRelay(env: Record<string, string>): Promise<RelayChild> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-bench-dir-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const peakRssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
};

async function importFile(url: string, grant: SessionGrant, body: Buffer, mode: string) {
  const auth = { authorization: `Bearer ${grant.token}` };
  const started = performance.now();
  const res = await fetch(`${url}${HttpPaths.imports}?mode=${mode}&createDepartments=1&fileName=bench.xlsx`, {
    method: 'POST',
    headers: auth,
    body: new Uint8Array(body),
  });
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as ImportJob;
  const poll = async (states: string[]) => {
    for (;;) {
      const job = (await (await fetch(`${url}${HttpPaths.importJob(id)}`, { headers: auth })).json()) as ImportJob;
      if (states.includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const ready = await poll(['ready', 'failed']);
  if (ready.state !== 'ready') throw new Error(`validation: ${JSON.stringify(ready.error)}`);
  if (ready.summary!.invalid) throw new Error(`invalid rows: ${JSON.stringify(ready.issues.slice(0, 3))}`);
  const validated = performance.now();
  await fetch(`${url}${HttpPaths.importJob(id)}/apply`, { method: 'POST', headers: auth });
  const done = await poll(['done', 'failed', 'cancelled']);
  if (done.state !== 'done') throw new Error(`apply: ${JSON.stringify(done.error)}`);
  const ended = performance.now();
  return { ready, done, totalMs: ended - started, validateMs: validated - started, applyMs: ended - validated };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchStore(
  store: 'sqlite' | 'postgres',
  file: Buffer,
  o: DirectoryOptions,
  log: (line: string) => void,
): Promise<StoreResult> {
  const database = store === 'postgres' ? await createTestDatabase() : null;
  const relay = await startRelay(database ? { DATABASE_URL: database.url } : {});
  try {
    const admin = await createEnterprise(relay.url, { enterpriseName: ENTERPRISE });
    const first = await importFile(relay.url, admin, file, 'upsert');
    if (first.done.result!.created !== o.members) throw new Error(`created ${first.done.result!.created}`);
    const peak = peakRssMb(relay.pid);
    log(
      `${store}: import ${first.totalMs.toFixed(0)} ms (validate ${first.validateMs.toFixed(0)}, apply ${first.applyMs.toFixed(0)}), peak RSS ${peak.toFixed(0)} MB`,
    );

    const again = await importFile(relay.url, admin, file, 'upsert');
    const changed = again.done.result!.created + again.done.result!.updated + again.done.result!.disabled;
    log(
      `${store}: re-import ${again.totalMs.toFixed(0)} ms (validate ${again.validateMs.toFixed(0)}, apply ${again.applyMs.toFixed(0)}), changed ${changed}`,
    );

    const exportStarted = performance.now();
    const res = await fetch(`${relay.url}${HttpPaths.directoryExport}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const bytes = (await res.arrayBuffer()).byteLength;
    const exportMs = performance.now() - exportStarted;
    log(`${store}: export ${exportMs.toFixed(0)} ms, ${bytes} bytes`);

    const client = await openClient(relay.url, admin);
    const found = await client.request('dir.search', { query: BIG, limit: 5 });
    const big = found.departments.find((d) => d.name === BIG);
    if (!big) throw new Error('the big department was not found');
    const times: number[] = [];
    for (let i = 0; i < o.pageRuns; i++) {
      const t = performance.now();
      const page = await client.request('dir.members', { departmentId: big.id, after: null, limit: 50 });
      times.push(performance.now() - t);
      if (page.total !== o.bigDepartment) throw new Error(`dir.members total ${page.total}`);
    }
    await client.close();
    log(`${store}: dir.members first page median ${median(times).toFixed(1)} ms`);
    return {
      store,
      importMs: first.totalMs,
      validateMs: first.validateMs,
      applyMs: first.applyMs,
      peakRssMb: peak,
      reimportMs: again.totalMs,
      reimportChanged: changed,
      exportMs,
      exportBytes: bytes,
      firstPageMs: { median: median(times), max: Math.max(...times) },
    };
  } finally {
    await relay.stop();
    await database?.drop();
  }
}

export async function benchDirectory(o: DirectoryOptions, log: (line: string) => void): Promise<DirectoryResult> {
  const loadAverage = os.loadavg()[0]!;
  const { csv, maxDepth } = directoryCsv(o);
  log(`directory: converting ${o.members} rows with LibreOffice…`);
  const t = performance.now();
  const { file } = await convertCsv({ file: csv });
  log(`directory: LibreOffice wrote ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const body = fs.readFileSync(file!);
  // Warm the filesystem cache and the module, then measure the bare read.
  await bareRead(file!);
  const bareReadMs = await bareRead(file!);
  log(`directory: bare exceljs read ${bareReadMs.toFixed(0)} ms`);
  const stores: StoreResult[] = [];
  for (const store of ['sqlite', 'postgres'] as const) stores.push(await benchStore(store, body, o, log));
  return {
    members: o.members,
    departments: o.departments,
    maxDepth,
    fileBytes: body.length,
    bareReadMs,
    loadAverage,
    stores,
  };
}
