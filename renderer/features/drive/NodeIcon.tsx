import { FolderFilled } from '@ant-design/icons';
import type { DriveNode } from '../../../shared/protocol/files';
import { FileIcon } from '../chat/files/FileIcon';

/** A folder, or the file's type icon as chat file cards show it. */
export function NodeIcon(props: { node: Pick<DriveNode, 'type' | 'mime' | 'name'> }) {
  const { node } = props;
  if (node.type === 'folder') {
    return (
      <span className="drive-icon drive-icon-folder" aria-hidden>
        <FolderFilled />
      </span>
    );
  }
  return <FileIcon name={node.name} mime={node.mime ?? ''} />;
}
