import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, DatePicker, Select, Space, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Dayjs } from 'dayjs';
import type { AuditRecord, User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { formatDividerTime } from '../chat/format';
import { useDirectory, useUsers } from '../contacts/directory';
import { pathText, type Org } from '../contacts/org';
import { adminErrorText } from './errors';
import { UserSelect } from './pickers';

/** Every action the relay records (server/store/schema.ts AuditAction); labels in i18n `audit.actions`. */
export const AUDIT_ACTIONS = [
  'enterprise.created',
  'member.added',
  'member.updated',
  'member.activation_issued',
  'member.activated',
  'department.created',
  'department.updated',
  'department.moved',
  'department.deleted',
  'role.changed',
  'visibility.changed',
  'directory.imported',
  'device.revoked',
  'password.changed',
  'conversation.created',
  'conversation.members_added',
  'conversation.member_removed',
  'conversation.member_left',
  'conversation.owner_changed',
  'conversation.admins_changed',
  'conversation.settings_changed',
  'conversation.dissolved',
  'enterprise.updated',
  'drive.space_created',
  'drive.grants_changed',
  'drive.no_forward_changed',
  'calendar.shares_changed',
  'calendar.room_saved',
  'calendar.room_deleted',
] as const;

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Filters = { actorId: string | null; action: string | null; range: [Dayjs | null, Dayjs | null] | null };

/** Every uuid inside a value (ids in before/after), to show names instead. */
function collectIds(value: unknown, out: Set<string>) {
  if (typeof value === 'string') {
    if (UUID.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectIds(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collectIds(v, out);
  }
}

/** Values whose words depend on the field they sit in. */
const ENUM_KEYS: Record<string, string> = {
  status: 'member.status',
  gender: 'member.gender',
  mode: 'admin.import.modes',
  rights: 'admin.rights',
};

/** A value from a record's detail in words: names for ids, 是/否, localized enums, lists. */
function describe(value: unknown, t: TFunction, org: Org, byId: Map<string, User>, key?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no');
  if (typeof value === 'string') {
    if (UUID.test(value)) return byId.get(value)?.name ?? (pathText(org, value) || value.slice(0, 8));
    const prefix = key ? ENUM_KEYS[key] : undefined;
    return prefix ? t(`${prefix}.${value}`, { defaultValue: value }) : value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.map((v) => describe(v, t, org, byId, key)).join(t('common.listSeparator')) || '—';
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => `${fieldLabel(k, t)}: ${describe(v, t, org, byId, k)}`)
    .join('; ');
}

function fieldLabel(key: string, t: TFunction): string {
  const label = t(`audit.fields.${key}`, { defaultValue: '' });
  return label || key;
}

/** before/after side by side (changed fields marked), then whatever else the record says. */
function AuditDetail(props: { record: AuditRecord; byId: Map<string, User> }) {
  const { t } = useTranslation();
  const { org } = useDirectory();
  const { before, after, ...rest } = props.record.detail as {
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  } & Record<string, unknown>;
  const hasDiff = (before && typeof before === 'object') || (after && typeof after === 'object');
  // Lists (the visibility rules) compare as a whole; records compare field by field.
  const whole = Array.isArray(before) || Array.isArray(after);
  const keys = whole ? [''] : [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return (
    <div className="audit-detail" data-testid="audit-detail">
      {hasDiff ? (
        <table className="audit-diff">
          <thead>
            <tr>
              <th>{t('audit.field')}</th>
              <th>{t('audit.before')}</th>
              <th>{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const b: unknown = whole ? before : before?.[key];
              const a: unknown = whole ? after : after?.[key];
              const changed = JSON.stringify(b) !== JSON.stringify(a);
              return (
                <tr key={key} className={changed ? 'audit-changed' : undefined}>
                  <td>{whole ? fieldLabel('rules', t) : fieldLabel(key, t)}</td>
                  <td>{describe(b, t, org, props.byId, key)}</td>
                  <td>{describe(a, t, org, props.byId, key)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {Object.entries(rest).map(([key, value]) => (
        <div key={key} className="audit-extra">
          <span className="audit-extra-key">{t('common.labelColon', { label: fieldLabel(key, t) })}</span>
          {describe(value, t, org, props.byId, key)}
        </div>
      ))}
    </div>
  );
}

/** 操作日志: newest first, filtered by who, what and when; before/after readable. */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const { org } = useDirectory();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ actorId: null, action: null, range: null });
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);

  const fetchPage = useCallback(
    async (beforeId: number | null) => {
      setLoading(true);
      try {
        const [from, to] = filters.range ?? [null, null];
        const page = await qixin.call('admin.audit', {
          limit: PAGE,
          ...(filters.actorId ? { actorId: filters.actorId } : {}),
          ...(filters.action ? { action: filters.action } : {}),
          ...(from ? { from: from.startOf('day').valueOf() } : {}),
          ...(to ? { to: to.endOf('day').valueOf() } : {}),
          ...(beforeId ? { beforeId } : {}),
        });
        setRecords((prev) => (beforeId ? [...prev, ...page.records] : page.records));
        setNext(page.nextBeforeId);
      } catch (err) {
        message.error(adminErrorText(t, err));
      } finally {
        setLoading(false);
      }
    },
    [qixin, filters, message, t],
  );
  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage]);

  const ids = useMemo(() => {
    const set = new Set<string>();
    for (const r of records) {
      if (r.actorId) set.add(r.actorId);
      if (r.targetId && UUID.test(r.targetId)) set.add(r.targetId);
      collectIds(r.detail, set);
    }
    // Departments are named from the tree; only people go to directory.users.
    return [...set].filter((id) => !org.byId.has(id)).sort();
  }, [records, org]);
  const byId = useUsers(ids);
  const name = (id: string | null) =>
    id === null ? t('audit.system') : (byId.get(id)?.name ?? (pathText(org, id) || id.slice(0, 8)));

  return (
    <div className="admin-page">
      <header className="admin-page-header">
        <h2>{t('admin.nav.audit')}</h2>
      </header>
      <Space wrap className="audit-filters">
        <div className="audit-filter">
          <UserSelect
            value={filters.actorId}
            onChange={(v) => setFilters((f) => ({ ...f, actorId: typeof v === 'string' ? v : null }))}
            ariaLabel={t('audit.actor')}
            placeholder={t('audit.actor')}
          />
        </div>
        <Select
          className="audit-filter"
          allowClear
          value={filters.action}
          onChange={(v) => setFilters((f) => ({ ...f, action: v ?? null }))}
          placeholder={t('audit.action')}
          aria-label={t('audit.action')}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
        />
        <DatePicker.RangePicker
          value={filters.range}
          onChange={(range) => setFilters((f) => ({ ...f, range: range as Filters['range'] }))}
          aria-label={t('audit.range')}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void fetchPage(null)}>
          {t('audit.refresh')}
        </Button>
      </Space>
      <Table<AuditRecord>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={records}
        pagination={false}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (record) => <AuditDetail record={record} byId={byId} />,
          rowExpandable: (record) => Object.keys(record.detail).length > 0,
        }}
        columns={[
          {
            title: t('audit.time'),
            dataIndex: 'at',
            width: 170,
            render: (at: number) => formatDividerTime(at, i18n.language),
          },
          { title: t('audit.actor'), dataIndex: 'actorId', width: 140, render: (id: string | null) => name(id) },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 180,
            render: (action: string) => (
              <Tag data-testid="audit-action">{t(`audit.actions.${action}`, { defaultValue: action })}</Tag>
            ),
          },
          {
            title: t('audit.target'),
            dataIndex: 'targetId',
            render: (id: string | null, record) => (id ? name(id) : describe(record.detail.name ?? null, t, org, byId)),
          },
        ]}
      />
      {next ? (
        <Button className="audit-more" block loading={loading} onClick={() => void fetchPage(next)}>
          {t('audit.more')}
        </Button>
      ) : null}
    </div>
  );
}
