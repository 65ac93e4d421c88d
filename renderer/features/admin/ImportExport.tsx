import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Progress,
  Radio,
  Result,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Upload,
} from 'antd';
import { CloudDownloadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CallName } from '../../../shared/contract';
import {
  IMPORT_ISSUES_SHOWN,
  MAX_IMPORT_BYTES,
  type ImportIssue,
  type ImportJob,
  type ImportMode,
  type ImportSummary,
} from '../../../shared/protocol/directory-io';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { blobToBase64 } from '../../ui/base64-files';
import { saveSheet } from './download';
import { adminErrorText } from './errors';

const ACCEPT = ['.xlsx', '.csv'];

/** 批量导入/导出: template, export, and the import wizard. */
export function ImportExport() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (name: Extract<CallName, 'admin.directory.template' | 'admin.directory.export'>) => {
    setBusy(name);
    try {
      const file = await qixin.call(name, {});
      saveSheet(file.fileName, file.base64);
    } catch (err) {
      message.error(adminErrorText(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="admin-page">
      <header className="admin-page-header">
        <h2>{t('admin.nav.import')}</h2>
        <Space>
          <Button
            icon={<FileExcelOutlined />}
            loading={busy === 'admin.directory.template'}
            onClick={() => void download('admin.directory.template')}
          >
            {t('admin.import.template')}
          </Button>
          <Button
            icon={<CloudDownloadOutlined />}
            loading={busy === 'admin.directory.export'}
            onClick={() => void download('admin.directory.export')}
          >
            {t('admin.import.export')}
          </Button>
        </Space>
      </header>
      <ImportWizard />
    </div>
  );
}

/** The job on screen, kept across visits to other sections (an import outlives the page). */
let shownJobId: string | null = null;

function ImportWizard() {
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('upsert');
  const [createDepartments, setCreateDepartments] = useState(true);
  const [job, setJobState] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  const setJob = useCallback((next: ImportJob | null) => {
    shownJobId = next?.id ?? null;
    setJobState(next);
  }, []);

  useEffect(() => {
    if (!shownJobId) return;
    let live = true;
    qixin.call('admin.import.status', { jobId: shownJobId }).then(
      ({ job: again }) => live && setJob(again),
      () => live && setJob(null), // the relay forgot it (restart): start afresh
    );
    return () => {
      live = false;
    };
  }, [qixin, setJob]);

  // Progress from the relay, through the core; only for the job on screen.
  useQixinEvent('admin.import', ({ job: next }) => {
    setJobState((prev) => (prev && prev.id === next.id ? next : prev));
  });

  const act = async (work: () => Promise<{ job: ImportJob }>) => {
    setBusy(true);
    try {
      const { job: next } = await work();
      setJob(next);
    } catch (err) {
      message.error(adminErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    act(async () => {
      if (!file) throw new Error('no file');
      return qixin.call('admin.import.start', {
        fileName: file.name,
        base64: await blobToBase64(file),
        mode,
        createDepartments,
      });
    });

  const fetchFile = async (name: 'admin.import.errorReport' | 'admin.import.activations') => {
    if (!job) return;
    try {
      const report = await qixin.call(name, { jobId: job.id });
      saveSheet(report.fileName, report.base64);
    } catch (err) {
      message.error(adminErrorText(t, err));
    }
  };

  const reset = () => {
    setJob(null);
    setFile(null);
  };

  const step = !job ? 0 : job.state === 'validating' ? 1 : job.state === 'ready' ? 2 : job.state === 'applying' ? 3 : 4;
  const percent = (j: ImportJob) => (j.progress.total > 0 ? Math.floor((j.progress.done / j.progress.total) * 100) : 0);

  return (
    <div className="import-wizard" data-testid="import-wizard">
      <Steps
        size="small"
        current={step}
        items={[
          { title: t('admin.import.steps.file') },
          { title: t('admin.import.steps.validate') },
          { title: t('admin.import.steps.preview') },
          { title: t('admin.import.steps.apply') },
          { title: t('admin.import.steps.done') },
        ]}
      />
      {!job ? (
        <div className="import-step">
          <Upload.Dragger
            accept={ACCEPT.join(',')}
            multiple={false}
            maxCount={1}
            showUploadList={false}
            beforeUpload={(picked) => {
              const lower = picked.name.toLowerCase();
              if (lower.endsWith('.xls')) {
                message.error(t('admin.import.xlsUnsupported'));
              } else if (!ACCEPT.some((ext) => lower.endsWith(ext))) {
                message.error(t('admin.import.wrongType'));
              } else if (picked.size > MAX_IMPORT_BYTES) {
                message.error(t('admin.import.tooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }));
              } else {
                setFile(picked);
              }
              return Upload.LIST_IGNORE;
            }}
            data-testid="import-drop"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{file ? file.name : t('admin.import.drop')}</p>
            <p className="ant-upload-hint">{t('admin.import.dropHint')}</p>
          </Upload.Dragger>
          <div className="import-options">
            <div className="settings-label">{t('admin.import.mode')}</div>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
              <Space orientation="vertical">
                {(['add', 'upsert', 'sync'] as const).map((m) => (
                  <Radio key={m} value={m}>
                    <span className="import-mode-name">{t(`admin.import.modes.${m}`)}</span>
                    <span className="import-mode-hint">{t(`admin.import.modeHints.${m}`)}</span>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
            <Checkbox checked={createDepartments} onChange={(e) => setCreateDepartments(e.target.checked)}>
              {t('admin.import.createDepartments')}
            </Checkbox>
            {mode === 'sync' ? <Alert type="warning" showIcon title={t('admin.import.syncWarning')} /> : null}
          </div>
          <Button type="primary" disabled={!file} loading={busy} onClick={() => void start()}>
            {t('admin.import.validate')}
          </Button>
        </div>
      ) : null}

      {job && (job.state === 'validating' || job.state === 'applying') ? (
        <div className="import-step" data-testid="import-progress">
          <div className="import-progress-label">
            {job.state === 'validating' ? t('admin.import.validating') : t('admin.import.applying')}
            {job.progress.total > 0 ? ` ${job.progress.done} / ${job.progress.total}` : ''}
          </div>
          <Progress percent={percent(job)} status="active" />
          <Button
            danger
            loading={busy}
            onClick={() => void act(() => qixin.call('admin.import.cancel', { jobId: job.id }))}
          >
            {t('common.cancel')}
          </Button>
        </div>
      ) : null}

      {job && job.state === 'ready' && job.summary ? (
        <div className="import-step" data-testid="import-preview">
          <ImportCounts summary={job.summary} />
          <IssueTable issues={job.issues} total={job.summary.invalid} />
          <Space>
            <Button onClick={() => void act(() => qixin.call('admin.import.cancel', { jobId: job.id }))}>
              {t('common.cancel')}
            </Button>
            {job.summary.invalid > 0 ? (
              <Button icon={<DownloadOutlined />} onClick={() => void fetchFile('admin.import.errorReport')}>
                {t('admin.import.errorReport')}
              </Button>
            ) : null}
            <Button
              type="primary"
              loading={busy}
              disabled={job.summary.valid === 0 && job.summary.toDisable === 0}
              onClick={() => void act(() => qixin.call('admin.import.apply', { jobId: job.id }))}
            >
              {t('admin.import.apply')}
            </Button>
          </Space>
        </div>
      ) : null}

      {job && (job.state === 'done' || job.state === 'cancelled' || job.state === 'failed') ? (
        <div className="import-step" data-testid="import-result">
          {job.state === 'done' && job.result ? (
            <Result
              status="success"
              title={t('admin.import.doneTitle')}
              subTitle={t('admin.import.doneCounts', {
                created: job.result.created,
                updated: job.result.updated,
                disabled: job.result.disabled,
                departments: job.result.departmentsCreated,
              })}
              extra={
                <Space wrap>
                  {(job.summary?.invalid ?? 0) > 0 ? (
                    <Button icon={<DownloadOutlined />} onClick={() => void fetchFile('admin.import.errorReport')}>
                      {t('admin.import.errorReport')}
                    </Button>
                  ) : null}
                  {job.result.created > 0 ? (
                    <Button icon={<DownloadOutlined />} onClick={() => void fetchFile('admin.import.activations')}>
                      {t('admin.import.activations')}
                    </Button>
                  ) : null}
                  <Button type="primary" onClick={reset}>
                    {t('admin.import.again')}
                  </Button>
                </Space>
              }
            />
          ) : job.state === 'cancelled' ? (
            <Result
              status="info"
              title={t('admin.import.cancelledTitle')}
              subTitle={t('admin.import.cancelledBody')}
              extra={<Button onClick={reset}>{t('admin.import.again')}</Button>}
            />
          ) : (
            <Result
              status="error"
              title={t('admin.import.failedTitle')}
              subTitle={job.error ? adminErrorText(t, Object.assign(new Error(job.error.message), job.error)) : ''}
              extra={<Button onClick={reset}>{t('admin.import.again')}</Button>}
            />
          )}
          {job.state === 'done' && job.summary && job.summary.invalid > 0 ? (
            <IssueTable issues={job.issues} total={job.summary.invalid} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function ImportCounts({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const keys = ['rows', 'toCreate', 'toUpdate', 'unchanged', 'toDisable', 'departmentsToCreate', 'invalid'] as const;
  return (
    <div className="import-counts">
      {keys.map((key) => (
        <div key={key} data-testid={`import-count-${key}`}>
          <Statistic
            title={t(`admin.import.counts.${key}`)}
            value={summary[key]}
            styles={key === 'invalid' && summary.invalid > 0 ? { content: { color: '#cf1322' } } : undefined}
          />
        </div>
      ))}
    </div>
  );
}

function IssueTable(props: { issues: ImportIssue[]; total: number }) {
  const { t } = useTranslation();
  if (props.total === 0) return <Alert type="success" showIcon title={t('admin.import.noIssues')} />;
  return (
    <div className="import-issues" data-testid="import-issues">
      <div className="settings-label">
        {t('admin.import.issues', { count: props.total })}
        {props.total > props.issues.length ? ` ${t('admin.import.issuesShown', { count: IMPORT_ISSUES_SHOWN })}` : ''}
      </div>
      <Table<ImportIssue>
        size="small"
        rowKey={(issue) => `${issue.row}`}
        dataSource={props.issues}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('admin.import.row'), dataIndex: 'row', width: 80 },
          { title: t('member.account'), dataIndex: 'account', width: 160, render: (v: string | null) => v ?? '' },
          {
            title: t('admin.import.reason'),
            dataIndex: 'codes',
            render: (codes: ImportIssue['codes']) => (
              <span data-testid="import-issue-reasons">
                {codes.map((code) => (
                  <Tag key={code} color="red">
                    {t(`admin.import.issueCodes.${code}`)}
                  </Tag>
                ))}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}
