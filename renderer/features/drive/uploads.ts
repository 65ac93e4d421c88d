// Uploads into a drive folder. Electron hands the core paths (it walks folders itself). Browser
// mode stages each file with the core first; a picked or dropped folder's sub-folders are made
// here with drive.createFolder, so every file lands where it was.
import type { ContractClient, FileSource, Transfer } from '../../../shared/contract';
import { stageFile } from '../chat/files/stage';
import { reasonOf } from '../session/errors';
import type { Picked, PickedFile } from './sources';

/** `files.uploadToDrive` takes at most this many sources a call. */
const SOURCES_PER_CALL = 500;

export async function uploadPicked(
  qixin: ContractClient,
  folderId: string,
  picked: Picked,
  stageUrl: string | null,
  /** Browser mode: how far the core has read the file being staged. */
  onStaging: (name: string, sent: number, size: number) => void = () => {},
): Promise<Transfer[]> {
  const transfers: Transfer[] = [];
  const upload = async (target: string, sources: FileSource[]) => {
    for (let i = 0; i < sources.length; i += SOURCES_PER_CALL) {
      const answer = await qixin.call('files.uploadToDrive', {
        folderId: target,
        sources: sources.slice(i, i + SOURCES_PER_CALL),
      });
      transfers.push(...answer.transfers);
    }
  };
  if (picked.paths.length > 0)
    await upload(
      folderId,
      picked.paths.map((path) => ({ type: 'path', path })),
    );
  if (picked.files.length === 0) return transfers;
  if (!stageUrl) throw new Error('no stage URL: browser-mode uploads need the core to stage files');

  const folders = new FolderMaker(qixin, folderId);
  for (const [dir, files] of byFolder(picked.files)) {
    const target = await folders.ensure(dir);
    const sources: FileSource[] = [];
    for (const { file } of files) {
      onStaging(file.name, 0, file.size);
      const stagedId = await stageFile(stageUrl, file, (sent) => onStaging(file.name, sent, file.size));
      sources.push({ type: 'staged', stagedId });
    }
    await upload(target, sources);
  }
  return transfers;
}

/** Files grouped by their folder path ('' for the drop target itself), parents before children. */
export function byFolder(files: readonly PickedFile[]): Map<string, PickedFile[]> {
  const groups = new Map<string, PickedFile[]>();
  for (const picked of files) {
    const slash = picked.relativePath.lastIndexOf('/');
    const dir = slash > 0 ? picked.relativePath.slice(0, slash) : '';
    const group = groups.get(dir);
    if (group) group.push(picked);
    else groups.set(dir, [picked]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Makes 'a/b/c' under the target folder once each; a folder of that name already there is reused. */
class FolderMaker {
  private readonly ids = new Map<string, Promise<string>>();

  constructor(
    private readonly qixin: ContractClient,
    rootId: string,
  ) {
    this.ids.set('', Promise.resolve(rootId));
  }

  ensure(dir: string): Promise<string> {
    const known = this.ids.get(dir);
    if (known) return known;
    const slash = dir.lastIndexOf('/');
    const parentDir = slash > 0 ? dir.slice(0, slash) : '';
    const name = dir.slice(slash + 1);
    const made = this.ensure(parentDir).then((parentId) => this.make(parentId, name));
    this.ids.set(dir, made);
    return made;
  }

  private async make(parentId: string, name: string): Promise<string> {
    try {
      return (await this.qixin.call('drive.createFolder', { parentId, name })).node.id;
    } catch (err) {
      if (reasonOf(err) !== 'drive_name_taken') throw err;
      const { children } = await this.qixin.call('drive.list', { folderId: parentId });
      const existing = children.find((n) => n.type === 'folder' && n.name === name);
      if (!existing) throw err;
      return existing.id;
    }
  }
}
