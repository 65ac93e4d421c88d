import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Space, Tag, Tooltip, Tree } from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  DragOutlined,
  EditOutlined,
  EyeInvisibleOutlined,
  EyeOutlined,
  PlusOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../shared/protocol/entities';
import { DepartmentName } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useDirectory, useUsers } from '../contacts/directory';
import { pathText, subtreeIds, withinAny } from '../contacts/org';
import { adminErrorText } from './errors';
import { MemberTable } from './MemberTable';
import { DepartmentSelect, UserSelect } from './pickers';
import type { AdminScope } from './scope';

type Dialog = { kind: 'create' | 'rename' | 'move' | 'heads'; department: Department } | null;

/** Height of an element, followed as the window resizes (the tree virtualizes within it). */
function useHeight<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(Math.max(200, el.clientHeight)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, height];
}

/** 组织架构: the department tree (the admin's subtrees only) and the selected department's members. */
export function OrgAdmin(props: { scope: AdminScope }) {
  const { t } = useTranslation();
  const { org } = useDirectory();
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [treeRef, treeHeight] = useHeight<HTMLDivElement>();

  const roots = useMemo(() => {
    if (props.scope.superAdmin) return org.root ? [org.root.id] : [];
    return (props.scope.grant?.departmentIds ?? []).filter((id) => org.byId.has(id));
  }, [org, props.scope]);
  const currentId =
    selected && org.byId.has(selected) && withinAny(org, selected, roots) ? selected : (roots[0] ?? null);
  const current = currentId ? org.byId.get(currentId) : undefined;

  const treeData = useMemo(() => {
    type Node = { key: string; title: string; hidden: boolean; children?: Node[] };
    const build = (id: string): Node | null => {
      const d = org.byId.get(id);
      if (!d) return null;
      const children = (org.children.get(id) ?? []).map((c) => build(c.id)).filter((n): n is Node => n !== null);
      return { key: d.id, title: d.name, hidden: d.hidden, ...(children.length > 0 ? { children } : {}) };
    };
    return roots.map(build).filter((n): n is Node => n !== null);
  }, [org, roots]);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);
  const expandedKeys = expanded ?? roots;

  return (
    <div className="org-admin">
      <aside className="org-tree-pane" aria-label={t('admin.org.tree')}>
        <div className="admin-pane-title">{t('admin.org.tree')}</div>
        <div className="org-tree" ref={treeRef} data-testid="admin-dept-tree">
          {treeData.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <Tree
              blockNode
              height={treeHeight}
              treeData={treeData}
              selectedKeys={currentId ? [currentId] : []}
              expandedKeys={expandedKeys}
              onExpand={(keys) => setExpanded(keys)}
              onSelect={(keys) => {
                const key = keys[0];
                if (typeof key !== 'string') return;
                setSelected(key);
                // A picked department opens, so its sub-departments are one click away.
                setExpanded((prev) => [...new Set([...(prev ?? roots), key])]);
              }}
              titleRender={(node) => (
                <span className="org-node" data-testid="dept-node">
                  {node.title as string}
                  {(node as { hidden?: boolean }).hidden ? (
                    <Tag className="org-node-tag" icon={<EyeInvisibleOutlined />}>
                      {t('admin.org.hiddenTag')}
                    </Tag>
                  ) : null}
                </span>
              )}
            />
          )}
        </div>
      </aside>
      <section className="org-main">
        {current ? (
          <>
            <DepartmentBar
              department={current}
              isScopeRoot={roots.includes(current.id)}
              onDialog={setDialog}
              onDeleted={() => setSelected(current.parentId)}
              onExpand={(id) => setExpanded((prev) => [...new Set([...(prev ?? roots), id])])}
            />
            <MemberTable departmentId={current.id} />
          </>
        ) : (
          <Empty className="admin-empty" description={t('admin.org.noScope')} />
        )}
      </section>
      {dialog ? (
        <DepartmentDialog
          dialog={dialog}
          roots={roots}
          onClose={() => setDialog(null)}
          onCreated={(d) => {
            setExpanded((prev) => [...new Set([...(prev ?? roots), d.parentId ?? ''])]);
            setSelected(d.id);
          }}
        />
      ) : null}
    </div>
  );
}

