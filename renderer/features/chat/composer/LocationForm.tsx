import { Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { LocationBody } from '../../../../shared/protocol/message-content';

type Location = z.infer<typeof LocationBody>;
type Values = { name: string; address?: string; latitude: number; longitude: number };

/** 位置: name, address and coordinates (a desktop has no GPS; people paste them from a map). */
export function LocationForm(props: {
  open: boolean;
  onCancel: () => void;
  onOk: (location: Location) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const submit = async () => {
    const values = await form.validateFields();
    await props.onOk({
      kind: 'location',
      name: values.name.trim(),
      address: (values.address ?? '').trim(),
      latitude: values.latitude,
      longitude: values.longitude,
    });
    form.resetFields();
  };
  return (
    <Modal
      open={props.open}
      title={t('chat.location.title')}
      okText={t('chat.send')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => {
        form.resetFields();
        props.onCancel();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="name"
          label={t('chat.location.name')}
          rules={[{ required: true, whitespace: true, message: t('chat.location.nameRequired') }, { max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="address" label={t('chat.location.address')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <div className="location-coords">
          <Form.Item
            name="latitude"
            label={t('chat.location.latitude')}
            rules={[{ required: true, message: t('chat.location.latitudeRange') }]}
          >
            <InputNumber min={-90} max={90} step={0.000001} className="location-number" />
          </Form.Item>
          <Form.Item
            name="longitude"
            label={t('chat.location.longitude')}
            rules={[{ required: true, message: t('chat.location.longitudeRange') }]}
          >
            <InputNumber min={-180} max={180} step={0.000001} className="location-number" />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
