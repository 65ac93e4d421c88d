import { QixinError, type ErrorReason } from '../../shared/protocol/errors';

/**
 * Which unique rule a write broke, read from the database's own words: SQLite names the columns
 * ("UNIQUE constraint failed: users.account"), PostgreSQL the constraint ("users_account_key").
 * Writes check first; this names the loser of a race between two writes the same.
 */
export function takenReason(err: unknown): ErrorReason | null {
  const e = (err ?? {}) as { constraint?: unknown; message?: unknown };
  const words = `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  if (/departments_sibling_name|departments\.(parent_id|name)/.test(words)) return 'department_name_taken';
  if (/users[._]mobile/.test(words)) return 'mobile_taken';
  if (/users[._]account/.test(words)) return 'account_taken';
  return null;
}

const WORDS: Partial<Record<ErrorReason, string>> = {
  department_name_taken: 'a sibling department already has that name',
  mobile_taken: 'that mobile is already in use',
  account_taken: 'that account is already in use',
};

/** The conflict a unique violation becomes; an unrecognised one still is a conflict, without a reason. */
export function uniqueViolationError(err: unknown): QixinError {
  const reason = takenReason(err);
  if (!reason) return new QixinError('conflict', 'that name, account or mobile is already in use');
  return new QixinError('conflict', WORDS[reason]!, reason);
}
