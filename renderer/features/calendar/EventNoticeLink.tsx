import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SystemNotice } from '../../../shared/protocol/entities';
import { useNavigation } from '../shell/navigation';

/** 查看日程 after a calendar notice in a chat: opens 日程 at that day with the event's details. */
export function EventNoticeLink(props: { event: NonNullable<SystemNotice['event']> }) {
  const { t } = useTranslation();
  const { openCalendar } = useNavigation();
  return (
    <Button
      type="link"
      size="small"
      className="cal-notice-link"
      onClick={() => openCalendar(props.event.start, props.event.eventId)}
    >
      {t('calendar.notice.open')}
    </Button>
  );
}
