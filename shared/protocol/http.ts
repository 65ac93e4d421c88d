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

export const HttpPaths = {
  setupStatus: '/api/setup', // GET
  createEnterprise: '/api/setup', // POST, only while no enterprise exists
  signIn: '/api/sessions', // POST
  health: '/healthz', // GET
} as const;

export const MAX_HTTP_BODY_BYTES = 16 * 1024;
