// One handler per request type (hello is the Connection's own business). Each returns
// the result value; a QixinError thrown here becomes the error result of that frame.
import type { RequestResult, RequestType, requests } from '../../shared/protocol';
import type { z } from 'zod';
import type { Domain } from '../domain';

export interface Session {
  userId: string;
  deviceId: string;
}

type Params<T extends RequestType> = z.infer<(typeof requests)[T]['params']>;
type Handlers = {
  [T in Exclude<RequestType, 'hello'>]: (
    domain: Domain,
    session: Session,
    params: Params<T>,
  ) => Promise<RequestResult<T>>;
};

export const handlers: Handlers = {
  'sync.changes': (d, s, p) => d.changes.read(s.userId, p.after),
  'sync.snapshot': (d, s, p) => d.changes.snapshot(s.userId, p.afterUserId, p.limit),
  'sync.heads': async (d, s) => ({ heads: await d.messages.heads(s.userId) }),
  'msg.range': (d, s, p) => d.messages.range(s.userId, p.conversationId, p.afterSeq, p.limit),
  'msg.send': async (d, s, p) => ({ message: await d.messages.send(s.userId, p) }),
  'msg.read': (d, s, p) => d.messages.read(s.userId, p.conversationId, p.seq),
  'conv.readStates': async (d, s, p) => ({ states: await d.messages.readStates(s.userId, p.conversationId) }),
  'conv.create': (d, s, p) => d.conversations.create(s.userId, p),
  'conv.rename': (d, s, p) => d.conversations.rename(s.userId, p.conversationId, p.name),
  'conv.addMembers': (d, s, p) => d.conversations.addMembers(s.userId, p.conversationId, p.userIds),
  'conv.removeMember': (d, s, p) => d.conversations.removeMember(s.userId, p.conversationId, p.userId),
  'conv.leave': (d, s, p) => d.conversations.leave(s.userId, p.conversationId),
  'conv.setPrefs': (d, s, p) => d.conversations.setPrefs(s.userId, p.conversationId, p),
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
};
