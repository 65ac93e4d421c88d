// What the UI offers at each level (仅查看 < 可下载 < 可编辑 < 可管理). The relay decides every
// request again; these rules only keep buttons away that would surely be refused.
import { DRIVE_LEVEL_RANK, type DriveLevel, type DriveNode } from '../../../shared/protocol/files';

export function atLeast(level: DriveLevel, needed: DriveLevel): boolean {
  return DRIVE_LEVEL_RANK[level] >= DRIVE_LEVEL_RANK[needed];
}

type Item = Pick<DriveNode, 'type' | 'level' | 'noForward'>;

/** 禁止转发 leaves downloading and sending on to managers only. */
function mayPassOn(node: Item): boolean {
  return !node.noForward || atLeast(node.level, 'manage');
}

export const may = {
  preview: (node: Item) => node.type === 'file',
  download: (node: Item) => node.type === 'file' && atLeast(node.level, 'download') && mayPassOn(node),
  /** A link in a chat: recipients get only what their own grants allow, still never past 禁止转发. */
  sendToChat: (node: Item) => node.type === 'file' && mayPassOn(node),
  rename: (node: Item) => atLeast(node.level, 'edit'),
  move: (node: Item) => atLeast(node.level, 'edit'),
  copy: (node: Item) => atLeast(node.level, 'download') && mayPassOn(node),
  trash: (node: Item) => atLeast(node.level, 'edit'),
  manage: (node: Item) => atLeast(node.level, 'manage'),
  /** New folders and uploads inside this folder. */
  addInto: (folder: Pick<DriveNode, 'level'>) => atLeast(folder.level, 'edit'),
};
