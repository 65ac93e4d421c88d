import { useState } from 'react';
import { App, Button, Drawer, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { CallResult } from '../../../shared/contract';
import {
  AccountName,
  Email,
  Landline,
  MemberFieldLimits,
  Mobile,
  PersonName,
  type MemberFields,
  type MemberPatch,
  type MemberStatus,
  type User,
} from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useDirectory } from '../contacts/directory';
import { adminErrorText } from './errors';
import { DepartmentSelect, UserSelect } from './pickers';

type Values = {
  name: string;
  account: string;
  alias?: string;
  title?: string;
  departmentIds: string[];
  gender: MemberFields['gender'];
  mobile?: string;
  phone?: string;
  email?: string;
  address?: string;
  managerId?: string | null;
  status: MemberStatus;
  hidden: boolean;
};

type Activation = CallResult<'admin.member.activation'>['activation'];

/** A form rule from a shared schema, so the form accepts exactly what the relay accepts. */
function schemaRule(schema: z.ZodType, message: string, optional = true) {
  return {
    validator: (_: unknown, value: unknown) => {
      if (optional && (value === undefined || value === null || value === '')) return Promise.resolve();
      return schema.safeParse(value).success ? Promise.resolve() : Promise.reject(new Error(message));
    },
  };
}

const blank = (v: string | undefined) => (v?.trim() ? v.trim() : null);

function toFields(v: Values): MemberFields {
  return {
    name: v.name.trim(),
    account: v.account.trim(),
    alias: v.alias?.trim() ?? '',
    title: v.title?.trim() ?? '',
    departmentIds: v.departmentIds,
    gender: v.gender,
    mobile: blank(v.mobile),
    phone: blank(v.phone),
    email: blank(v.email),
    address: v.address?.trim() ?? '',
    managerId: v.managerId ?? null,
    status: v.status,
    hidden: v.hidden,
  };
}

function fromUser(u: User): Values {
  return {
    name: u.name,
    account: u.account,
    alias: u.alias,
    title: u.title,
    departmentIds: u.departmentIds,
    gender: u.gender,
    mobile: u.mobile ?? '',
    phone: u.phone ?? '',
    email: u.email ?? '',
    address: u.address,
    managerId: u.managerId,
    status: u.status,
    hidden: u.hidden,
  };
}

/** Only what changed, so an edit never overwrites a field someone else changed meanwhile. */
function diff(before: MemberFields, after: MemberFields): MemberPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof MemberFields)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  }
  return patch as MemberPatch;
}

