import { useState } from 'react';
import { Button, Input, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConversationItem } from '../../../shared/contract';
import { MessagingLimits } from '../../../shared/protocol/message-content';
import { useQixin } from '../../bridge/context';
import { useGroupAction } from './useGroupAction';

/** Owner and admins: 入群欢迎语, 全员禁言, and whether only they may invite and rename. */
export function GroupRulesSection(props: { conversation: ConversationItem }) {
  const { conversation } = props;
  const { t } = useTranslation();
  const qixin = useQixin();
  const run = useGroupAction();
  const [welcome, setWelcome] = useState(conversation.welcome);
  const setSettings = (patch: { muteAll?: boolean; managersOnly?: boolean; welcome?: string }, done?: string) =>
    run(() => qixin.call('groups.setSettings', { conversationId: conversation.id, ...patch }), done);

  return (
    <section className="settings-block" data-testid="group-rules">
      <label className="settings-switch">
        <span>{t('group.muteAll')}</span>
        <Switch
          checked={conversation.muteAll}
          aria-label={t('group.muteAll')}
          onChange={(muteAll) => void setSettings({ muteAll })}
        />
      </label>
      <label className="settings-switch">
        <span>{t('group.managersOnly')}</span>
        <Switch
          checked={conversation.managersOnly}
          aria-label={t('group.managersOnly')}
          onChange={(managersOnly) => void setSettings({ managersOnly })}
        />
      </label>
      <div className="settings-label">{t('group.welcome.title')}</div>
      <Input.TextArea
        value={welcome}
        onChange={(e) => setWelcome(e.target.value)}
        maxLength={MessagingLimits.welcomeMaxChars}
        autoSize={{ minRows: 2, maxRows: 6 }}
        aria-label={t('group.welcome.title')}
        placeholder={t('group.welcome.placeholder')}
      />
      <Button
        size="small"
        className="group-welcome-save"
        disabled={welcome.trim() === conversation.welcome}
        onClick={() => void setSettings({ welcome: welcome.trim() }, t('group.welcome.saved'))}
      >
        {t('group.welcome.save')}
      </Button>
    </section>
  );
}
