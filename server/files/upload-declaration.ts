// An upload's declaration (UploadDeclaration), from tus `Upload-Metadata` or a 秒传 body, with the
// reason a person can act on when it is refused: a bad name says file_name_invalid, not just invalid.
import type { z } from 'zod';
import { QixinError, UPLOAD_METADATA_KEYS, UploadDeclaration } from '../../shared/protocol';

/** The declaration in tus `Upload-Metadata`: `key base64(value)` pairs; `size` a number, `target` JSON. */
export function declarationFromMetadata(header: string | undefined): UploadDeclaration {
  if (!header) throw invalid(`Upload-Metadata must carry ${UPLOAD_METADATA_KEYS.join(', ')}`);
  const fields: Record<string, string> = {};
  for (const pair of header.split(',')) {
    const [key, value = '', ...rest] = pair.trim().split(' ');
    if (!key || rest.length > 0 || key in fields) throw invalid('Upload-Metadata is not a list of "key base64" pairs');
    fields[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  let target: unknown;
  try {
    target = JSON.parse(fields.target ?? '');
  } catch {
    throw invalid('the metadata `target` must be JSON of an upload target');
  }
  const size = fields.size;
  return parseDeclaration({
    ...fields,
    size: size !== undefined && /^\d+$/.test(size) ? Number(size) : size,
    target,
  });
}

/** A declaration checked against its schema; a bad name is file_name_invalid. */
export function parseDeclaration(value: unknown): UploadDeclaration {
  return checked(UploadDeclaration, value, []);
}

/** `value` parsed by `schema`; issues under `path` + name are file_name_invalid (where the declaration sits). */
export function checked<T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[]): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = issue.path.join('.');
  if (at === [...path, 'name'].join('.'))
    throw new QixinError('invalid', `the file name is not allowed: ${issue.message}`, 'file_name_invalid');
  throw invalid(`${at || 'the request'}: ${issue.message}`);
}

function invalid(message: string): QixinError {
  return new QixinError('invalid', message);
}
