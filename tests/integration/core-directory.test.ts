// The org directory on real desktop cores: an admin (张三) builds departments and members, and a
// member's core (李四) shows them from its own cache, loses the people the admin hides, re-reads
// the whole directory when a visibility rule changes, and sees an Excel import's new people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult, EventPayload } from '../../shared/contract';
import type { Department, ImportJob, User } from '../../shared/protocol';
import { online, removeTempDirs, startTestCore, waitFor, type TestCore } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { activate } from '../support/relay';
import { newId } from '../../shared/lib/ids';

let relay: RelayForCores;
let zhang: TestCore; // super admin
let li: TestCore; // a member
let rootId: string;
const dept: Record<string, Department> = {};
const people: Record<string, User> = {};

const names = (users: User[]) => users.map((u) => u.name);
let zhangUserId = '';
const members = async (core: TestCore, departmentId: string) =>
  core.call('directory.members', { departmentId, offset: 0, limit: 1000 });
const memberNames = async (core: TestCore, departmentId: string) => names((await members(core, departmentId)).users);
const search = async (core: TestCore, query: string) => core.call('directory.search', { query, limit: 50 });
const departmentNames = async (core: TestCore) =>
  (await core.call('directory.departments')).departments.map((d) => d.name).sort();

/** Everyone the core's cache holds, through the contract: the members of every department it holds. */
async function everyone(core: TestCore): Promise<string[]> {
  const all = new Set<string>();
  for (const d of (await core.call('directory.departments')).departments) {
    for (const u of (await members(core, d.id)).users) all.add(u.name);
  }
  return [...all].sort();
}

beforeAll(async () => {
  relay = await startRelayForCores();
  zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  const session = await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  rootId = session.enterprise!.id;
  zhangUserId = session.user!.id;
  await online(zhang);
  for (const name of ['研发中心', '销售部']) {
    dept[name] = (await zhang.call('admin.dept.create', { parentId: rootId, name })).department;
  }
  // 李四 is created the console's way and activates with his one-time code before signing in.
  const created = await zhang.call('admin.member.create', {
    name: '李四',
    account: 'lisi',
    departmentIds: [dept['销售部']!.id],
  });
  people.li = created.user;
  await activate(relay.url, created.activation.code, 'password-li');
  li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await online(li);
}, 60_000);

