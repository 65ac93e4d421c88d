// The people of the messaging tests: 张三 (admin, owner of the group), 李四 on two devices and
// 王五, each on a real desktop core against one real relay, with a group of the three.
import type { CallArgs, ChatMessage } from '../../shared/contract';
import { history, online, startTestCore, waitFor, type TestCore } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';

export type People = {
  relay: RelayForCores;
  zhang: TestCore;
  li: TestCore;
  /** 李四's second device. */
  li2: TestCore;
  wang: TestCore;
  ids: { zhang: string; li: string; wang: string };
  groupId: string;
};

export async function startPeople(): Promise<People> {
  const relay = await startRelayForCores();
  const zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  const admin = await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const add = async (name: string, account: string) =>
    (await zhang.call('directory.addMember', { name, account, password: `password-${account}` })).user.id;
  const ids = { zhang: admin.user!.id, li: await add('李四', 'lisi'), wang: await add('王五', 'wangwu') };
  const li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  const li2 = await startTestCore(relay.url, { deviceName: 'li-laptop' });
  const wang = await startTestCore(relay.url, { deviceName: 'wang-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-lisi' });
  await li2.call('session.signIn', { login: 'lisi', password: 'password-lisi' });
  await wang.call('session.signIn', { login: 'wangwu', password: 'password-wangwu' });
  await Promise.all([zhang, li, li2, wang].map(online));
  const { conversation } = await zhang.call('conversations.createGroup', {
    memberIds: [ids.li, ids.wang],
    name: '项目群',
  });
  for (const core of [li, li2, wang]) {
    await waitFor(
      async () => (await core.call('conversations.list')).conversations.some((c) => c.id === conversation.id),
      {
        what: 'group on every core',
      },
    );
  }
  return { relay, zhang, li, li2, wang, ids, groupId: conversation.id };
}

export async function stopPeople(p: People | undefined): Promise<void> {
  if (!p) return;
  await Promise.all([p.zhang, p.li, p.li2, p.wang].map((c) => c.close()));
  await p.relay.close();
}

/** The message with `id` as `core` shows it, once it is there and matches `check`. */
export async function seen(
  core: TestCore,
  conversationId: string,
  id: string,
  check: (m: ChatMessage) => boolean = () => true,
  what = 'message',
): Promise<ChatMessage> {
  return waitFor(async () => (await history(core, conversationId)).find((m) => m.id === id && check(m)), { what });
}

/** Sends and waits until the relay stored it; returns the stored message as the sender shows it. */
export async function sent(core: TestCore, args: CallArgs<'messages.send'>): Promise<ChatMessage> {
  const { message } = await core.call('messages.send', args);
  return seen(core, args.conversationId, message.id, (m) => m.status !== 'sending', 'send answered');
}
