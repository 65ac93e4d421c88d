import type { AuditAction } from '../store/schema';
import type { Tx } from './context';

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  targetId?: string | null;
  detail?: Record<string, unknown>;
}

/** Records an admin action or a permission change in the caller's transaction, so it commits with it. */
export async function audit(trx: Tx, at: number, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at,
      actor_id: entry.actorId,
      action: entry.action,
      target_id: entry.targetId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
