// Drive quotas: a personal space holds at most `personalQuotaBytes` (its trash and copies included:
// a copy shares the bytes on disk but counts again), the whole enterprise's drive at most
// `enterpriseQuotaBytes`. Chat files do not count; a chat file saved to the drive does.
import { QixinError, type DriveUsage } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import type { FileConfig } from '../files/file-config';

export async function spaceUsedBytes(db: Reader, spaceId: string): Promise<number> {
  const row = await db
    .selectFrom('drive_nodes')
    .select((eb) => eb.fn.sum<number | string | null>('size').as('used'))
    .where('space_id', '=', spaceId)
    .where('type', '=', 'file')
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

export async function enterpriseUsedBytes(db: Reader): Promise<number> {
  const row = await db
    .selectFrom('drive_nodes')
    .select((eb) => eb.fn.sum<number | string | null>('size').as('used'))
    .where('type', '=', 'file')
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

/** Refuses `addBytes` more in `spaceId` when a personal space or the enterprise would go over its quota. */
export async function assertQuota(
  db: Reader,
  config: FileConfig,
  spaceId: string,
  addBytes: number,
  { enterprise = true } = {},
): Promise<void> {
  if (addBytes <= 0) return;
  const space = await db.selectFrom('drive_spaces').select('kind').where('id', '=', spaceId).executeTakeFirst();
  if (space?.kind === 'personal' && (await spaceUsedBytes(db, spaceId)) + addBytes > config.personalQuotaBytes)
    throw new QixinError('forbidden', 'this would exceed the personal drive quota', 'quota_exceeded');
  if (enterprise && (await enterpriseUsedBytes(db)) + addBytes > config.enterpriseQuotaBytes)
    throw new QixinError('forbidden', "this would exceed the enterprise's drive quota", 'quota_exceeded');
}

export async function usage(db: Reader, config: FileConfig, personalSpaceId: string): Promise<DriveUsage> {
  return {
    personalUsedBytes: await spaceUsedBytes(db, personalSpaceId),
    personalQuotaBytes: config.personalQuotaBytes,
    enterpriseUsedBytes: await enterpriseUsedBytes(db),
    enterpriseQuotaBytes: config.enterpriseQuotaBytes,
  };
}