/** 添加成员 / 编辑成员: every column of the template; a new member's activation code is shown once. */
export function MemberForm(props: {
  editing: { mode: 'create'; departmentId: string } | { mode: 'edit'; user: User };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { byId, remember } = useDirectory();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [activation, setActivation] = useState<{ user: User; activation: Activation } | null>(null);
  const editing = props.editing;
  // The freshest copy (a directory change may have landed since the row was clicked).
  const user = editing.mode === 'edit' ? (byId.get(editing.user.id) ?? editing.user) : null;
  const initial: Values = user
    ? fromUser(user)
    : {
        name: '',
        account: '',
        departmentIds: [editing.mode === 'create' ? editing.departmentId : ''],
        gender: 'unspecified',
        status: 'active',
        hidden: false,
        managerId: null,
      };
  const meanings = { conflict: t('admin.members.taken') };

  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      if (!user) {
        const created = await qixin.call('admin.member.create', toFields(values));
        remember([created.user]);
        setActivation(created);
        message.success(t('contacts.added', { name: created.user.name }));
      } else {
        const patch = diff(toFields(fromUser(user)), toFields(values));
        if (Object.keys(patch).length > 0) {
          const { user: saved } = await qixin.call('admin.member.update', { id: user.id, patch });
          remember([saved]);
          message.success(t('admin.members.saved'));
        }
        props.onClose();
      }
    } catch (err) {
      message.error(adminErrorText(t, err, meanings));
    } finally {
      setBusy(false);
    }
  };

  const setStatus = async (status: MemberStatus) => {
    if (!user) return;
    try {
      const { user: saved } = await qixin.call('admin.member.update', { id: user.id, patch: { status } });
      remember([saved]);
      form.setFieldValue('status', status);
      message.success(t(`admin.members.statusSet.${status}`, { name: saved.name }));
    } catch (err) {
      message.error(adminErrorText(t, err, meanings));
    }
  };

  const reissue = async () => {
    if (!user) return;
    try {
      const { activation: next } = await qixin.call('admin.member.activation', { userId: user.id });
      setActivation({ user, activation: next });
    } catch (err) {
      message.error(adminErrorText(t, err, { conflict: t('admin.members.alreadyActivated') }));
    }
  };

  return (
    <>
      <Drawer
        open
        onClose={props.onClose}
        size={520}
        title={user ? t('admin.members.edit', { name: user.name }) : t('contacts.addMember')}
        destroyOnHidden
        extra={
          user ? (
            <Space size={4}>
              {!user.activated ? <Button onClick={() => void reissue()}>{t('admin.members.newCode')}</Button> : null}
              {user.status === 'active' ? (
                <>
                  <Popconfirm
                    title={t('admin.members.disableConfirm', { name: user.name })}
                    onConfirm={() => setStatus('disabled')}
                  >
                    <Button>{t('admin.members.disable')}</Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('admin.members.leaveConfirm', { name: user.name })}
                    onConfirm={() => setStatus('left')}
                  >
                    <Button danger>{t('admin.members.leave')}</Button>
                  </Popconfirm>
                </>
              ) : (
                <Button onClick={() => void setStatus('active')}>{t('admin.members.enable')}</Button>
              )}
            </Space>
          ) : null
        }
        footer={
          <Space className="drawer-footer">
            <Button onClick={props.onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => void save().catch(() => undefined)}>
              {user ? t('common.save') : t('contacts.addMemberOk')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" initialValues={initial} requiredMark="optional" className="member-form">
          <div className="form-grid">
            <Form.Item
              name="name"
              label={t('member.name')}
              rules={[schemaRule(PersonName, t('validation.name'), false)]}
            >
              <Input maxLength={MemberFieldLimits.name} />
            </Form.Item>
            <Form.Item
              name="account"
              label={t('member.account')}
              rules={[schemaRule(AccountName, t('validation.account'), false)]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="alias" label={t('member.alias')}>
              <Input maxLength={MemberFieldLimits.alias} />
            </Form.Item>
            <Form.Item name="title" label={t('member.title')}>
              <Input maxLength={MemberFieldLimits.title} />
            </Form.Item>
          </div>
          <Form.Item
            name="departmentIds"
            label={t('member.departments')}
            rules={[{ required: true, type: 'array', min: 1, message: t('admin.members.pickDepartment') }]}
          >
            <DepartmentSelect multiple ariaLabel={t('member.departments')} />
          </Form.Item>
          <Form.Item name="gender" label={t('member.gender.label')}>
            <Radio.Group
              options={(['male', 'female', 'unspecified'] as const).map((g) => ({
                value: g,
                label: t(`member.gender.${g}`),
              }))}
            />
          </Form.Item>
          <div className="form-grid">
            <Form.Item name="mobile" label={t('member.mobile')} rules={[schemaRule(Mobile, t('validation.mobile'))]}>
              <Input />
            </Form.Item>
            <Form.Item name="phone" label={t('member.phone')} rules={[schemaRule(Landline, t('validation.phone'))]}>
              <Input />
            </Form.Item>
          </div>
          <Form.Item name="email" label={t('member.email')} rules={[schemaRule(Email, t('validation.email'))]}>
            <Input />
          </Form.Item>
          <Form.Item name="address" label={t('member.address')}>
            <Input maxLength={MemberFieldLimits.address} />
          </Form.Item>
          <Form.Item name="managerId" label={t('member.manager')}>
            <UserSelect ariaLabel={t('member.manager')} excludeId={user?.id} />
          </Form.Item>
          <div className="form-grid">
            <Form.Item name="status" label={t('member.status.label')}>
              <Select
                aria-label={t('member.status.label')}
                options={(['active', 'disabled', 'left'] as const).map((s) => ({
                  value: s,
                  label: t(`member.status.${s}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="hidden" label={t('member.hidden')} valuePropName="checked">
              <Switch aria-label={t('member.hidden')} />
            </Form.Item>
          </div>
        </Form>
      </Drawer>
      <Modal
        open={activation !== null}
        title={t('admin.members.activationTitle')}
        onCancel={() => {
          setActivation(null);
          if (!user) props.onClose();
        }}
        footer={
          <Button
            type="primary"
            onClick={() => {
              setActivation(null);
              if (!user) props.onClose();
            }}
          >
            {t('common.confirm')}
          </Button>
        }
      >
        {activation ? (
          <div className="activation">
            <p>{t('admin.members.activationHint', { name: activation.user.name, account: activation.user.account })}</p>
            <Typography.Paragraph
              className="activation-code"
              data-testid="activation-code"
              copyable={{ text: activation.activation.code, tooltips: [t('admin.copy'), t('admin.copied')] }}
            >
              {activation.activation.code}
            </Typography.Paragraph>
            <p className="activation-expiry">
              {t('admin.members.activationExpires', {
                time: new Date(activation.activation.expiresAt).toLocaleString(),
              })}
            </p>
          </div>
        ) : null}
      </Modal>
    </>
  );
}
