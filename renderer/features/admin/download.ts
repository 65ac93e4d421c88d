import { saveBase64 } from '../../ui/base64-files';

/** Saves a spreadsheet the core handed over (template, export, reports). */
export function saveSheet(fileName: string, base64: string): void {
  const type = fileName.toLowerCase().endsWith('.csv')
    ? 'text/csv'
    : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  saveBase64(fileName, base64, type);
}