function DepartmentBar(props: {
  department: Department;
  isScopeRoot: boolean;
  onDialog: (dialog: Dialog) => void;
  onDeleted: () => void;
  onExpand: (id: string) => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { org } = useDirectory();
  const { message } = App.useApp();
  const { department } = props;
  const heads = useUsers(department.headIds);
  const isRoot = department.parentId === null;
  const siblings = department.parentId ? (org.children.get(department.parentId) ?? []) : [];
  const position = siblings.findIndex((d) => d.id === department.id);
  const fixed = isRoot || props.isScopeRoot;

  const run = async (work: () => Promise<unknown>, done: string, meanings: Record<string, string> = {}) => {
    try {
      await work();
      message.success(done);
      return true;
    } catch (err) {
      message.error(adminErrorText(t, err, meanings));
      return false;
    }
  };

  /** Moves the department one place up or down among its siblings; renumbers them when orders tie. */
  const reorder = async (delta: -1 | 1) => {
    const list = [...siblings];
    const target = position + delta;
    if (position < 0 || target < 0 || target >= list.length) return;
    const [moved] = list.splice(position, 1);
    if (!moved) return;
    list.splice(target, 0, moved);
    await run(async () => {
      for (const [i, d] of list.entries()) {
        const order = (i + 1) * 10;
        if (d.order !== order) await qixin.call('admin.dept.update', { id: d.id, order });
      }
    }, t('admin.org.reordered'));
  };

  return (
    <div className="dept-bar" data-testid="dept-bar">
      <div className="dept-bar-title">
        <h2>{department.name}</h2>
        <span className="dept-bar-path">{pathText(org, department.id)}</span>
        {department.hidden ? <Tag icon={<EyeInvisibleOutlined />}>{t('admin.org.hiddenTag')}</Tag> : null}
        <span className="dept-bar-heads">
          {t('common.labelColon', { label: t('admin.org.heads') })}
          {department.headIds.length === 0
            ? t('contacts.notSet')
            : department.headIds
                .map((id) => heads.get(id)?.name ?? t('common.unknownUser'))
                .join(t('common.listSeparator'))}
        </span>
      </div>
      <Space wrap size={4}>
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => {
            props.onExpand(department.id);
            props.onDialog({ kind: 'create', department });
          }}
        >
          {t('admin.org.create')}
        </Button>
        <Button size="small" icon={<EditOutlined />} onClick={() => props.onDialog({ kind: 'rename', department })}>
          {t('admin.org.rename')}
        </Button>
        <Button
          size="small"
          icon={<DragOutlined />}
          disabled={fixed}
          onClick={() => props.onDialog({ kind: 'move', department })}
        >
          {t('admin.org.move')}
        </Button>
        <Tooltip title={t('admin.org.up')}>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={t('admin.org.up')}
            disabled={fixed || position <= 0}
            onClick={() => void reorder(-1)}
          />
        </Tooltip>
        <Tooltip title={t('admin.org.down')}>
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={t('admin.org.down')}
            disabled={fixed || position < 0 || position >= siblings.length - 1}
            onClick={() => void reorder(1)}
          />
        </Tooltip>
        <Button size="small" icon={<UserOutlined />} onClick={() => props.onDialog({ kind: 'heads', department })}>
          {t('admin.org.setHeads')}
        </Button>
        <Button
          size="small"
          icon={department.hidden ? <EyeOutlined /> : <EyeInvisibleOutlined />}
          disabled={isRoot}
          onClick={() =>
            void run(
              () => qixin.call('admin.dept.update', { id: department.id, hidden: !department.hidden }),
              department.hidden ? t('admin.org.shown') : t('admin.org.hidden'),
            )
          }
        >
          {department.hidden ? t('admin.org.show') : t('admin.org.hide')}
        </Button>
        <Popconfirm
          title={t('admin.org.deleteConfirm', { name: department.name })}
          onConfirm={async () => {
            const ok = await run(() => qixin.call('admin.dept.delete', { id: department.id }), t('admin.org.deleted'), {
              conflict: t('admin.org.notEmpty'),
            });
            if (ok) props.onDeleted();
          }}
          disabled={fixed}
        >
          <Button size="small" danger icon={<DeleteOutlined />} disabled={fixed}>
            {t('admin.org.delete')}
          </Button>
        </Popconfirm>
      </Space>
    </div>
  );
}

