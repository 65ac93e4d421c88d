import { useEffect, useState } from 'react';
import { Alert, App, Button, Input, List, Modal, Select, Space, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CalendarInfo, CalendarLevel, ImportReport } from '../../../shared/protocol/calendar';
import { useQixin } from '../../bridge/context';
import { UserSelect } from '../admin/pickers';
import { useUsers } from '../contacts/directory';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';

/** The colors a calendar can take (the relay accepts any #rrggbb). */
export const CALENDAR_COLORS = [
  '#1677ff',
  '#13c2c2',
  '#52c41a',
  '#faad14',
  '#fa8c16',
  '#f5222d',
  '#eb2f96',
  '#722ed1',
  '#8c8c8c',
] as const;

/** 新建日历 / 重命名: a name and (for a new one) a color. */
export function CalendarNameDialog(props: {
  open: boolean;
  calendar: CalendarInfo | null;
  onClose: () => void;
  onSaved: (calendar: CalendarInfo) => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const [name, setName] = useState('');
  const [color, setColor] = useState<string>(CALENDAR_COLORS[1]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { open, calendar } = props;
  useEffect(() => {
    if (!open) return;
    setName(calendar?.name ?? '');
    setColor(calendar?.color ?? CALENDAR_COLORS[1]);
    setError(null);
  }, [open, calendar]);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = calendar
        ? (await qixin.call('calendar.updateCalendar', { calendarId: calendar.id, name: name.trim() })).calendar
        : (await qixin.call('calendar.createCalendar', { name: name.trim(), color })).calendar;
      props.onSaved(saved);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={calendar ? t('calendar.menu.rename') : t('calendar.newCalendar')}
      okText={t('common.save')}
      okButtonProps={{ disabled: !name.trim(), loading: busy }}
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={420}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input
          value={name}
          maxLength={64}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('calendar.namePlaceholder')}
          aria-label={t('calendar.name')}
          onPressEnter={(e) => !e.nativeEvent.isComposing && name.trim() && void save()}
        />
        {calendar ? null : (
          <div className="cal-colors" role="radiogroup" aria-label={t('calendar.menu.color')}>
            {CALENDAR_COLORS.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={c === color}
                aria-label={c}
                className={`cal-swatch-button${c === color ? ' is-chosen' : ''}`}
                style={{ background: c }}
                onClick={() => setColor(c)}
              />
            ))}
          </div>
        )}
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Space>
    </Modal>
  );
}

type Share = { userId: string; level: CalendarLevel };
const LEVELS: readonly CalendarLevel[] = ['freebusy', 'view', 'edit'];

/** 共享: who sees this calendar and how much (仅忙闲 / 查看 / 编辑). */
export function ShareDialog(props: {
  calendar: CalendarInfo | null;
  onClose: () => void;
  onSaved: (calendar: CalendarInfo) => void;
}) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { calendar } = props;
  const [shares, setShares] = useState<Share[]>([]);
  const [adding, setAdding] = useState<string[]>([]);
  const [level, setLevel] = useState<CalendarLevel>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const byId = useUsers(shares.map((s) => s.userId));
  useEffect(() => {
    setShares(calendar?.shares ?? []);
    setAdding([]);
    setError(null);
  }, [calendar]);

  const add = () => {
    setShares((prev) => [
      ...prev.filter((s) => !adding.includes(s.userId)),
      ...adding.map((userId) => ({ userId, level })),
    ]);
    setAdding([]);
  };

  const save = async () => {
    if (!calendar) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await qixin.call('calendar.updateCalendar', { calendarId: calendar.id, shares });
      props.onSaved(saved.calendar);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const levelOptions = LEVELS.map((l) => ({ value: l, label: t(`calendar.level.${l}`) }));
  return (
    <Modal
      open={calendar !== null}
      title={t('calendar.share.title', { name: calendar?.name ?? '' })}
      okText={t('common.save')}
      okButtonProps={{ loading: busy }}
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={520}
    >
      <Space.Compact style={{ width: '100%' }}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <UserSelect
            multiple
            value={adding}
            onChange={(v) => setAdding(Array.isArray(v) ? v : v ? [v] : [])}
            excludeId={me.id}
            ariaLabel={t('calendar.share.people')}
            placeholder={t('calendar.share.people')}
          />
        </div>
        <Select
          value={level}
          onChange={setLevel}
          options={levelOptions}
          style={{ width: 110 }}
          aria-label={t('calendar.share.level')}
        />
        <Button type="primary" disabled={adding.length === 0} onClick={add}>
          {t('calendar.share.add')}
        </Button>
      </Space.Compact>
      <List
        className="cal-share-list"
        dataSource={shares}
        locale={{ emptyText: t('calendar.share.none') }}
        renderItem={(share) => (
          <List.Item
            actions={[
              <Select
                key="level"
                size="small"
                value={share.level}
                options={levelOptions}
                style={{ width: 100 }}
                aria-label={t('calendar.share.levelOf', { name: byId.get(share.userId)?.name ?? '' })}
                onChange={(next) =>
                  setShares((prev) => prev.map((s) => (s.userId === share.userId ? { ...s, level: next } : s)))
                }
              />,
              <Button
                key="remove"
                size="small"
                type="link"
                danger
                onClick={() => setShares((prev) => prev.filter((s) => s.userId !== share.userId))}
              >
                {t('calendar.share.remove')}
              </Button>,
            ]}
          >
            {byId.get(share.userId)?.name ?? t('common.unknownUser')}
          </List.Item>
        )}
      />
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </Modal>
  );
}