afterAll(async () => {
  await Promise.all([zhang, li].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('the directory on desktop cores', () => {
  it("shows a department and a member the admin created on another member's core", async () => {
    people.wang = (
      await zhang.call('admin.member.create', {
        name: '王五',
        account: 'wangwu',
        departmentIds: [dept['研发中心']!.id],
        mobile: '13700137000',
        email: 'wangwu@qixin.cn',
        title: '架构师',
      })
    ).user;
    const changedBefore = li.eventsOf('directory.changed').length;
    await waitFor(async () => (await memberNames(li, dept['研发中心']!.id)).includes('王五'), {
      what: '王五 on 李四’s core',
    });
    expect(await departmentNames(li)).toEqual(['企信科技', '研发中心', '销售部'].sort());
    const [wang] = (await members(li, dept['研发中心']!.id)).users;
    expect(wang).toMatchObject({ account: 'wangwu', title: '架构师', mobile: '13700137000', activated: false });
    // Every key a person types finds him: initials, pinyin, name, account, mobile, email.
    for (const query of ['ww', 'wangwu', '王', 'wangw', '1370013', 'wangwu@']) {
      expect(names((await search(li, query)).users), query).toContain('王五');
    }
    expect((await search(li, '研发')).departments.map((d) => d.name)).toEqual(['研发中心']);
    // The renderer was told (once per burst of pages, not once per row).
    await waitFor(() => li.eventsOf('directory.changed').length > changedBefore, { what: 'directory.changed' });
    // The admin's own core shows what it created at once.
    expect(await memberNames(zhang, dept['研发中心']!.id)).toEqual(['王五']);
  });

  it("removes a member the admin hides from the other member's cache, and keeps them in the admin's", async () => {
    await zhang.call('admin.member.update', { id: people.wang!.id, patch: { hidden: true } });
    await waitFor(async () => (await members(li, dept['研发中心']!.id)).total === 0, { what: '王五 gone for 李四' });
    expect(names((await search(li, 'wangwu')).users)).toEqual([]);
    // Asking for the profile by id does not bring it back: the relay does not hand it out.
    expect((await li.call('directory.users', { ids: [people.wang!.id] })).users).toEqual([]);
    const [hidden] = (await members(zhang, dept['研发中心']!.id)).users;
    expect(hidden).toMatchObject({ name: '王五', hidden: true });
  });

  it('re-reads the directory when a visibility rule changes and ends with exactly the visible people', async () => {
    people.zhao = (
      await zhang.call('admin.member.create', {
        name: '赵六',
        account: 'zhaoliu',
        departmentIds: [dept['研发中心']!.id],
      })
    ).user;
    people.sun = (
      await zhang.call('admin.member.create', { name: '孙七', account: 'sunqi', departmentIds: [rootId] })
    ).user;
    await waitFor(async () => (await everyone(li)).includes('孙七'), { what: '孙七 on 李四’s core' });
    expect(await everyone(li)).toEqual(['孙七', '张三', '李四', '赵六'].sort());

    // Watch 李四's screen while the directory is re-read: it never goes empty.
    let smallest = Infinity;
    const watching = li.core.onEvent((name) => {
      if (name !== 'directory.changed') return;
      void everyone(li).then((all) => (smallest = Math.min(smallest, all.length)));
    });
    // 销售部 sees only 研发中心 (and its own department): 张三 and 孙七 in the root drop out.
    await zhang.call('admin.visibility.set', {
      rules: [
        {
          id: newId(),
          subjectDepartmentIds: [dept['销售部']!.id],
          visibleDepartmentIds: [dept['研发中心']!.id],
        },
      ],
    });
    await waitFor(async () => (await everyone(li)).length === 2, { what: 'the re-read on 李四’s core' });
    watching();
    expect(await everyone(li)).toEqual(['李四', '赵六'].sort());
    expect(names((await search(li, 'sunqi')).users)).toEqual([]);
    expect(smallest).toBeGreaterThanOrEqual(2);
    // The root stays for navigation; the admin's view is untouched.
    expect(await departmentNames(li)).toEqual(['企信科技', '研发中心', '销售部'].sort());
    expect(await everyone(zhang)).toEqual(['孙七', '张三', '李四', '王五', '赵六'].sort());
  });

  it('imports a CSV through the core: preview, apply, progress events, new people on both cores', async () => {
    const text = [
      '姓名*,账号*,别名,职务,部门*,性别,手机,座机,邮箱,地址,直属上级,状态',
      '周八,zhouba,,前端工程师,企信科技/研发中心/前端组,男,13600136000,,zhouba@qixin.cn,,,在职',
      '吴九,wujiu,,,研发中心,女,,,,,zhouba,',
      '郑十,zhengshi,,,销售部,,12345,,,,,', // an invalid mobile: refused, reported
    ].join('\n');
    const started = await zhang.call('admin.import.start', {
      fileName: '新员工.csv',
      base64: Buffer.from(text, 'utf8').toString('base64'),
      mode: 'add',
      createDepartments: true,
    });
    const jobId = started.job.id;
    const jobEvents = () =>
      zhang.eventsOf('admin.import').filter((e: EventPayload<'admin.import'>) => e.job.id === jobId);
    const ready = await waitFor(() => jobEvents().find((e) => e.job.state === 'ready')?.job, {
      what: 'the preview',
    });
    expect(ready.summary).toMatchObject({ rows: 3, valid: 2, invalid: 1, toCreate: 2, departmentsToCreate: 1 });
    expect(ready.issues).toEqual([expect.objectContaining({ row: 4, account: 'zhengshi', codes: ['invalid_mobile'] })]);
    expect((await zhang.call('admin.import.status', { jobId })).job.state).toBe('ready');

    const report = await zhang.call('admin.import.errorReport', { jobId });
    expect(Buffer.from(report.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    expect(report.fileName).toMatch(/\.xlsx$/);

    await zhang.call('admin.import.apply', { jobId });
    const done: ImportJob = await waitFor(() => jobEvents().find((e) => e.job.state === 'done')?.job, {
      what: 'the import applied',
    });
    expect(done.result).toMatchObject({ created: 2, departmentsCreated: 1 });
    // Every change of the job was told, in order, ending with 'done'.
    const states = jobEvents().map((e) => e.job.state);
    expect(states.at(-1)).toBe('done');
    expect(states.indexOf('ready')).toBeLessThan(states.indexOf('done'));

    for (const core of [zhang, li]) {
      await waitFor(async () => (await memberNames(core, dept['研发中心']!.id)).includes('吴九'), {
        what: '吴九 on every core',
      });
      const frontend = (await core.call('directory.departments')).departments.find((d) => d.name === '前端组');
      expect(frontend?.parentId).toBe(dept['研发中心']!.id);
      expect(await memberNames(core, frontend!.id)).toEqual(['周八']);
      expect(names((await search(core, 'zb')).users)).toEqual(['周八']);
    }
    const codes = await zhang.call('admin.import.activations', { jobId });
    expect(Buffer.from(codes.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('downloads the template and the export as .xlsx files', async () => {
    for (const call of ['admin.directory.template', 'admin.directory.export'] as const) {
      const file: CallResult<typeof call> = await zhang.call(call);
      expect(file.fileName).toMatch(/\.xlsx$/);
      expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    }
  });

  it("refuses admin calls from a member, and a member's import, with the relay's reason", async () => {
    await expect(li.call('admin.dept.create', { parentId: rootId, name: '越权部' })).rejects.toMatchObject({
      code: 'forbidden',
      reason: 'not_an_admin',
    });
    await expect(
      li.call('admin.import.start', {
        fileName: 'x.csv',
        base64: Buffer.from('a').toString('base64'),
        mode: 'add',
        createDepartments: false,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      zhang.call('admin.import.start', {
        fileName: 'x.csv',
        base64: '不是base64',
        mode: 'add',
        createDepartments: false,
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
  });

  it('names a chat partner the directory does not show: the profile is fetched for the chat', async () => {
    // Since the rule, 张三 (in the root) is outside 李四's directory view; now he writes to 李四.
    expect(await everyone(li)).not.toContain('张三');
    const { conversation } = await zhang.call('conversations.openDirect', { userId: people.li!.id });
    await zhang.call('messages.send', { conversationId: conversation.id, text: '李四，方便通话吗？' });
    const note = await waitFor(() => li.eventsOf('notification').find((n) => n.conversationId === conversation.id), {
      what: 'the notification on 李四’s core',
    });
    expect(note).toMatchObject({ title: '张三', body: '李四，方便通话吗？' });
    const { users } = await li.call('directory.users', { ids: [zhangUserId] });
    expect(names(users)).toEqual(['张三']);
  });

  it('re-reads on reconnecting when the visibility changed while the core was closed', async () => {
    await li.close();
    // Now 销售部 sees only itself: 研发中心's people leave 李四's view; 张三 stays (they chat).
    await zhang.call('admin.visibility.set', {
      rules: [{ id: newId(), subjectDepartmentIds: [dept['销售部']!.id], visibleDepartmentIds: [dept['销售部']!.id] }],
    });
    li = await startTestCore(relay.url, { dataDir: li.dataDir, deviceName: 'li-pc' });
    // Until the relay answers, the cache shows what it held: nothing is emptied on start.
    expect(await memberNames(li, dept['研发中心']!.id)).toEqual(['吴九', '赵六']);
    await online(li);
    await waitFor(async () => (await members(li, dept['研发中心']!.id)).total === 0, { what: 'the re-read' });
    expect(await everyone(li)).toEqual(['张三', '李四'].sort());
  });

  it('keeps answering from the cache while the relay is away; admin calls say they need it', async () => {
    await relay.stop();
    await waitFor(() => zhang.core.connection().state !== 'online', { what: 'zhang offline' });
    expect(await memberNames(li, dept['销售部']!.id)).toEqual(['李四']);
    expect(names((await search(li, 'zs')).users)).toEqual(['张三']);
    await expect(zhang.call('admin.scope')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('admin console'),
    });
    await expect(zhang.call('admin.directory.export')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
