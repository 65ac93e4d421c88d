// Where the drive page looks: a folder of a space, or one of the flat lists of the left column.
import type { DriveNode, DriveSpace } from '../../../shared/protocol/files';

export type ListPlace = 'shared' | 'recent' | 'starred' | 'trash';
export type Place = { kind: 'folder'; folderId: string } | { kind: ListPlace };

export function samePlace(a: Place, b: Place): boolean {
  if (a.kind === 'folder' && b.kind === 'folder') return a.folderId === b.folderId;
  return a.kind === b.kind;
}

/** Folders first, then by name in the user's collation (拼音 order for Chinese in zh-CN). */
export function sortNodes(nodes: readonly DriveNode[], language: string): DriveNode[] {
  const collator = new Intl.Collator(language, { numeric: true });
  return [...nodes].sort((a, b) =>
    a.type !== b.type ? (a.type === 'folder' ? -1 : 1) : collator.compare(a.name, b.name),
  );
}

/** The personal space first, then team spaces by name. */
export function personalSpace(spaces: readonly DriveSpace[]): DriveSpace | null {
  return spaces.find((s) => s.kind === 'personal') ?? null;
}

/** The breadcrumb's items, the folder last (drive.list's path may or may not end with it). */
export function pathTo(folder: DriveNode, path: readonly DriveNode[]): DriveNode[] {
  return path[path.length - 1]?.id === folder.id ? [...path] : [...path, folder];
}
