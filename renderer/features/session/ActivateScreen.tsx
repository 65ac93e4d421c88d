import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQixin } from '../../bridge/context';
import { AuthLayout } from './AuthLayout';
import { normalizeActivationCode } from './activation-code';
import { activationErrorText } from './errors';
import { useSessionSubmit } from './useSessionSubmit';
import { confirmPasswordRules, newPasswordRules } from '../../ui/passwordRules';

type ActivateForm = { code: string; password: string; confirm: string };

/** A new member redeems the one-time code from their admin, chooses a password and is signed in. */
export function ActivateScreen(props: { initialCode?: string; onBack: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { busy, submit, error } = useSessionSubmit(
    (values: ActivateForm) =>
      qixin.call('session.activate', {
        code: normalizeActivationCode(values.code) ?? values.code.trim(),
        password: values.password,
      }),
    activationErrorText,
    { inline: true },
  );

  return (
    <AuthLayout title={t('activate.title')} subtitle={t('activate.subtitle')}>
      <Form<ActivateForm>
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={busy}
        initialValues={{ code: props.initialCode ?? '' }}
      >
        <Form.Item
          name="code"
          label={t('activate.code')}
          rules={[
            { required: true, whitespace: true, message: t('activate.codeRequired') },
            {
              validator: (_rule, value: string | undefined) =>
                !value?.trim() || normalizeActivationCode(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('activate.codeFormat'))),
            },
          ]}
        >
          <Input
            placeholder={t('activate.codePlaceholder')}
            autoComplete="one-time-code"
            spellCheck={false}
            autoFocus={!props.initialCode}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('activate.password')}
          extra={t('activate.passwordHint')}
          rules={newPasswordRules(t)}
        >
          <Input.Password autoComplete="new-password" autoFocus={Boolean(props.initialCode)} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('activate.confirm')}
          dependencies={['password']}
          rules={confirmPasswordRules(t, 'password')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error ? (
          <Alert type="error" showIcon title={error} data-testid="activation-error" style={{ marginBottom: 16 }} />
        ) : null}
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t('activate.submit')}
        </Button>
        <Button type="link" block style={{ marginTop: 8 }} onClick={props.onBack} disabled={busy}>
          {t('activate.back')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
