import { describe, expect, it } from 'vitest';
import { FileLimits } from '../../shared/protocol';
import { proofRanges } from './instant-uploads';
import { declarationFromMetadata } from './upload-declaration';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const fields = {
  fileId: '01936a4e-7d2c-7b1a-9f00-123456789abc',
  name: '周报 ✅.docx',
  size: '1234',
  mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  sha256: 'a'.repeat(64),
  target: JSON.stringify({ type: 'chat', conversationId: '01936a4e-7d2c-7b1a-9f00-123456789abd' }),
};
const header = (f: Record<string, string>) =>
  Object.entries(f)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as { reason?: string; code?: string }).reason ?? (err as { code: string }).code;
  }
  return 'accepted';
};

describe('an upload declaration from tus Upload-Metadata', () => {
  it('reads every key, base64 UTF-8 values, size as a number and target as JSON', () => {
    expect(declarationFromMetadata(header(fields))).toEqual({
      ...fields,
      size: 1234,
      target: JSON.parse(fields.target),
    });
  });

  it('says file_name_invalid for names that could walk out of a folder or hide characters', () => {
    for (const name of ['../x', 'a/b', 'a\\b', 'a\u0000b', 'tab\there', '..', '.', ' x', 'x ', ''])
      expect(
        reason(() => declarationFromMetadata(header({ ...fields, name }))),
        JSON.stringify(name),
      ).toBe('file_name_invalid');
    expect(reason(() => declarationFromMetadata(header({ ...fields, name: 'x'.repeat(256) })))).toBe(
      'file_name_invalid',
    );
  });

  it('refuses a missing header, missing keys, a size that is not a whole number and a target that is not JSON', () => {
    expect(reason(() => declarationFromMetadata(undefined))).toBe('invalid');
    const { sha256: _omitted, ...noHash } = fields;
    expect(reason(() => declarationFromMetadata(header(noHash)))).toBe('invalid');
    expect(reason(() => declarationFromMetadata(header({ ...fields, size: '1.5' })))).toBe('invalid');
    expect(reason(() => declarationFromMetadata(header({ ...fields, size: '-1' })))).toBe('invalid');
    expect(reason(() => declarationFromMetadata(header({ ...fields, target: '{chat' })))).toBe('invalid');
    expect(reason(() => declarationFromMetadata(`${header(fields)},name ${b64('again')}`))).toBe('invalid');
  });
});

describe('秒传 proof ranges', () => {
  it('asks for the whole file when it is no longer than one range', () => {
    expect(proofRanges(1)).toEqual([{ start: 0, end: 0 }]);
    expect(proofRanges(FileLimits.proofRangeBytes)).toEqual([{ start: 0, end: FileLimits.proofRangeBytes - 1 }]);
  });

  it('asks for random whole ranges inside a larger file, in order', () => {
    const size = 5 * 1024 * 1024 * 1024;
    const ranges = proofRanges(size);
    expect(ranges).toHaveLength(FileLimits.proofRanges);
    for (const r of ranges) {
      expect(r.end - r.start + 1).toBe(FileLimits.proofRangeBytes);
      expect(r.end).toBeLessThan(size);
    }
    expect([...ranges].sort((a, b) => a.start - b.start)).toEqual(ranges);
    expect(proofRanges(size)).not.toEqual(ranges);
  });
});
