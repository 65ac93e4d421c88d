import { useState } from 'react';
import { Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { FileName } from '../../../shared/protocol/files';
import { errorText } from '../session/errors';

/**
 * Asks for a name (新建文件夹, 重命名, 新建团队空间). A name the relay would refuse (/ \ control
 * characters, . or ..) is said at once; the relay's own refusal (同名) is shown under the field.
 */
export function NameDialog(props: {
  title: string;
  label: string;
  initial: string;
  onCancel: () => void;
  onSubmit: (name: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(props.initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const trimmed = name.trim();
    if (!FileName.safeParse(trimmed).success) {
      setProblem(t('errors.reason.file_name_invalid'));
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit(trimmed);
    } catch (err) {
      setProblem(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={props.title}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !name.trim(), loading: busy }}
      onOk={() => void submit()}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Input
        autoFocus
        value={name}
        aria-label={props.label}
        placeholder={props.label}
        status={problem ? 'error' : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
        }}
        onPressEnter={(e) => {
          // Enter picks an IME candidate while composing; it submits only after.
          if (!e.nativeEvent.isComposing) void submit();
        }}
        onFocus={(e) => {
          // Select the name without its extension, as file managers do.
          const dot = props.initial.lastIndexOf('.');
          e.target.setSelectionRange(0, dot > 0 ? dot : props.initial.length);
        }}
      />
      {problem ? (
        <div className="drive-field-error" role="alert">
          {problem}
        </div>
      ) : null}
    </Modal>
  );
}
