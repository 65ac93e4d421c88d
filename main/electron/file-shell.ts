// The desktop's hands on a finished download (FileShell of main/core): open it with its program,
// show it in its folder, save a copy where the user says, drag it out of the window.
import { app, dialog, shell, type BrowserWindow, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { FileShell } from '../core/files/file-shell';

export class ElectronFileShell implements FileShell {
  constructor(private readonly window: () => BrowserWindow | null) {}

  async open(file: string): Promise<void> {
    // openPath answers with an error text ('' when it worked) instead of rejecting.
    const problem = await shell.openPath(file);
    if (problem) throw new Error(problem);
  }

  reveal(file: string): void {
    shell.showItemInFolder(file);
  }

  async saveAs(file: string, name: string): Promise<string | null> {
    const win = this.window();
    const options = { defaultPath: path.join(app.getPath('downloads'), name) };
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return null;
    if (path.resolve(choice.filePath) !== path.resolve(file)) await fs.promises.copyFile(file, choice.filePath);
    return choice.filePath;
  }

  async startDrag(file: string, origin: unknown): Promise<void> {
    const contents = (origin as WebContents | null) ?? this.window()?.webContents ?? null;
    if (!contents || contents.isDestroyed()) throw new Error('no window to drag from');
    // The system shows the file's own icon under the pointer.
    const icon = await app.getFileIcon(file, { size: 'normal' });
    contents.startDrag({ file, icon });
  }
}
