// Group management as group members meet it, through the raw protocol: the owner and the group
// admins, handing a group over, dissolving it, the announcement and its history, the welcome
// message, mute-all, managers-only, and each user's own tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, ErrorBody, EventPayload } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';

type Who = 'zhang' | 'li' | 'wang' | 'zhao' | 'sun';
let relay: TestRelay;
let admin: TestClient;
const people = {} as Record<Who, { id: string; password: string }>;
const clients: TestClient[] = [];

async function as(who: Who, device = 'desk'): Promise<TestClient> {
  const c = await openClient(relay.url, await signIn(relay.url, who, people[who].password, device));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  clients.push(admin);
  for (const [who, name] of [
    ['zhang', '张伟'],
    ['li', '李娜'],
    ['wang', '王芳'],
    ['zhao', '赵磊'],
    ['sun', '孙丽'],
  ] as const) {
    const { user, password } = await addMember(admin, { name, account: who });
    people[who] = { id: user.id, password };
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay?.close();
});

/** The refusal as the relay said it: code and reason. */
async function refusal(p: Promise<unknown>): Promise<Pick<ErrorBody, 'code' | 'reason'>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RequestError) return { code: err.error.code, reason: err.error.reason };
    throw err;
  }
  throw new Error('expected the relay to refuse');
}

const say = (client: TestClient, conversationId: string, text: string) =>
  client.request('msg.send', { id: newId(), conversationId, text });

/** The next view of this group that reaches the client through its change stream and satisfies `match`. */
async function nextView(
  client: TestClient,
  conversationId: string,
  match: (c: Conversation) => boolean = () => true,
): Promise<Conversation> {
  const { change } = await client.nextEvent(
    'change',
    (p: EventPayload<'change'>) =>
      p.change.kind === 'conversation' && p.change.conversation.id === conversationId && match(p.change.conversation),
  );
  return (change as { conversation: Conversation }).conversation;
}

const notice = (client: TestClient, conversationId: string, action: string) =>
  client.nextEvent(
    'msg.new',
    (p) => p.message.conversationId === conversationId && p.message.system?.action === action,
  );

async function newGroup(owner: TestClient, members: Who[], name: string): Promise<Conversation> {
  const { conversation } = await owner.request('conv.create', {
    type: 'group',
    memberIds: members.map((m) => people[m].id),
    name,
  });
  return conversation;
}

