import { useState } from 'react';
import { Button, Checkbox, Modal, Popconfirm, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { userName } from '../chat/format';
import { useGroupAction } from './useGroupAction';

/** The owner's actions: 设置群管理员 (at most 10), 转让群主, 解散群聊. */
export function OwnerActions(props: {
  conversation: ConversationItem;
  /** Members other than the owner, in the order the drawer shows them. */
  others: string[];
  byId: Map<string, User>;
}) {
  const { conversation, others, byId } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const run = useGroupAction();
  const [adminsOpen, setAdminsOpen] = useState(false);
  const [admins, setAdmins] = useState<string[]>([]);
  const [transferOpen, setTransferOpen] = useState(false);
  const [heir, setHeir] = useState<string | null>(null);
  const max = MessagingLimits.groupAdminsMax;

  return (
    <section className="settings-block group-owner-actions" data-testid="owner-actions">
      <Button
        block
        onClick={() => {
          setAdmins(conversation.adminIds);
          setAdminsOpen(true);
        }}
      >
        {t('group.admins.set')}
      </Button>
      <Button
        block
        onClick={() => {
          setHeir(null);
          setTransferOpen(true);
        }}
      >
        {t('group.transfer.action')}
      </Button>
      <Popconfirm
        title={t('group.dissolve.confirm')}
        okText={t('group.dissolve.action')}
        okButtonProps={{ danger: true }}
        onConfirm={() =>
          run(() => qixin.call('groups.dissolve', { conversationId: conversation.id }), t('group.dissolve.done'))
        }
      >
        <Button block danger>
          {t('group.dissolve.action')}
        </Button>
      </Popconfirm>

      <Modal
        open={adminsOpen}
        title={t('group.admins.set')}
        onCancel={() => setAdminsOpen(false)}
        onOk={async () => {
          const ok = await run(
            () => qixin.call('groups.setAdmins', { conversationId: conversation.id, userIds: admins }),
            t('group.admins.saved'),
          );
          if (ok) setAdminsOpen(false);
        }}
        destroyOnHidden
      >
        <div className="group-pick-hint">{t('group.admins.hint', { count: admins.length, max })}</div>
        <Checkbox.Group
          className="group-pick-list"
          value={admins}
          onChange={(ids) => setAdmins(ids as string[])}
          options={others.map((id) => ({
            value: id,
            label: userName(byId, id, t),
            // The eleventh cannot be ticked: the relay would refuse it anyway (too_many_admins).
            disabled: !admins.includes(id) && admins.length >= max,
          }))}
        />
      </Modal>

      <Modal
        open={transferOpen}
        title={t('group.transfer.action')}
        okText={t('group.transfer.ok')}
        okButtonProps={{ disabled: heir === null }}
        onCancel={() => setTransferOpen(false)}
        onOk={async () => {
          if (!heir) return;
          const ok = await run(
            () => qixin.call('groups.transfer', { conversationId: conversation.id, userId: heir }),
            t('group.transfer.done', { name: userName(byId, heir, t) }),
          );
          if (ok) setTransferOpen(false);
        }}
        destroyOnHidden
      >
        <div className="group-pick-hint">{t('group.transfer.hint')}</div>
        <Radio.Group
          className="group-pick-list"
          value={heir}
          onChange={(e) => setHeir(e.target.value as string)}
          options={others.map((id) => ({ value: id, label: userName(byId, id, t) }))}
        />
      </Modal>
    </section>
  );
}
