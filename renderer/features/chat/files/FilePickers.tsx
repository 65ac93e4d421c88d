import { forwardRef, useImperativeHandle, useRef } from 'react';

export type FilePickersHandle = { pickFiles: () => void; pickFolder: () => void };

/**
 * The hidden inputs behind the composer's 文件 and 文件夹 buttons. The folder input lists every file
 * under the chosen folder (webkitdirectory), each sent as its own file message.
 */
export const FilePickers = forwardRef<FilePickersHandle, { onPicked: (files: File[]) => void }>(
  function FilePickers(props, ref) {
    const filesRef = useRef<HTMLInputElement>(null);
    const folderRef = useRef<HTMLInputElement>(null);
    useImperativeHandle(ref, () => ({
      pickFiles: () => filesRef.current?.click(),
      pickFolder: () => folderRef.current?.click(),
    }));
    const take = (input: HTMLInputElement) => {
      const files = [...(input.files ?? [])];
      input.value = '';
      if (files.length > 0) props.onPicked(files);
    };
    return (
      <>
        <input ref={filesRef} type="file" multiple hidden data-testid="file-input" onChange={(e) => take(e.target)} />
        <input
          ref={(el) => {
            folderRef.current = el;
            // React does not know webkitdirectory; set it on the element.
            el?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          multiple
          hidden
          data-testid="folder-input"
          onChange={(e) => take(e.target)}
        />
      </>
    );
  },
);
