import { describe, expect, it } from 'vitest';
import type { VisibilityRule } from '../../../shared/protocol';
import { sampleTree } from './tree.test-fixture';
import {
  canSeeDepartment,
  canSeeUser,
  departmentFor,
  openDepartments,
  seesAllMembersOf,
  viewerContext,
  type Viewer,
} from './visibility';

const viewer = (over: Partial<Viewer> = {}): Viewer => ({
  userId: 'me',
  superAdmin: false,
  adminRoots: [],
  departmentIds: ['sales'],
  chatPeers: new Set(),
  ...over,
});
const member = (
  id: string,
  departmentIds: string[],
  over: { status?: 'active' | 'disabled' | 'left'; hidden?: boolean } = {},
) => ({
  id,
  departmentIds,
  status: over.status ?? 'active',
  hidden: over.hidden ?? false,
});
const rule = (subject: string[], visible: string[]): VisibilityRule => ({
  id: '00000000-0000-7000-8000-000000000001',
  subjectDepartmentIds: subject,
  visibleDepartmentIds: visible,
});

describe('visibility', () => {
  it('without rules or hidden departments, everyone active and not hidden is visible', () => {
    const ctx = viewerContext(sampleTree(), viewer(), []);
    expect([...ctx.open].sort()).toEqual(['be', 'fe', 'rd', 'root', 'sales', 'ui']);
    expect(canSeeUser(ctx, member('a', ['ui']))).toBe(true);
    expect(canSeeUser(ctx, member('b', ['ui'], { hidden: true }))).toBe(false);
    expect(canSeeUser(ctx, member('c', ['ui'], { status: 'disabled' }))).toBe(false);
    expect(canSeeUser(ctx, member('d', ['ui'], { status: 'left' }))).toBe(false);
    // Oneself always; a chat peer always.
    expect(canSeeUser(ctx, member('me', ['ui'], { hidden: true }))).toBe(true);
    const withPeer = viewerContext(sampleTree(), viewer({ chatPeers: new Set(['b']) }), []);
    expect(canSeeUser(withPeer, member('b', ['ui'], { hidden: true }))).toBe(true);
  });

  it('a hidden department hides its subtree except from people inside it', () => {
    const tree = sampleTree({ rd: { hidden: 1 } });
    const outsider = viewerContext(tree, viewer(), []);
    expect([...outsider.open].sort()).toEqual(['root', 'sales']);
    expect(canSeeUser(outsider, member('a', ['fe']))).toBe(false);
    expect(canSeeDepartment(outsider, 'rd')).toBe(false);
    expect(canSeeDepartment(outsider, 'root')).toBe(true);
    // Someone in 前端组 sits inside 研发中心's subtree: they see it all.
    const insider = viewerContext(tree, viewer({ departmentIds: ['fe'] }), []);
    expect(insider.open.has('be')).toBe(true);
    expect(canSeeUser(insider, member('a', ['be']))).toBe(true);
    // A member of two departments shows through the open one.
    expect(canSeeUser(outsider, member('b', ['fe', 'sales']))).toBe(true);
  });

  it('rules limit their subjects to the visible subtrees plus their own departments', () => {
    const tree = sampleTree();
    const rules = [rule(['sales'], ['fe'])];
    const subject = viewerContext(tree, viewer(), rules);
    expect([...subject.open].sort()).toEqual(['fe', 'sales', 'ui']);
    expect(canSeeUser(subject, member('a', ['be']))).toBe(false);
    expect(canSeeUser(subject, member('b', ['ui']))).toBe(true);
    // Ancestors of open departments show in the tree (names only), their members do not.
    expect(canSeeDepartment(subject, 'rd')).toBe(true);
    expect(canSeeDepartment(subject, 'be')).toBe(false);
    expect(seesAllMembersOf(subject, 'rd')).toBe(false);
    const rd = { id: 'rd', parentId: 'root', name: '研发中心', order: 1, headIds: ['boss'], hidden: false, depth: 1 };
    expect(departmentFor(subject, rd).headIds).toEqual([]);
    expect(departmentFor(subject, { ...rd, id: 'fe' }).headIds).toEqual(['boss']);
    // Someone the rule does not name sees everything.
    const other = viewerContext(tree, viewer({ departmentIds: ['be'] }), rules);
    expect(other.open.size).toBe(6);
    // Several rules that apply add up.
    const two = openDepartments(tree, viewer(), [...rules, rule(['root'], ['be'])]);
    expect([...two].sort()).toEqual(['be', 'fe', 'sales', 'ui']);
  });

  it('super admins see everyone; department admins everyone inside their subtrees', () => {
    const tree = sampleTree({ rd: { hidden: 1 } });
    const sup = viewerContext(tree, viewer({ superAdmin: true }), [rule(['sales'], ['sales'])]);
    expect(canSeeUser(sup, member('a', ['ui'], { hidden: true, status: 'left' }))).toBe(true);
    expect(canSeeDepartment(sup, 'ui')).toBe(true);
    const deptAdmin = viewerContext(tree, viewer({ adminRoots: ['fe'] }), []);
    expect(canSeeUser(deptAdmin, member('a', ['ui'], { hidden: true }))).toBe(true);
    expect(canSeeUser(deptAdmin, member('b', ['be']))).toBe(false);
    expect(seesAllMembersOf(deptAdmin, 'ui')).toBe(true);
    expect(canSeeDepartment(deptAdmin, 'fe')).toBe(true);
    expect(canSeeDepartment(deptAdmin, 'rd')).toBe(true);
    expect(canSeeDepartment(deptAdmin, 'be')).toBe(false);
  });
});
