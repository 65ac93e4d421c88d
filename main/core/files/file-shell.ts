// What only a desktop shell can do with a finished download: open it with its program, show it in
// its folder, save a copy elsewhere, drag it out of the window. main/electron implements it; in
// browser mode there is none and the calls say to use `files.localUrl` instead.
export interface FileShell {
  open(file: string): Promise<void>;
  reveal(file: string): void;
  /** Asks where to save a copy (suggesting `name`), copies it there; null when the user cancelled. */
  saveAs(file: string, name: string): Promise<string | null>;
  /**
   * Starts dragging `file` out of the window. `origin` is the transport's handle on the page that
   * asked (Electron: the sender's webContents); null when the call did not come through one.
   */
  startDrag(file: string, origin: unknown): Promise<void>;
}