describe('owner and admins', () => {
  it('the owner names and removes admins; plain members and admins are refused owner actions, with reasons', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const wang = await as('wang');
    const g = await newGroup(zhang, ['li', 'wang', 'zhao'], '管理测试');
    expect(g.adminIds).toEqual([]);

    const set = await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id] });
    expect(set.conversation.adminIds).toEqual([people.li.id]);
    expect((await notice(wang, g.id, 'admins')).message.system).toMatchObject({
      actorId: people.zhang.id,
      targetIds: [people.li.id],
    });
    expect((await nextView(wang, g.id, (c) => c.adminIds.length > 0)).adminIds).toEqual([people.li.id]);

    // A plain member: every owner or manager action is refused, saying which rule.
    const notOwner = { code: 'forbidden', reason: 'not_group_owner' };
    const notManager = { code: 'forbidden', reason: 'not_group_manager' };
    expect(await refusal(wang.request('group.setAdmins', { conversationId: g.id, userIds: [] }))).toEqual(notOwner);
    expect(await refusal(wang.request('group.transfer', { conversationId: g.id, userId: people.wang.id }))).toEqual(
      notOwner,
    );
    expect(await refusal(wang.request('group.dissolve', { conversationId: g.id }))).toEqual(notOwner);
    expect(await refusal(wang.request('group.setAnnouncement', { conversationId: g.id, text: '我说了算' }))).toEqual(
      notManager,
    );
    expect(await refusal(wang.request('group.setSettings', { conversationId: g.id, muteAll: true }))).toEqual(
      notManager,
    );
    expect(await refusal(wang.request('conv.removeMember', { conversationId: g.id, userId: people.zhao.id }))).toEqual(
      notManager,
    );
    // An admin manages, but owner actions stay the owner's; admins cannot remove the owner.
    expect(await refusal(li.request('group.setAdmins', { conversationId: g.id, userIds: [] }))).toEqual(notOwner);
    expect(await refusal(li.request('group.dissolve', { conversationId: g.id }))).toEqual(notOwner);
    expect(await refusal(li.request('conv.removeMember', { conversationId: g.id, userId: people.zhang.id }))).toEqual(
      notOwner,
    );
    // Admins must be members; outsiders learn nothing but that they are not in it.
    expect(await refusal(zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.sun.id] }))).toEqual(
      { code: 'invalid', reason: 'target_not_member' },
    );
    expect(await refusal(admin.request('group.setAnnouncement', { conversationId: g.id, text: 'x' }))).toEqual({
      code: 'forbidden',
      reason: 'not_a_member',
    });
    // More than ten admins never pass the request's schema.
    const eleven = Array.from({ length: 11 }, () => newId());
    expect((await refusal(zhang.request('group.setAdmins', { conversationId: g.id, userIds: eleven }))).code).toBe(
      'invalid',
    );

    // The admin removes a plain member; nothing of the refusals above changed the group.
    const removed = await li.request('conv.removeMember', { conversationId: g.id, userId: people.zhao.id });
    expect(removed.conversation.memberIds).toEqual([people.zhang.id, people.li.id, people.wang.id]);

    // Unsetting: the list is replaced.
    const unset = await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [] });
    expect(unset.conversation.adminIds).toEqual([]);
    expect(await refusal(li.request('group.setAnnouncement', { conversationId: g.id, text: 'x' }))).toEqual(notManager);
  });

  it('direct chats have no group management', async () => {
    const zhang = await as('zhang');
    const { conversation } = await zhang.request('conv.create', { type: 'direct', memberIds: [people.li.id] });
    const notAGroup = { code: 'invalid', reason: 'not_a_group' };
    expect(await refusal(zhang.request('group.setAdmins', { conversationId: conversation.id, userIds: [] }))).toEqual(
      notAGroup,
    );
    expect(await refusal(zhang.request('group.dissolve', { conversationId: conversation.id }))).toEqual(notAGroup);
    expect(await refusal(zhang.request('group.announcements', { conversationId: conversation.id }))).toEqual(notAGroup);
    expect(await refusal(zhang.request('conv.leave', { conversationId: conversation.id }))).toEqual(notAGroup);
  });

  it('transfer: the new owner stops being an admin, the old owner stays as a plain member', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const g = await newGroup(zhang, ['li', 'wang'], '转让测试');
    await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id] });
    expect(await refusal(zhang.request('group.transfer', { conversationId: g.id, userId: people.sun.id }))).toEqual({
      code: 'invalid',
      reason: 'target_not_member',
    });

    const { conversation } = await zhang.request('group.transfer', { conversationId: g.id, userId: people.li.id });
    expect(conversation).toMatchObject({ ownerId: people.li.id, adminIds: [] });
    expect(conversation.memberIds).toContain(people.zhang.id);
    expect((await notice(li, g.id, 'transferred')).message.system).toMatchObject({
      actorId: people.zhang.id,
      targetIds: [people.li.id],
    });
    expect((await nextView(li, g.id, (c) => c.ownerId === people.li.id)).adminIds).toEqual([]);
    // Zhang is a plain member now; Li holds the owner's rights.
    expect(await refusal(zhang.request('group.dissolve', { conversationId: g.id }))).toEqual({
      code: 'forbidden',
      reason: 'not_group_owner',
    });
    const adm = await li.request('group.setAdmins', { conversationId: g.id, userIds: [people.zhang.id] });
    expect(adm.conversation.adminIds).toEqual([people.zhang.id]);
  });

  it('an owner who leaves hands over to the longest-standing member, who is then no admin', async () => {
    const zhang = await as('zhang');
    const g = await newGroup(zhang, ['li', 'wang'], '交接测试');
    await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id, people.wang.id] });
    await zhang.request('conv.leave', { conversationId: g.id });
    const li = await as('li');
    const view = (await li.request('sync.snapshot', {})).conversations.find((c) => c.id === g.id)!;
    expect(view).toMatchObject({ ownerId: people.li.id, adminIds: [people.wang.id] });
  });
});

