import { useEffect, useMemo, useState } from 'react';
import { Button, Empty, Modal, Select, Spin, Switch, Tabs } from 'antd';
import { ApartmentOutlined, DeleteOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DriveGrant, DriveLevel, DriveNode } from '../../../shared/protocol/files';
import { useQixin } from '../../bridge/context';
import { DepartmentSelect, UserSelect } from '../admin/pickers';
import { userName } from '../chat/format';
import { useDirectory, useUsers } from '../contacts/directory';
import { pathText } from '../contacts/org';
import { useMe } from '../session/context';
import { errorText } from '../session/errors';

const LEVELS: DriveLevel[] = ['view', 'download', 'edit', 'manage'];

const key = (grant: DriveGrant) => `${grant.principal.type}:${grant.principal.id}`;

/**
 * 权限: the members and departments given a level on this item (it holds for everything below),
 * each 仅查看 / 可下载 / 可编辑 / 可管理, and 禁止转发. Saved as a whole with drive.setGrants.
 */
export function GrantsDialog(props: { node: DriveNode; onClose: () => void; onChanged: (node: DriveNode) => void }) {
  const { t } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const { org } = useDirectory();
  const [grants, setGrants] = useState<DriveGrant[] | null>(null);
  const [noForward, setNoForward] = useState(props.node.noForward);
  const [addType, setAddType] = useState<'user' | 'department'>('user');
  const [addIds, setAddIds] = useState<string[]>([]);
  const [addLevel, setAddLevel] = useState<DriveLevel>('view');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nodeId = props.node.id;

  useEffect(() => {
    let live = true;
    qixin
      .call('drive.grants', { nodeId })
      .then((answer) => live && setGrants(answer.grants))
      .catch((err: unknown) => {
        if (!live) return;
        setGrants([]);
        setError(errorText(t, err));
      });
    return () => {
      live = false;
    };
  }, [qixin, nodeId, t]);

  const userIds = useMemo(
    () => (grants ?? []).filter((g) => g.principal.type === 'user').map((g) => g.principal.id),
    [grants],
  );
  const byId = useUsers(userIds);
  const levelOptions = LEVELS.map((level) => ({ value: level, label: t(`drive.level.${level}`) }));

  const add = () => {
    setGrants((prev) => {
      const next = new Map((prev ?? []).map((g) => [key(g), g]));
      for (const id of addIds) {
        const grant: DriveGrant = { principal: { type: addType, id }, level: addLevel };
        next.set(key(grant), grant);
      }
      return [...next.values()];
    });
    setAddIds([]);
  };

  const toggleNoForward = async (on: boolean) => {
    setError(null);
    try {
      const { node } = await qixin.call('drive.setNoForward', { nodeId, noForward: on });
      setNoForward(node.noForward);
      props.onChanged(node);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  const save = async () => {
    if (!grants) return;
    setBusy(true);
    setError(null);
    try {
      await qixin.call('drive.setGrants', { nodeId, grants });
      props.onClose();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const principalName = (grant: DriveGrant) =>
    grant.principal.type === 'user'
      ? userName(byId, grant.principal.id, t)
      : pathText(org, grant.principal.id) || t('drive.unknownDepartment');

  return (
    <Modal
      open
      title={t('drive.grants.title', { name: props.node.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, disabled: grants === null }}
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={620}
    >
      <div className="drive-grants-add">
        <Tabs
          size="small"
          activeKey={addType}
          onChange={(k) => {
            setAddType(k as 'user' | 'department');
            setAddIds([]);
          }}
          items={[
            { key: 'user', label: t('drive.grants.members') },
            { key: 'department', label: t('drive.grants.departments') },
          ]}
        />
        <div className="drive-grants-add-row">
          <div className="drive-grants-picker">
            {addType === 'user' ? (
              <UserSelect
                multiple
                value={addIds}
                onChange={(v) => setAddIds(Array.isArray(v) ? v : v ? [v] : [])}
                ariaLabel={t('drive.grants.pickMembers')}
                placeholder={t('drive.grants.pickMembers')}
                excludeId={me.id}
              />
            ) : (
              <DepartmentSelect
                multiple
                value={addIds}
                onChange={(v) => setAddIds(Array.isArray(v) ? v : [v])}
                ariaLabel={t('drive.grants.pickDepartments')}
                placeholder={t('drive.grants.pickDepartments')}
              />
            )}
          </div>
          <Select
            value={addLevel}
            onChange={setAddLevel}
            options={levelOptions}
            aria-label={t('drive.grants.newLevel')}
            style={{ width: 110 }}
          />
          <Button type="primary" disabled={addIds.length === 0} onClick={add}>
            {t('drive.grants.add')}
          </Button>
        </div>
      </div>
      <div className="drive-grants-list" role="list" aria-label={t('drive.grants.list')}>
        {grants === null ? (
          <Spin className="drive-preview-loading" />
        ) : grants.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('drive.grants.none')} />
        ) : (
          grants.map((grant) => {
            const name = principalName(grant);
            return (
              <div
                key={key(grant)}
                role="listitem"
                className="drive-grant-row"
                data-testid="drive-grant"
                aria-label={name}
              >
                {grant.principal.type === 'user' ? <UserOutlined /> : <ApartmentOutlined />}
                <span className="drive-grant-name">{name}</span>
                <Select
                  size="small"
                  value={grant.level}
                  options={levelOptions}
                  aria-label={t('drive.grants.levelOf', { name })}
                  style={{ width: 110 }}
                  onChange={(level) =>
                    setGrants((prev) => (prev ?? []).map((g) => (key(g) === key(grant) ? { ...g, level } : g)))
                  }
                />
                <Button
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('drive.grants.remove', { name })}
                  onClick={() => setGrants((prev) => (prev ?? []).filter((g) => key(g) !== key(grant)))}
                />
              </div>
            );
          })
        )}
      </div>
      <div className="drive-grants-noforward">
        <div>
          <div>{t('drive.noForward')}</div>
          <div className="drive-hint">{t('drive.noForwardHint')}</div>
        </div>
        <Switch checked={noForward} aria-label={t('drive.noForward')} onChange={(on) => void toggleNoForward(on)} />
      </div>
      {error ? (
        <div className="drive-field-error" role="alert">
          {error}
        </div>
      ) : null}
    </Modal>
  );
}
