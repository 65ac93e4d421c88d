import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Empty, Form, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { ArrowRightOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { v4 as uuidv4 } from 'uuid';
import type { VisibilityRule } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useDirectory } from '../contacts/directory';
import { pathText } from '../contacts/org';
import { adminErrorText } from './errors';
import { DepartmentSelect } from './pickers';

/** 通讯录查看权限 (super admins only): members of some departments see only some others. */
export function VisibilityAdmin() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { org } = useDirectory();
  const { message } = App.useApp();
  const [rules, setRules] = useState<VisibilityRule[] | null>(null);
  const [editing, setEditing] = useState<VisibilityRule | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      setRules((await qixin.call('admin.visibility.get', {})).rules);
    } catch (err) {
      message.error(adminErrorText(t, err));
    }
  }, [qixin, message, t]);
  useEffect(() => {
    void load();
  }, [load]);

  // The relay keeps the whole set; every edit sends it back complete.
  const save = async (next: VisibilityRule[]) => {
    try {
      setRules((await qixin.call('admin.visibility.set', { rules: next })).rules);
      message.success(t('admin.visibility.saved'));
      return true;
    } catch (err) {
      message.error(adminErrorText(t, err));
      return false;
    }
  };

  const tags = (ids: string[]) => ids.map((id) => <Tag key={id}>{pathText(org, id) || id}</Tag>);

  return (
    <div className="admin-page">
      <header className="admin-page-header">
        <h2>{t('admin.nav.visibility')}</h2>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('admin.visibility.add')}
        </Button>
      </header>
      <Alert type="info" showIcon className="admin-hint" title={t('admin.visibility.hint')} />
      <Table<VisibilityRule>
        rowKey="id"
        dataSource={rules ?? []}
        loading={rules === null}
        pagination={false}
        data-testid="visibility-rules"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.visibility.none')} /> }}
        columns={[
          {
            title: t('admin.visibility.subjects'),
            dataIndex: 'subjectDepartmentIds',
            render: tags,
          },
          { title: '', key: 'arrow', width: 40, render: () => <ArrowRightOutlined /> },
          {
            title: t('admin.visibility.visible'),
            dataIndex: 'visibleDepartmentIds',
            render: tags,
          },
          {
            title: '',
            key: 'actions',
            width: 160,
            render: (_, rule) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(rule)}>
                  {t('admin.roles.edit')}
                </Button>
                <Popconfirm
                  title={t('admin.visibility.deleteConfirm')}
                  onConfirm={() => save((rules ?? []).filter((r) => r.id !== rule.id))}
                >
                  <Button type="link" size="small" danger>
                    {t('admin.org.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing ? (
        <RuleModal
          rule={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onOk={async (rule) => {
            const list = rules ?? [];
            const next = list.some((r) => r.id === rule.id)
              ? list.map((r) => (r.id === rule.id ? rule : r))
              : [...list, rule];
            if (await save(next)) setEditing(null);
          }}
        />
      ) : null}
    </div>
  );
}

function RuleModal(props: {
  rule: VisibilityRule | null;
  onCancel: () => void;
  onOk: (rule: VisibilityRule) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Omit<VisibilityRule, 'id'>>();
  const [id] = useState(() => props.rule?.id ?? uuidv4());
  return (
    <Modal
      open
      title={props.rule ? t('admin.visibility.edit') : t('admin.visibility.add')}
      onCancel={props.onCancel}
      onOk={() =>
        void form.validateFields().then(
          (values) => props.onOk({ id, ...values }),
          () => undefined,
        )
      }
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={props.rule ?? { subjectDepartmentIds: [], visibleDepartmentIds: [] }}
      >
        <Form.Item
          name="subjectDepartmentIds"
          label={t('admin.visibility.subjects')}
          extra={t('admin.visibility.subjectsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('admin.members.pickDepartment') }]}
        >
          <DepartmentSelect multiple ariaLabel={t('admin.visibility.subjects')} />
        </Form.Item>
        <Form.Item
          name="visibleDepartmentIds"
          label={t('admin.visibility.visible')}
          extra={t('admin.visibility.visibleHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('admin.members.pickDepartment') }]}
        >
          <DepartmentSelect multiple ariaLabel={t('admin.visibility.visible')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
