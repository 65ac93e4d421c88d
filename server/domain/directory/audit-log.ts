// admin.audit: the audit log, newest first, filtered, a page at a time (keyset on id).
import type { AuditRecord } from '../../../shared/protocol';
import type { Reader } from '../context';

export interface AuditQuery {
  /** Forced to the caller for department admins (see policy.auditActorFilter). */
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

export async function readAudit(
  db: Reader,
  q: AuditQuery,
): Promise<{ records: AuditRecord[]; nextBeforeId: number | null }> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
  if (q.action !== undefined) query = query.where('action', '=', q.action as never);
  if (q.targetId !== undefined) query = query.where('target_id', '=', q.targetId);
  if (q.from !== undefined) query = query.where('at', '>=', q.from);
  if (q.to !== undefined) query = query.where('at', '<=', q.to);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  return {
    records: page.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      actorId: r.actor_id,
      action: r.action,
      targetId: r.target_id,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    })),
    nextBeforeId: rows.length > q.limit ? Number(page.at(-1)!.id) : null,
  };
}