describe('dissolving', () => {
  it('ends the group for everyone: sends and changes refused, history readable up to the notice', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const wang = await as('wang');
    const g = await newGroup(zhang, ['li', 'wang'], '解散测试');
    await say(li, g.id, '解散前的最后一句');
    await zhang.request('group.dissolve', { conversationId: g.id });

    for (const member of [zhang, li, wang]) {
      const view = await nextView(member, g.id, (c) => c.dissolved);
      expect(view).toMatchObject({ dissolved: true, active: false });
      const dissolvedNotice = await notice(member, g.id, 'dissolved');
      expect(view.lastSeq).toBe(dissolvedNotice.message.seq);
    }
    const dissolved = { code: 'conflict', reason: 'group_dissolved' };
    for (const member of [zhang, li, wang]) {
      expect(await refusal(say(member, g.id, '还有人吗'))).toEqual(dissolved);
    }
    expect(await refusal(zhang.request('group.setAnnouncement', { conversationId: g.id, text: 'x' }))).toEqual(
      dissolved,
    );
    expect(await refusal(zhang.request('conv.addMembers', { conversationId: g.id, userIds: [people.sun.id] }))).toEqual(
      dissolved,
    );
    expect(await refusal(li.request('conv.rename', { conversationId: g.id, name: '复活' }))).toEqual(dissolved);
    expect(await refusal(li.request('conv.leave', { conversationId: g.id }))).toEqual(dissolved);

    const history = await wang.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 50 });
    expect(history.messages.map((m) => m.system?.action ?? m.text)).toEqual([
      'created',
      '解散前的最后一句',
      'dissolved',
    ]);
    // One's own pins stay one's own business.
    const pinned = await wang.request('conv.setPrefs', { conversationId: g.id, pinned: true });
    expect(pinned.conversation).toMatchObject({ pinned: true, dissolved: true });
  });
});

describe('announcement', () => {
  it('every edit is a version; history newest first; a member added later sees the current one', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const g = await newGroup(zhang, ['li', 'wang'], '公告测试');
    await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id] });

    const first = await zhang.request('group.setAnnouncement', { conversationId: g.id, text: '周五前提交周报' });
    expect(first.conversation.announcement).toMatchObject({
      text: '周五前提交周报',
      authorId: people.zhang.id,
      version: 1,
    });
    expect((await notice(li, g.id, 'announcement')).message.system?.name).toBe('周五前提交周报');
    // An admin edits it; then it is cleared, then written again.
    await li.request('group.setAnnouncement', { conversationId: g.id, text: '周四前提交周报，周五评审' });
    const cleared = await zhang.request('group.setAnnouncement', { conversationId: g.id, text: '' });
    expect(cleared.conversation.announcement).toBeNull();
    await li.request('group.setAnnouncement', { conversationId: g.id, text: '下周一全员会议 10:00' });

    const wang = await as('wang');
    const { announcements } = await wang.request('group.announcements', { conversationId: g.id });
    expect(announcements.map((a) => [a.version, a.text, a.authorId])).toEqual([
      [4, '下周一全员会议 10:00', people.li.id],
      [3, '', people.zhang.id],
      [2, '周四前提交周报，周五评审', people.li.id],
      [1, '周五前提交周报', people.zhang.id],
    ]);

    // Someone invited now sees the current announcement in their own view of the group.
    const sun = await as('sun');
    await li.request('conv.addMembers', { conversationId: g.id, userIds: [people.sun.id] });
    const sunView = await nextView(sun, g.id);
    expect(sunView.announcement).toMatchObject({ text: '下周一全员会议 10:00', version: 4 });
    const snapshotView = (await sun.request('sync.snapshot', {})).conversations.find((c) => c.id === g.id)!;
    expect(snapshotView.announcement?.text).toBe('下周一全员会议 10:00');
    // Outsiders cannot read the history.
    expect(await refusal(admin.request('group.announcements', { conversationId: g.id }))).toEqual({
      code: 'forbidden',
      reason: 'not_a_member',
    });
  });
});

