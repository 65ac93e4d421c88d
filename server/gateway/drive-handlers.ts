// The `drive.*` requests (微盘), spread into the gateway's handler table.
import type { Handlers } from './handlers';

type DriveType = Extract<keyof Handlers, `drive.${string}`>;

export const driveHandlers: { [T in DriveType]: Handlers[T] } = {
  'drive.spaces': (d, s) => d.drive.spaces(s.userId),
  'drive.createSpace': (d, s, p) => d.drive.createSpace(s.userId, p.name),
  'drive.list': (d, s, p) => d.drive.list(s.userId, p.folderId),
  'drive.get': (d, s, p) => d.drive.get(s.userId, p.nodeId),
  'drive.createFolder': (d, s, p) => d.drive.createFolder(s.userId, p.parentId, p.name),
  'drive.rename': (d, s, p) => d.drive.rename(s.userId, p.nodeId, p.name),
  'drive.move': (d, s, p) => d.drive.move(s.userId, p.nodeIds, p.folderId),
  'drive.copy': (d, s, p) => d.drive.copy(s.userId, p.nodeIds, p.folderId),
  'drive.trash': (d, s, p) => d.drive.trash(s.userId, p.nodeIds),
  'drive.trashList': (d, s) => d.drive.trashList(s.userId),
  'drive.restore': (d, s, p) => d.drive.restore(s.userId, p.nodeIds),
  'drive.purge': (d, s, p) => d.drive.purge(s.userId, p.nodeIds),
  'drive.star': (d, s, p) => d.drive.star(s.userId, p.nodeId, p.starred),
  'drive.starred': (d, s) => d.drive.starred(s.userId),
  'drive.sharedWithMe': (d, s) => d.drive.sharedWithMe(s.userId),
  'drive.recent': (d, s) => d.drive.recent(s.userId),
  'drive.grants': (d, s, p) => d.drive.grants(s.userId, p.nodeId),
  'drive.setGrants': (d, s, p) => d.drive.setGrants(s.userId, p.nodeId, p.grants),
  'drive.setNoForward': (d, s, p) => d.drive.setNoForward(s.userId, p.nodeId, p.noForward),
  'drive.accessLog': (d, s, p) => d.drive.accessLog(s.userId, p.nodeId, p.before),
  'drive.saveFromChat': (d, s, p) => d.drive.saveFromChat(s.userId, p),
  'drive.usage': (d, s) => d.drive.usage(s.userId),
};
