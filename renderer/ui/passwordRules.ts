// Form rules of a new password and of its confirmation, shared by setup, activation and the
// password change in settings (the relay's NewPassword: 8–128 characters).
import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

export const newPasswordRules = (t: TFunction): FormRule[] => [
  { required: true, min: 8, max: 128, message: t('validation.password') },
];

/** The confirmation must equal the field named `passwordField`. */
export const confirmPasswordRules = (t: TFunction, passwordField: string): FormRule[] => [
  { required: true, message: t('validation.confirm') },
  ({ getFieldValue }) => ({
    validator: (_rule, value) =>
      !value || getFieldValue(passwordField) === value
        ? Promise.resolve()
        : Promise.reject(new Error(t('validation.confirmMismatch'))),
  }),
];
