// Bulk import and export of the directory (Excel/CSV), over the relay's HTTP API. The same
// engine serves the admin console, scripts (HTTP with a session token) and `npm run admin`.
import { z } from 'zod';
import { Millis } from './entities';

/**
 * 仅新增: only new accounts are added (an existing account is an error in its row).
 * 新增并更新: new accounts are added and existing ones updated.
 * 全量覆盖: as add-and-update, and members absent from the file are disabled (never deleted).
 */
export const ImportMode = z.enum(['add', 'upsert', 'sync']);
export type ImportMode = z.infer<typeof ImportMode>;

/** Why a row is refused; the UI and the error report localize these. */
export const ImportIssueCode = z.enum([
  'required', // a required column is empty (姓名, 账号, 部门)
  'too_long', // over the field's length limit
  'invalid_account',
  'invalid_mobile', // not +86 11 digits nor an international number
  'invalid_email',
  'invalid_phone',
  'invalid_gender',
  'invalid_status',
  'duplicate_account_in_file',
  'duplicate_mobile_in_file',
  'account_exists', // mode 'add': the account is already in the directory
  'mobile_taken', // another member of the directory already has this mobile
  'unknown_department', // and the import was not asked to create departments
  'department_too_deep', // deeper than MAX_DEPARTMENT_DEPTH levels
  'invalid_department', // an empty level (总部//前端组) or a name over 64 characters
  'unknown_manager', // 直属上级 is neither in the directory nor in the file
  'outside_scope', // a department admin importing into departments outside their subtrees
]);
export type ImportIssueCode = z.infer<typeof ImportIssueCode>;

export const ImportIssue = z.object({
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: z.number().int().positive(),
  account: z.string().nullable(),
  codes: z.array(ImportIssueCode).min(1),
  /** A readable explanation in Chinese, as written into the error report. */
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportSummary = z.object({
  rows: z.number().int().nonnegative(),
  valid: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  toCreate: z.number().int().nonnegative(),
  toUpdate: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** Mode 'sync': members absent from the file who will be disabled. */
  toDisable: z.number().int().nonnegative(),
  departmentsToCreate: z.number().int().nonnegative(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportState = z.enum(['validating', 'ready', 'applying', 'done', 'cancelled', 'failed']);
export type ImportState = z.infer<typeof ImportState>;

/**
 * An import job on the relay: the file is parsed and validated first (nothing written), the
 * preview waits for `apply`, which writes every valid row in one transaction; `cancel` before
 * or during the apply leaves the directory untouched.
 */
export const ImportJob = z.object({
  id: z.string(),
  fileName: z.string(),
  mode: ImportMode,
  createDepartments: z.boolean(),
  state: ImportState,
  /** Rows read (validating) or written (applying) so far, of `total` (0 while unknown). */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  summary: ImportSummary.nullable(),
  /** The first issues (the full list is in the error report). */
  issues: z.array(ImportIssue),
  result: z
    .object({
      created: z.number().int().nonnegative(),
      updated: z.number().int().nonnegative(),
      disabled: z.number().int().nonnegative(),
      departmentsCreated: z.number().int().nonnegative(),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: Millis,
});
export type ImportJob = z.infer<typeof ImportJob>;

/** Largest file an import accepts. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Issues carried in ImportJob.issues; the error report has them all. */
export const IMPORT_ISSUES_SHOWN = 200;