describe('settings', () => {
  it('a welcome notice follows the added notice, for the people just added', async () => {
    const zhang = await as('zhang');
    const g = await newGroup(zhang, ['li'], '欢迎测试');
    const set = await zhang.request('group.setSettings', { conversationId: g.id, welcome: '  欢迎加入，先看群公告  ' });
    expect(set.conversation.welcome).toBe('欢迎加入，先看群公告');
    const zhao = await as('zhao');
    await zhang.request('conv.addMembers', { conversationId: g.id, userIds: [people.zhao.id, people.wang.id] });
    const added = await notice(zhao, g.id, 'added');
    const welcome = await notice(zhao, g.id, 'welcome');
    expect(welcome.message.seq).toBe(added.message.seq + 1);
    expect(welcome.message.system).toMatchObject({ name: '欢迎加入，先看群公告' });
    expect(welcome.message.system!.targetIds.sort()).toEqual([people.zhao.id, people.wang.id].sort());
    // The new members read both from the start of their membership.
    const history = await zhao.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 50 });
    expect(history.messages.map((m) => m.system?.action)).toEqual(['created', 'added', 'welcome']);
  });

  it('mute-all: plain members cannot send, the owner and admins can; unmuting lets everyone speak', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const wang = await as('wang');
    const g = await newGroup(zhang, ['li', 'wang'], '禁言测试');
    await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id] });
    const muted = await li.request('group.setSettings', { conversationId: g.id, muteAll: true });
    expect(muted.conversation.muteAll).toBe(true);
    expect((await notice(wang, g.id, 'muteAll')).message.system?.actorId).toBe(people.li.id);

    expect(await refusal(say(wang, g.id, '我能说话吗'))).toEqual({ code: 'forbidden', reason: 'group_muted' });
    await say(zhang, g.id, '群主发言');
    await say(li, g.id, '管理员发言');

    await zhang.request('group.setSettings', { conversationId: g.id, muteAll: false });
    await notice(wang, g.id, 'unmuteAll');
    await say(wang, g.id, '终于可以说话了');
    const history = await wang.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 50 });
    expect(history.messages.map((m) => m.system?.action ?? m.text)).toEqual([
      'created',
      'admins',
      'muteAll',
      '群主发言',
      '管理员发言',
      'unmuteAll',
      '终于可以说话了',
    ]);
  });

  it('managers-only: plain members can no longer invite or rename; admins still can', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const wang = await as('wang');
    const g = await newGroup(zhang, ['li', 'wang'], '仅管理员');
    await zhang.request('group.setAdmins', { conversationId: g.id, userIds: [people.li.id] });
    // Before the setting, anyone may rename.
    await wang.request('conv.rename', { conversationId: g.id, name: '王芳改的名' });
    const set = await zhang.request('group.setSettings', { conversationId: g.id, managersOnly: true });
    expect(set.conversation.managersOnly).toBe(true);
    expect((await nextView(wang, g.id, (c) => c.managersOnly)).managersOnly).toBe(true);

    const notManager = { code: 'forbidden', reason: 'not_group_manager' };
    expect(await refusal(wang.request('conv.rename', { conversationId: g.id, name: '再改一次' }))).toEqual(notManager);
    expect(await refusal(wang.request('conv.addMembers', { conversationId: g.id, userIds: [people.sun.id] }))).toEqual(
      notManager,
    );
    const renamed = await li.request('conv.rename', { conversationId: g.id, name: '管理员改的名' });
    expect(renamed.conversation.name).toBe('管理员改的名');
    const invited = await li.request('conv.addMembers', { conversationId: g.id, userIds: [people.sun.id] });
    expect(invited.conversation.memberIds).toContain(people.sun.id);
  });
});

describe('tags', () => {
  it("are one user's own, trimmed and deduplicated, and follow them to their other device", async () => {
    const laptop = await as('zhao', 'laptop');
    const phone = await as('zhao', 'phone');
    const g = await newGroup(laptop, ['li'], '标签测试');
    const { conversation } = await laptop.request('conv.setPrefs', {
      conversationId: g.id,
      tags: [' 项目 ', '项目', '重要'],
    });
    expect(conversation.tags).toEqual(['项目', '重要']);
    const synced = await nextView(phone, g.id, (c) => c.tags.length > 0);
    expect(synced.tags).toEqual(['项目', '重要']);

    const li = await as('li');
    const liView = (await li.request('sync.snapshot', {})).conversations.find((c) => c.id === g.id)!;
    expect(liView.tags).toEqual([]);
    // Too many tags never pass the schema; the tags stay as they were.
    const eleven = Array.from({ length: 11 }, (_, i) => `标签${i}`);
    expect((await refusal(phone.request('conv.setPrefs', { conversationId: g.id, tags: eleven }))).code).toBe(
      'invalid',
    );
    const after = (await phone.request('sync.snapshot', {})).conversations.find((c) => c.id === g.id)!;
    expect(after.tags).toEqual(['项目', '重要']);
  });
});
