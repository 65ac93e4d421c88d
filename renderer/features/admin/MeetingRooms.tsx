import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MeetingRoom } from '../../../shared/protocol/calendar';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { adminErrorText } from './errors';

type RoomValues = { name: string; capacity: number; location: string; equipment: string[] };

/** 会议室 (super admins): the bookable rooms with capacity, place and equipment. */
export function MeetingRooms() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [rooms, setRooms] = useState<MeetingRoom[] | null>(null);
  const [editing, setEditing] = useState<MeetingRoom | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      setRooms((await qixin.call('calendar.rooms', {})).rooms);
    } catch (err) {
      message.error(adminErrorText(t, err));
      setRooms((prev) => prev ?? []);
    }
  }, [qixin, message, t]);
  useEffect(() => void load(), [load]);
  useQixinEvent('calendar.changed', () => void load());

  const remove = async (room: MeetingRoom) => {
    try {
      await qixin.call('calendar.deleteRoom', { roomId: room.id });
      await load();
    } catch (err) {
      message.error(adminErrorText(t, err));
    }
  };

  return (
    <div className="admin-page">
      <Card
        title={t('calendar.rooms.title')}
        className="settings-card"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('calendar.rooms.add')}
          </Button>
        }
      >
        <p className="admin-hint">{t('calendar.rooms.hint')}</p>
        <Table<MeetingRoom>
          size="small"
          rowKey="id"
          loading={rooms === null}
          dataSource={rooms ?? []}
          pagination={false}
          data-testid="rooms-table"
          locale={{ emptyText: t('calendar.rooms.empty') }}
          columns={[
            { title: t('calendar.rooms.name'), dataIndex: 'name' },
            { title: t('calendar.rooms.capacity'), dataIndex: 'capacity', width: 96 },
            { title: t('calendar.rooms.location'), dataIndex: 'location' },
            {
              title: t('calendar.rooms.equipment'),
              dataIndex: 'equipment',
              render: (equipment: string[]) => equipment.map((e) => <Tag key={e}>{e}</Tag>),
            },
            {
              title: '',
              key: 'actions',
              width: 140,
              render: (_, room) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing(room)}>
                    {t('calendar.rooms.edit')}
                  </Button>
                  <Popconfirm
                    title={t('calendar.rooms.deleteTitle', { name: room.name })}
                    description={t('calendar.rooms.deleteBody')}
                    okText={t('calendar.rooms.delete')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove(room)}
                  >
                    <Button type="link" size="small" danger>
                      {t('calendar.rooms.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <RoomDialog
        room={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void load();
        }}
      />
    </div>
  );
}

function RoomDialog(props: { room: MeetingRoom | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoomValues>();
  const [busy, setBusy] = useState(false);
  const { room } = props;

  useEffect(() => {
    if (!room) return;
    form.setFieldsValue(
      room === 'new'
        ? { name: '', capacity: 10, location: '', equipment: [] }
        : { name: room.name, capacity: room.capacity, location: room.location, equipment: room.equipment },
    );
  }, [room, form]);

  const save = async () => {
    let values: RoomValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await qixin.call('calendar.saveRoom', {
        ...(room && room !== 'new' ? { id: room.id } : {}),
        name: values.name.trim(),
        capacity: values.capacity,
        location: values.location.trim(),
        equipment: values.equipment.map((e) => e.trim()).filter(Boolean),
      });
      props.onSaved();
    } catch (err) {
      message.error(adminErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={room !== null}
      title={room === 'new' ? t('calendar.rooms.add') : t('calendar.rooms.edit')}
      okText={t('common.save')}
      okButtonProps={{ loading: busy }}
      onOk={() => void save()}
      onCancel={props.onClose}
      forceRender
    >
      <Form<RoomValues> form={form} layout="vertical">
        <Form.Item
          name="name"
          label={t('calendar.rooms.name')}
          rules={[{ required: true, whitespace: true, message: t('calendar.rooms.nameRequired') }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="capacity" label={t('calendar.rooms.capacity')} rules={[{ required: true }]}>
          <InputNumber min={1} max={10_000} precision={0} />
        </Form.Item>
        <Form.Item name="location" label={t('calendar.rooms.location')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="equipment" label={t('calendar.rooms.equipment')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} placeholder={t('calendar.rooms.equipmentHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
