import { useRef, useState } from 'react';
import { App, Button, Checkbox, Dropdown, Spin, Tooltip, type MenuProps } from 'antd';
import { EllipsisOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CalendarInfo, ImportReport } from '../../../shared/protocol/calendar';
import { useQixin } from '../../bridge/context';
import { blobToBase64, saveBase64 } from '../../ui/base64-files';
import { useUsers } from '../contacts/directory';
import { errorText } from '../session/errors';
import { CALENDAR_COLORS, CalendarNameDialog, FeedDialog, ImportReportDialog, ShareDialog } from './CalendarDialogs';
import { MiniMonth } from './MiniMonth';

type Dialog =
  | { kind: 'create' }
  | { kind: 'rename'; calendar: CalendarInfo }
  | { kind: 'share'; calendar: CalendarInfo }
  | { kind: 'feed' }
  | { kind: 'report'; calendar: CalendarInfo; report: ImportReport }
  | null;

/** The left column of 日程: a small month, my calendars and shared ones, the subscription link. */
export function CalendarSidebar(props: {
  calendars: CalendarInfo[] | null;
  focusDate: number;
  range: { from: number; to: number } | null;
  onPickDate: (date: Date) => void;
  onCreateEvent: () => void;
  onCalendarChanged: (calendar: CalendarInfo) => void;
  reloadCalendars: () => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message, modal } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const importInput = useRef<HTMLInputElement>(null);
  const importInto = useRef<CalendarInfo | null>(null);
  const mine = (props.calendars ?? []).filter((c) => c.level === 'owner');
  const shared = (props.calendars ?? []).filter((c) => c.level !== 'owner');
  const owners = useUsers(shared.map((c) => c.ownerId));

  const update = async (calendar: CalendarInfo, patch: { hidden?: boolean; color?: string }) => {
    // Shown at once; the relay's answer (or the refetch after a refusal) settles it.
    props.onCalendarChanged({ ...calendar, ...patch });
    try {
      props.onCalendarChanged(
        (await qixin.call('calendar.updateCalendar', { calendarId: calendar.id, ...patch })).calendar,
      );
    } catch (err) {
      message.error(errorText(t, err));
      props.reloadCalendars();
    }
  };

  const exportIcs = async (calendar: CalendarInfo) => {
    try {
      const { fileName, base64 } = await qixin.call('calendar.export', { calendarId: calendar.id });
      saveBase64(fileName, base64, 'text/calendar');
    } catch (err) {
      message.error(errorText(t, err));
    }
  };

  const importPicked = async (file: File | undefined) => {
    const calendar = importInto.current;
    if (!file || !calendar) return;
    const key = 'calendar-import';
    message.open({ key, type: 'loading', duration: 0, content: t('calendar.import.running', { name: file.name }) });
    try {
      const report = await qixin.call('calendar.import', {
        calendarId: calendar.id,
        fileName: file.name,
        base64: await blobToBase64(file),
      });
      setDialog({ kind: 'report', calendar, report });
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      message.destroy(key);
    }
  };

  const remove = (calendar: CalendarInfo) =>
    modal.confirm({
      title: t('calendar.delete.title', { name: calendar.name }),
      content: t('calendar.delete.body'),
      okText: t('calendar.delete.ok'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await qixin.call('calendar.deleteCalendar', { calendarId: calendar.id });
          props.reloadCalendars();
        } catch (err) {
          message.error(errorText(t, err));
        }
      },
    });

  const menu = (calendar: CalendarInfo): MenuProps['items'] => {
    const owner = calendar.level === 'owner';
    const items: MenuProps['items'] = [
      {
        key: 'color',
        label: t('calendar.menu.color'),
        children: CALENDAR_COLORS.map((color) => ({
          key: `color:${color}`,
          label: (
            <span className="cal-color-choice">
              <span className="cal-swatch" style={{ background: color }} />
              {color === calendar.color ? t('calendar.menu.currentColor') : null}
            </span>
          ),
          onClick: () => void update(calendar, { color }),
        })),
      },
    ];
    if (owner) {
      items.push({
        key: 'rename',
        label: t('calendar.menu.rename'),
        onClick: () => setDialog({ kind: 'rename', calendar }),
      });
      items.push({
        key: 'share',
        label: t('calendar.menu.share'),
        onClick: () => setDialog({ kind: 'share', calendar }),
      });
    }
    if (owner || calendar.level === 'edit') {
      items.push({
        key: 'import',
        label: t('calendar.menu.import'),
        onClick: () => {
          importInto.current = calendar;
          importInput.current?.click();
        },
      });
    }
    if (calendar.level !== 'freebusy') {
      items.push({ key: 'export', label: t('calendar.menu.export'), onClick: () => void exportIcs(calendar) });
    }
    if (owner && !calendar.primary) {
      items.push({ type: 'divider' });
      items.push({ key: 'delete', danger: true, label: t('calendar.menu.delete'), onClick: () => remove(calendar) });
    }
    return items;
  };

  const row = (calendar: CalendarInfo, subtitle?: string) => (
    <div key={calendar.id} className="cal-list-row" data-testid="calendar-row" data-name={calendar.name}>
      <Checkbox
        checked={!calendar.hidden}
        onChange={(e) => void update(calendar, { hidden: !e.target.checked })}
        style={{ ['--cal-color' as string]: calendar.color }}
        className="cal-check"
        aria-label={t('calendar.showCalendar', { name: calendar.name })}
      />
      <span className="cal-list-name" title={subtitle ? `${calendar.name} · ${subtitle}` : calendar.name}>
        {calendar.primary && calendar.level === 'owner' ? t('calendar.primaryName') : calendar.name}
        {subtitle ? <span className="cal-list-sub">{subtitle}</span> : null}
      </span>
      <Dropdown menu={{ items: menu(calendar) }} trigger={['click']}>
        <Button
          size="small"
          type="text"
          icon={<EllipsisOutlined />}
          aria-label={t('calendar.menu.more', { name: calendar.name })}
        />
      </Dropdown>
    </div>
  );

  return (
    <nav className="calendar-sidebar" aria-label={t('calendar.calendars')}>
      <header className="column-header">
        <span className="column-title">{t('calendar.title')}</span>
        <Tooltip title={t('calendar.newEvent')}>
          <Button
            type="text"
            icon={<PlusOutlined />}
            aria-label={t('calendar.newEvent')}
            onClick={props.onCreateEvent}
          />
        </Tooltip>
      </header>
      <MiniMonth focusDate={props.focusDate} range={props.range} onPick={props.onPickDate} />
      <div className="cal-lists">
        {props.calendars === null ? <Spin className="cal-loading" /> : null}
        <div className="cal-list-head">
          <span>{t('calendar.mine')}</span>
          <Tooltip title={t('calendar.newCalendar')}>
            <Button
              size="small"
              type="text"
              icon={<PlusOutlined />}
              aria-label={t('calendar.newCalendar')}
              onClick={() => setDialog({ kind: 'create' })}
            />
          </Tooltip>
        </div>
        {mine.map((c) => row(c))}
        {shared.length > 0 ? (
          <>
            <div className="cal-list-head">
              <span>{t('calendar.shared')}</span>
            </div>
            {shared.map((c) =>
              row(c, `${owners.get(c.ownerId)?.name ?? t('common.unknownUser')} · ${t(`calendar.level.${c.level}`)}`),
            )}
          </>
        ) : null}
      </div>
      <footer className="cal-sidebar-foot">
        <Button type="text" icon={<LinkOutlined />} onClick={() => setDialog({ kind: 'feed' })}>
          {t('calendar.feed.title')}
        </Button>
      </footer>
      <input
        ref={importInput}
        type="file"
        accept=".ics,text/calendar"
        hidden
        data-testid="calendar-import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          void importPicked(file);
        }}
      />
      <CalendarNameDialog
        open={dialog?.kind === 'create' || dialog?.kind === 'rename'}
        calendar={dialog?.kind === 'rename' ? dialog.calendar : null}
        onClose={() => setDialog(null)}
        onSaved={(calendar) => {
          props.onCalendarChanged(calendar);
          setDialog(null);
        }}
      />
      <ShareDialog
        calendar={dialog?.kind === 'share' ? dialog.calendar : null}
        onClose={() => setDialog(null)}
        onSaved={(calendar) => {
          props.onCalendarChanged(calendar);
          setDialog(null);
        }}
      />
      <FeedDialog open={dialog?.kind === 'feed'} onClose={() => setDialog(null)} />
      <ImportReportDialog
        report={dialog?.kind === 'report' ? dialog.report : null}
        calendarName={dialog?.kind === 'report' ? dialog.calendar.name : ''}
        onClose={() => setDialog(null)}
      />
    </nav>
  );
}