/** 订阅链接: the private read-only feed URL for Outlook, Google and Apple Calendar; rotate or revoke it. */
export function FeedDialog(props: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message, modal } = App.useApp();
  const [url, setUrl] = useState<string | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchFeed = async (rotate: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setUrl((await qixin.call('calendar.feed', { rotate })).url);
      setRevoked(false);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (!props.open) return;
    setUrl(null);
    setRevoked(false);
    void fetchFeed(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opening
  }, [props.open]);

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      message.success(t('calendar.feed.copied'));
    } catch {
      message.error(t('chat.menu.copyFailed'));
    }
  };
  const revoke = () =>
    modal.confirm({
      title: t('calendar.feed.revokeTitle'),
      content: t('calendar.feed.revokeBody'),
      okText: t('calendar.feed.revoke'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await qixin.call('calendar.revokeFeed', {});
          setUrl(null);
          setRevoked(true);
        } catch (err) {
          setError(errorText(t, err));
        }
      },
    });

  return (
    <Modal
      open={props.open}
      title={t('calendar.feed.title')}
      footer={null}
      onCancel={props.onClose}
      destroyOnHidden
      width={560}
    >
      <p className="cal-hint">{t('calendar.feed.hint')}</p>
      {revoked ? (
        <Space orientation="vertical">
          <span>{t('calendar.feed.revoked')}</span>
          <Button type="primary" loading={busy} onClick={() => void fetchFeed(true)}>
            {t('calendar.feed.create')}
          </Button>
        </Space>
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={url ?? ''} aria-label={t('calendar.feed.url')} />
            <Button icon={<CopyOutlined />} disabled={!url} onClick={() => void copy()}>
              {t('calendar.feed.copy')}
            </Button>
          </Space.Compact>
          <Space>
            <Button loading={busy} disabled={!url} onClick={() => void fetchFeed(true)}>
              {t('calendar.feed.rotate')}
            </Button>
            <Button danger disabled={!url} onClick={revoke}>
              {t('calendar.feed.revoke')}
            </Button>
          </Space>
        </Space>
      )}
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} /> : null}
    </Modal>
  );
}

/** What an .ics import did: imported, updated, and each refused component with why. */
export function ImportReportDialog(props: { report: ImportReport | null; calendarName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { report } = props;
  return (
    <Modal
      open={report !== null}
      title={t('calendar.import.title', { name: props.calendarName })}
      onCancel={props.onClose}
      footer={
        <Button type="primary" onClick={props.onClose}>
          {t('common.confirm')}
        </Button>
      }
      destroyOnHidden
    >
      {report ? (
        <>
          <p data-testid="import-summary">
            {t('calendar.import.summary', { imported: report.imported, updated: report.updated })}
          </p>
          {report.errors.length > 0 ? (
            <>
              <Typography.Text type="warning">
                {t('calendar.import.refused', { count: report.errors.length })}
              </Typography.Text>
              <List
                size="small"
                dataSource={report.errors}
                renderItem={(e) => (
                  <List.Item>
                    {[
                      e.line !== null ? t('calendar.import.line', { line: e.line }) : null,
                      e.uid ? `UID ${e.uid}` : null,
                      e.reason,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </List.Item>
                )}
              />
            </>
          ) : null}
        </>
      ) : null}
    </Modal>
  );
}
