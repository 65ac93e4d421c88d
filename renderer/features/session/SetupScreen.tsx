import { useEffect } from 'react';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQixin } from '../../bridge/context';
import { AuthLayout } from './AuthLayout';
import { useSession } from './context';
import { useSessionSubmit } from './useSessionSubmit';
import { confirmPasswordRules, newPasswordRules } from '../../ui/passwordRules';

type SetupForm = { enterpriseName: string; adminName: string; account: string; password: string; confirm: string };

const RECHECK_MS = 10_000;

export const ACCOUNT_PATTERN = /^[A-Za-z0-9._@-]+$/;

/** First run: nobody has set up this relay yet, so the first user creates the enterprise. */
export function SetupScreen() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { refreshSession } = useSession();

  // Someone else may create the company meanwhile (another device on the same relay).
  useEffect(() => {
    const timer = window.setInterval(() => void refreshSession().catch(() => undefined), RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [refreshSession]);

  const { busy, submit } = useSessionSubmit((values: SetupForm) =>
    qixin.call('session.createEnterprise', {
      enterpriseName: values.enterpriseName.trim(),
      adminName: values.adminName.trim(),
      account: values.account.trim(),
      password: values.password,
    }),
  );

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <Form<SetupForm> layout="vertical" requiredMark={false} onFinish={submit} disabled={busy}>
        <Form.Item
          name="enterpriseName"
          label={t('setup.enterpriseName')}
          rules={[{ required: true, whitespace: true, max: 64, message: t('validation.name') }]}
        >
          <Input placeholder={t('setup.enterpriseNamePlaceholder')} autoFocus />
        </Form.Item>
        <Form.Item
          name="adminName"
          label={t('setup.adminName')}
          rules={[{ required: true, whitespace: true, max: 64, message: t('validation.name') }]}
        >
          <Input placeholder={t('setup.adminNamePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="account"
          label={t('setup.account')}
          rules={[{ required: true, min: 2, max: 64, pattern: ACCOUNT_PATTERN, message: t('validation.account') }]}
        >
          <Input placeholder={t('setup.accountPlaceholder')} autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('setup.password')} rules={newPasswordRules(t)}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('setup.confirm')}
          dependencies={['password']}
          rules={confirmPasswordRules(t, 'password')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
