// HTTP endpoints of the relay used before a socket exists (first run, sign-in).
import { z } from 'zod';
import { Enterprise, Id, User } from './entities';

export const SetupStatus = z.object({ initialized: z.boolean(), enterprise: Enterprise.nullable() });

const Password = z.string().min(8).max(128);
const DeviceName = z.string().trim().min(1).max(64);

export const CreateEnterpriseBody = z.object({
  enterpriseName: z.string().trim().min(1).max(64),
  adminName: z.string().trim().min(1).max(64),
  account: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]+$/),
  password: Password,
  deviceName: DeviceName,
});
export type CreateEnterpriseBody = z.infer<typeof CreateEnterpriseBody>;

/** `login` is an account name or a mobile number. */
export const SignInBody = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
  deviceName: DeviceName,
});
export type SignInBody = z.infer<typeof SignInBody>;

/** A new device session; the token is shown once and only its hash is stored. */
export const SessionGrant = z.object({ token: z.string(), deviceId: Id, user: User, enterprise: Enterprise });
export type SessionGrant = z.infer<typeof SessionGrant>;

export const HttpPaths = {
  setupStatus: '/api/setup', // GET
  createEnterprise: '/api/setup', // POST, only while no enterprise exists
  signIn: '/api/sessions', // POST
  health: '/healthz', // GET
} as const;

export const MAX_HTTP_BODY_BYTES = 16 * 1024;
