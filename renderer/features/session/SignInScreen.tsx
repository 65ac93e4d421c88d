import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQixin } from '../../bridge/context';
import { ActivateScreen } from './ActivateScreen';
import { AuthLayout } from './AuthLayout';
import { useSession } from './context';
import { signInErrorText } from './errors';
import { useSessionSubmit } from './useSessionSubmit';

type SignInForm = { login: string; password: string };

export function SignInScreen() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { session } = useSession();
  const [activating, setActivating] = useState(false);
  const { busy, submit } = useSessionSubmit(
    (values: SignInForm) => qixin.call('session.signIn', { login: values.login.trim(), password: values.password }),
    signInErrorText,
  );

  if (activating) return <ActivateScreen onBack={() => setActivating(false)} />;

  return (
    <AuthLayout title={t('signIn.title')} subtitle={session.enterprise?.name ?? t('signIn.subtitle')}>
      <Form<SignInForm> layout="vertical" requiredMark={false} onFinish={submit} disabled={busy}>
        <Form.Item
          name="login"
          label={t('signIn.login')}
          rules={[{ required: true, whitespace: true, message: t('validation.login') }]}
        >
          <Input placeholder={t('signIn.loginPlaceholder')} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('signIn.password')}
          rules={[{ required: true, message: t('validation.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t('signIn.submit')}
        </Button>
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => setActivating(true)} disabled={busy}>
          {t('signIn.activate')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
