// HTTP endpoints of the relay used before a socket exists (first run, sign-in).
import { z } from 'zod';
import { AccountName, Enterprise, GivenPassword, Id, Login, NewPassword, PersonName, User } from './entities';

export const SetupStatus = z.object({ initialized: z.boolean(), enterprise: Enterprise.nullable() });

const DeviceName = z.string().trim().min(1).max(64);

export const CreateEnterpriseBody = z.object({
  enterpriseName: PersonName,
  adminName: PersonName,
  account: AccountName,
  password: NewPassword,
  deviceName: DeviceName,
});
export type CreateEnterpriseBody = z.infer<typeof CreateEnterpriseBody>;

/** `login` is an account name or a mobile number. */
export const SignInBody = z.object({
  login: Login,
  password: GivenPassword,
  deviceName: DeviceName,
});
export type SignInBody = z.infer<typeof SignInBody>;

/** A new device session; the token is shown once and only its hash is stored. */
export const SessionGrant = z.object({ token: z.string(), deviceId: Id, user: User, enterprise: Enterprise });
export type SessionGrant = z.infer<typeof SessionGrant>;

/** A new member sets their password with the one-time code from their admin, and is signed in. */
export const ActivateBody = z.object({
  code: z.string().trim().min(1).max(64),
  password: NewPassword,
  deviceName: DeviceName,
});
export type ActivateBody = z.infer<typeof ActivateBody>;

export const HttpPaths = {
  setupStatus: '/api/setup', // GET
  createEnterprise: '/api/setup', // POST, only while no enterprise exists
  signIn: '/api/sessions', // POST
  activate: '/api/activate', // POST ActivateBody → SessionGrant
  health: '/healthz', // GET
  // Admin API (Authorization: Bearer <session token>); bodies of imports are the file itself.
  importTemplate: '/api/admin/directory/template.xlsx', // GET
  directoryExport: '/api/admin/directory/export.xlsx', // GET
  /** POST ?mode=add|upsert|sync&createDepartments=0|1&fileName=… body = the file → 202 ImportJob. */
  imports: '/api/admin/directory/imports',
  /**
   * GET → ImportJob; POST …/apply and POST …/cancel → ImportJob; GET …/errors.xlsx (the error
   * report) and, after the apply, GET …/activations.xlsx (the new members' activation codes).
   */
  importJob: (id: string) => `/api/admin/directory/imports/${encodeURIComponent(id)}`,
  /**
   * Chat media (images, voice, video), Authorization: Bearer <session token>.
   * POST body = the bytes, Content-Type = their media type, ?kind=image|voice|video → 201 MediaUpload.
   * GET media(id) → the bytes (Range supported), for the uploader and anyone who can read a
   * message that references the id; 404 for everyone else (existence is not revealed).
   */
  mediaUpload: '/api/media',
  media: (id: string) => `/api/media/${encodeURIComponent(id)}`,
} as const;

export const MediaUploadKind = z.enum(['image', 'voice', 'video']);
export type MediaUploadKind = z.infer<typeof MediaUploadKind>;
/** What an upload returns: the id to reference from a message, and what the relay stored. */
export const MediaUpload = z.object({
  mediaId: Id,
  kind: MediaUploadKind,
  mime: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type MediaUpload = z.infer<typeof MediaUpload>;

export const MAX_HTTP_BODY_BYTES = 16 * 1024;
