// 通讯录查看权限: the visibility rules, read and replaced as a whole by super admins. Replacing
// them starts a new directory epoch: every client reads the directory again.
import { QixinError, type VisibilityRule } from '../../../shared/protocol';
import { audit } from '../audit';
import * as policy from '../policy';
import type { AdminScope } from './scope';
import { readTree } from './tree';
import { loadRules } from './viewer';
import type { DirectoryTx } from './write';

export async function setRules(
  w: DirectoryTx,
  actorId: string,
  scope: AdminScope,
  rules: VisibilityRule[],
): Promise<VisibilityRule[]> {
  policy.assertSuperAdmin(scope, 'change who sees whom in the directory');
  const ids = new Set(rules.map((r) => r.id));
  if (ids.size !== rules.length) throw new QixinError('invalid', 'two visibility rules have the same id');
  const tree = await readTree(w.trx);
  for (const r of rules) {
    for (const d of [...r.subjectDepartmentIds, ...r.visibleDepartmentIds]) {
      if (!tree.has(d))
        throw new QixinError(
          'not_found',
          'a visibility rule names a department that does not exist',
          'department_not_found',
        );
    }
  }
  const before = await loadRules(w.trx);
  await w.trx.deleteFrom('visibility_rules').execute();
  if (rules.length) {
    await w.trx
      .insertInto('visibility_rules')
      .values(
        rules.map((r, position) => ({
          id: r.id,
          subject_department_ids: JSON.stringify([...new Set(r.subjectDepartmentIds)]),
          visible_department_ids: JSON.stringify([...new Set(r.visibleDepartmentIds)]),
          position,
        })),
      )
      .execute();
  }
  const after = await loadRules(w.trx);
  await audit(w.trx, w.now, { actorId, action: 'visibility.changed', targetId: null, detail: { before, after } });
  return after;
}
