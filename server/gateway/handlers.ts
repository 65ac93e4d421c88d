// One handler per request type (hello is the Connection's own business). Each returns
// the result value; a QixinError thrown here becomes the error result of that frame.
import type { RequestResult, RequestType, requests } from '../../shared/protocol';
import type { z } from 'zod';
import type { Domain } from '../domain';
import { calendarHandlers } from './calendar-handlers';
import { driveHandlers } from './drive-handlers';

export interface Session {
  userId: string;
  deviceId: string;
}

type Params<T extends RequestType> = z.infer<(typeof requests)[T]['params']>;
export type Handlers = {
  [T in Exclude<RequestType, 'hello'>]: (
    domain: Domain,
    session: Session,
    params: Params<T>,
  ) => Promise<RequestResult<T>>;
};

export const handlers: Handlers = {
  'sync.changes': (d, s, p) => d.changes.read(s.userId, p.after),
  'sync.snapshot': (d, s) => d.changes.snapshot(s.userId),
  'dir.sync': (d, s, p) => d.directory.sync(s.userId, p.kind, p.after, p.limit),
  'dir.users': async (d, s, p) => ({ users: await d.directory.users(s.userId, p.ids) }),
  'dir.search': (d, s, p) => d.directory.search(s.userId, p.query, p.limit),
  'dir.members': (d, s, p) => d.directory.members(s.userId, p.departmentId, p.after, p.limit),
  'admin.scope': (d, s) => d.directory.scope(s.userId),
  'admin.dept.create': async (d, s, p) => ({ department: await d.directory.createDepartment(s.userId, p) }),
  'admin.dept.update': async (d, s, p) => ({ department: await d.directory.updateDepartment(s.userId, p) }),
  'admin.dept.delete': async (d, s, p) => {
    await d.directory.deleteDepartment(s.userId, p.id);
    return {};
  },
  'admin.member.create': (d, s, p) => d.directory.createMember(s.userId, p),
  'admin.member.update': async (d, s, p) => ({ user: await d.directory.updateMember(s.userId, p.id, p.patch) }),
  'admin.member.activation': async (d, s, p) => ({ activation: await d.directory.activation(s.userId, p.userId) }),
  'admin.roles.get': (d, s) => d.directory.roles(s.userId),
  'admin.roles.set': async (d, s, p) => {
    await d.directory.setRole(s.userId, p);
    return {};
  },
  'admin.visibility.get': async (d, s) => ({ rules: await d.directory.visibilityRules(s.userId) }),
  'admin.visibility.set': async (d, s, p) => ({ rules: await d.directory.setVisibilityRules(s.userId, p.rules) }),
  'admin.audit': (d, s, p) => d.directory.audit(s.userId, p),
  'sync.heads': async (d, s) => ({ heads: await d.messages.heads(s.userId) }),
  'msg.range': (d, s, p) => d.messages.range(s.userId, p.conversationId, p.afterSeq, p.limit),
  'msg.send': async (d, s, p) => ({ message: await d.messages.send(s.userId, p) }),
  'msg.updates': (d, s, p) => d.messageActions.updates(s.userId, p.conversationId, p.afterRev, p.limit),
  'msg.recall': async (d, s, p) => ({
    message: await d.messageActions.recall(s.userId, p.conversationId, p.messageId),
  }),
  'msg.react': async (d, s, p) => ({
    message: await d.messageActions.react(s.userId, p.conversationId, p.messageId, p.emoji, p.on),
  }),
  'msg.hide': async (d, s, p) => {
    await d.messageActions.hide(s.userId, p.conversationId, p.messageIds);
    return {};
  },
  'fav.add': async (d, s, p) => ({ favorites: await d.favorites.add(s.userId, p.conversationId, p.messageIds) }),
  'fav.list': (d, s, p) => d.favorites.list(s.userId, p.before, p.limit),
  'fav.remove': async (d, s, p) => {
    await d.favorites.remove(s.userId, p.ids);
    return {};
  },
  'msg.search': (d, s, p) => d.search.messages(s.userId, p),
  'msg.read': (d, s, p) => d.messages.read(s.userId, p.conversationId, p.seq),
  'conv.readStates': async (d, s, p) => ({ states: await d.messages.readStates(s.userId, p.conversationId) }),
  'conv.create': (d, s, p) => d.conversations.create(s.userId, p),
  'conv.rename': (d, s, p) => d.conversations.rename(s.userId, p.conversationId, p.name),
  'conv.addMembers': (d, s, p) => d.conversations.addMembers(s.userId, p.conversationId, p.userIds),
  'conv.removeMember': (d, s, p) => d.conversations.removeMember(s.userId, p.conversationId, p.userId),
  'conv.leave': (d, s, p) => d.conversations.leave(s.userId, p.conversationId),
  'conv.setPrefs': (d, s, p) => d.conversations.setPrefs(s.userId, p.conversationId, p),
  'group.setAdmins': (d, s, p) => d.groups.setAdmins(s.userId, p.conversationId, p.userIds),
  'group.transfer': (d, s, p) => d.groups.transfer(s.userId, p.conversationId, p.userId),
  'group.dissolve': (d, s, p) => d.groups.dissolve(s.userId, p.conversationId),
  'group.setAnnouncement': (d, s, p) => d.groups.setAnnouncement(s.userId, p.conversationId, p.text),
  'group.announcements': (d, s, p) => d.groups.announcements(s.userId, p.conversationId),
  'group.setSettings': (d, s, p) => d.groups.setSettings(s.userId, p.conversationId, p),
  'admin.enterprise.update': async (d, s, p) => ({ enterprise: await d.accounts.updateEnterprise(s.userId, p) }),
  'admin.addMember': async (d, s, p) => ({ user: await d.accounts.addMember(s.userId, p) }),
  'auth.devices': async (d, s) => ({ devices: await d.accounts.devices(s.userId, s.deviceId) }),
  'auth.revoke': async (d, s, p) => {
    await d.accounts.revoke(s.userId, p.deviceId);
    return {};
  },
  'auth.signOut': async (d, s) => {
    await d.accounts.revoke(s.userId, s.deviceId, 'signed out');
    return {};
  },
  'auth.changePassword': async (d, s, p) => {
    await d.accounts.changePassword(s.userId, s.deviceId, p.oldPassword, p.newPassword);
    return {};
  },
  ...driveHandlers,
  ...calendarHandlers,
};
