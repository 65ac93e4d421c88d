import { useCallback, useEffect, useState } from 'react';
import { App, Button, Checkbox, Empty, Form, List, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CallResult } from '../../../shared/contract';
import type { AdminGrant, AdminRight } from '../../../shared/protocol/entities';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { useDirectory, useUsers } from '../contacts/directory';
import { pathText } from '../contacts/org';
import { Avatar } from '../shell/Avatar';
import { adminErrorText } from './errors';
import { DepartmentSelect, UserSelect } from './pickers';

type Roles = CallResult<'admin.roles.get'>;
const RIGHTS: readonly AdminRight[] = ['directory', 'apps', 'customers'];

/** 角色管理 (super admins only): super admins, and department admins with their subtrees and rights. */
export function RolesAdmin() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { org } = useDirectory();
  const { message } = App.useApp();
  const [roles, setRoles] = useState<Roles | null>(null);
  const [editing, setEditing] = useState<AdminGrant | 'new' | null>(null);
  const [addingSuper, setAddingSuper] = useState(false);
  const byId = useUsers([...(roles?.superAdminIds ?? []), ...(roles?.grants.map((g) => g.userId) ?? [])]);

  const load = useCallback(async () => {
    try {
      setRoles(await qixin.call('admin.roles.get', {}));
    } catch (err) {
      message.error(adminErrorText(t, err));
    }
  }, [qixin, message, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useQixinEvent('directory.changed', () => void load());

  const setRole = async (args: Parameters<typeof qixin.call<'admin.roles.set'>>[1], done: string) => {
    try {
      await qixin.call('admin.roles.set', args);
      message.success(done);
      await load();
      return true;
    } catch (err) {
      message.error(adminErrorText(t, err, { conflict: t('admin.roles.lastSuper') }));
      return false;
    }
  };

  const name = (id: string) => byId.get(id)?.name ?? t('common.unknownUser');

  return (
    <div className="admin-page">
      <header className="admin-page-header">
        <h2>{t('admin.nav.roles')}</h2>
      </header>
      <section className="admin-section">
        <div className="admin-section-head">
          <h3>{t('admin.roles.super')}</h3>
          <Button icon={<PlusOutlined />} onClick={() => setAddingSuper(true)}>
            {t('admin.roles.addSuper')}
          </Button>
        </div>
        <List
          bordered
          dataSource={roles?.superAdminIds ?? []}
          data-testid="super-admins"
          renderItem={(id) => (
            <List.Item
              actions={[
                <Popconfirm
                  key="remove"
                  title={t('admin.roles.removeConfirm', { name: name(id) })}
                  onConfirm={() => setRole({ userId: id, role: 'none' }, t('admin.roles.removed'))}
                >
                  <Button type="link" danger size="small">
                    {t('admin.roles.remove')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <Space>
                <Avatar id={id} name={name(id)} size={28} />
                {name(id)}
              </Space>
            </List.Item>
          )}
        />
      </section>
      <section className="admin-section">
        <div className="admin-section-head">
          <h3>{t('admin.roles.department')}</h3>
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('admin.roles.addDepartmentAdmin')}
          </Button>
        </div>
        <Table<AdminGrant>
          size="small"
          rowKey="userId"
          dataSource={roles?.grants ?? []}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.roles.none')} /> }}
          columns={[
            { title: t('member.name'), dataIndex: 'userId', render: (id: string) => name(id) },
            {
              title: t('admin.roles.departments'),
              dataIndex: 'departmentIds',
              render: (ids: string[]) => ids.map((id) => <Tag key={id}>{pathText(org, id) || id}</Tag>),
            },
            {
              title: t('admin.roles.rights'),
              dataIndex: 'rights',
              render: (rights: AdminRight[]) => rights.map((r) => <Tag key={r}>{t(`admin.rights.${r}`)}</Tag>),
            },
            {
              title: '',
              key: 'actions',
              width: 160,
              render: (_, grant) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing(grant)}>
                    {t('admin.roles.edit')}
                  </Button>
                  <Popconfirm
                    title={t('admin.roles.removeConfirm', { name: name(grant.userId) })}
                    onConfirm={() => setRole({ userId: grant.userId, role: 'none' }, t('admin.roles.removed'))}
                  >
                    <Button type="link" danger size="small">
                      {t('admin.roles.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </section>
      {addingSuper ? (
        <PickUserModal
          title={t('admin.roles.addSuper')}
          onCancel={() => setAddingSuper(false)}
          onOk={async (userId) => {
            if (await setRole({ userId, role: 'super' }, t('admin.roles.saved'))) setAddingSuper(false);
          }}
        />
      ) : null}
      {editing ? (
        <GrantModal
          grant={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onOk={async (grant) => {
            if (await setRole({ role: 'department', ...grant }, t('admin.roles.saved'))) setEditing(null);
          }}
        />
      ) : null}
    </div>
  );
}

function PickUserModal(props: { title: string; onCancel: () => void; onOk: (userId: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<string | null>(null);
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onCancel}
      okButtonProps={{ disabled: !userId }}
      onOk={() => userId && void props.onOk(userId)}
    >
      <UserSelect
        value={userId}
        onChange={(v) => setUserId(typeof v === 'string' ? v : null)}
        ariaLabel={t('admin.roles.member')}
      />
    </Modal>
  );
}

function GrantModal(props: {
  grant: AdminGrant | null;
  onCancel: () => void;
  onOk: (grant: AdminGrant) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AdminGrant>();
  return (
    <Modal
      open
      title={props.grant ? t('admin.roles.edit') : t('admin.roles.addDepartmentAdmin')}
      onCancel={props.onCancel}
      onOk={() => void form.validateFields().then(props.onOk, () => undefined)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={props.grant ?? { userId: undefined, departmentIds: [], rights: ['directory'] }}
      >
        <Form.Item
          name="userId"
          label={t('admin.roles.member')}
          rules={[{ required: true, message: t('admin.roles.pickMember') }]}
        >
          <UserSelect ariaLabel={t('admin.roles.member')} />
        </Form.Item>
        <Form.Item
          name="departmentIds"
          label={t('admin.roles.departments')}
          rules={[{ required: true, type: 'array', min: 1, message: t('admin.members.pickDepartment') }]}
        >
          <DepartmentSelect multiple ariaLabel={t('admin.roles.departments')} />
        </Form.Item>
        <Form.Item
          name="rights"
          label={t('admin.roles.rights')}
          rules={[{ required: true, type: 'array', min: 1, message: t('admin.roles.pickRight') }]}
        >
          <Checkbox.Group options={RIGHTS.map((r) => ({ value: r, label: t(`admin.rights.${r}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