function DepartmentDialog(props: {
  dialog: NonNullable<Dialog>;
  roots: string[];
  onClose: () => void;
  onCreated: (department: Department) => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { org } = useDirectory();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const { kind, department } = props.dialog;
  const titles = {
    create: t('admin.org.createIn', { name: department.name }),
    rename: t('admin.org.rename'),
    move: t('admin.org.moveTitle', { name: department.name }),
    heads: t('admin.org.setHeads'),
  };
  const initial =
    kind === 'rename'
      ? { name: department.name }
      : kind === 'move'
        ? { parentId: department.parentId }
        : kind === 'heads'
          ? { headIds: department.headIds }
          : {};
  const banned = useMemo(
    () => new Set(kind === 'move' ? subtreeIds(org, department.id) : []),
    [org, kind, department.id],
  );

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      if (kind === 'create') {
        const siblings = org.children.get(department.id) ?? [];
        const order = (siblings.at(-1)?.order ?? 0) + 10;
        const { department: created } = await qixin.call('admin.dept.create', {
          parentId: department.id,
          name: values.name.trim(),
          order,
        });
        message.success(t('admin.org.created', { name: created.name }));
        props.onCreated(created);
      } else if (kind === 'rename') {
        await qixin.call('admin.dept.update', { id: department.id, name: values.name.trim() });
        message.success(t('admin.org.renamed'));
      } else if (kind === 'move') {
        await qixin.call('admin.dept.update', { id: department.id, parentId: values.parentId });
        message.success(t('admin.org.moved'));
      } else {
        await qixin.call('admin.dept.update', { id: department.id, headIds: values.headIds ?? [] });
        message.success(t('admin.org.headsSet'));
      }
      props.onClose();
    } catch (err) {
      message.error(
        adminErrorText(t, err, {
          conflict: kind === 'move' ? t('admin.org.moveConflict') : t('admin.org.nameTaken'),
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={titles[kind]}
      onCancel={props.onClose}
      onOk={() => void submit().catch(() => undefined)}
      confirmLoading={busy}
      okText={t('common.confirm')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        {kind === 'create' || kind === 'rename' ? (
          <Form.Item
            name="name"
            label={t('admin.org.name')}
            rules={[
              {
                validator: (_, v) =>
                  DepartmentName.safeParse(v ?? '').success
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('admin.org.nameRule'))),
              },
            ]}
          >
            <Input autoFocus maxLength={64} />
          </Form.Item>
        ) : null}
        {kind === 'move' ? (
          <Form.Item
            name="parentId"
            label={t('admin.org.newParent')}
            rules={[
              { required: true, message: t('admin.org.pickParent') },
              {
                validator: (_, v) =>
                  v && banned.has(v) ? Promise.reject(new Error(t('admin.org.moveIntoSelf'))) : Promise.resolve(),
              },
            ]}
          >
            <DepartmentSelect ariaLabel={t('admin.org.newParent')} roots={props.roots} exclude={department.id} />
          </Form.Item>
        ) : null}
        {kind === 'heads' ? (
          <Form.Item name="headIds" label={t('admin.org.heads')}>
            <UserSelect multiple ariaLabel={t('admin.org.heads')} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
