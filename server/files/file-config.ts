// The relay's file limits: sizes, chat retention and drive quotas (defaults in FileLimits,
// each configurable; see server/README.md for the environment variables).
import { FileLimits } from '../../shared/protocol';

export interface FileConfig {
  chatFileMaxBytes: number;
  driveFileMaxBytes: number;
  chatRetentionDays: number;
  trashRetentionDays: number;
  personalQuotaBytes: number;
  enterpriseQuotaBytes: number;
}

export function fileConfig(given: Partial<FileConfig> = {}): FileConfig {
  return {
    chatFileMaxBytes: given.chatFileMaxBytes ?? FileLimits.chatFileMaxBytes,
    driveFileMaxBytes: given.driveFileMaxBytes ?? FileLimits.driveFileMaxBytes,
    chatRetentionDays: given.chatRetentionDays ?? FileLimits.chatRetentionDays,
    trashRetentionDays: given.trashRetentionDays ?? FileLimits.trashRetentionDays,
    personalQuotaBytes: given.personalQuotaBytes ?? FileLimits.personalQuotaBytes,
    enterpriseQuotaBytes: given.enterpriseQuotaBytes ?? FileLimits.enterpriseQuotaBytes,
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
