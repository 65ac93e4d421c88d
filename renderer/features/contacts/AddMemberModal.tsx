import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { ACCOUNT_PATTERN } from '../session/SetupScreen';
import { errorText } from '../session/errors';
import { newPasswordRules } from '../../ui/passwordRules';

type AddMemberForm = { name: string; account: string; mobile?: string; email?: string; password: string };

/** Admins add a colleague with an initial password they hand over. */
export function AddMemberModal(props: { open: boolean; onClose: () => void; onAdded: (user: User) => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddMemberForm>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const { user } = await qixin.call('directory.addMember', {
        name: values.name.trim(),
        account: values.account.trim(),
        ...(values.mobile?.trim() ? { mobile: values.mobile.trim() } : {}),
        ...(values.email?.trim() ? { email: values.email.trim() } : {}),
        password: values.password,
      });
      message.success(t('contacts.added', { name: user.name }));
      form.resetFields();
      props.onAdded(user);
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t('contacts.addMember')}
      okText={t('contacts.addMemberOk')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={props.onClose}
      confirmLoading={busy}
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark="optional">
        <Form.Item
          name="name"
          label={t('contacts.name')}
          rules={[{ required: true, whitespace: true, max: 64, message: t('validation.name') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="account"
          label={t('contacts.account')}
          rules={[{ required: true, min: 2, max: 64, pattern: ACCOUNT_PATTERN, message: t('validation.account') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('contacts.mobile')}
          rules={[{ pattern: /^\+?[0-9-]{5,20}$/, message: t('validation.mobile') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('contacts.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('contacts.initialPassword')} rules={newPasswordRules(t)}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
