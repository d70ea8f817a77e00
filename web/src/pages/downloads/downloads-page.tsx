import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Progress, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Job } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { formatDateTime } from '../../time.ts';
import { jobPercent } from '../../use-job.ts';
import { useLoader } from '../../use-loader.ts';
import { ledgerListLabels } from '../ledger/ledger-labels.ts';

const statusTags: Record<Job['status'], { color: string; label: string }> = {
  running: { color: 'processing', label: '进行中' },
  succeeded: { color: 'success', label: '已完成' },
  failed: { color: 'error', label: '未完成' },
};

/** One line on what a finished job did, from its summary when it has counts (imports). */
function outcomeText(job: Job): string {
  const summary = job.kind === 'ledger.import' ? job.summary : null;
  if (!summary || !('counts' in summary)) return job.stage;
  const total = Object.values(summary.counts).reduce((sum, count) => sum + count, 0);
  const main = ['entities', 'monthlyStats']
    .filter((list) => summary.counts[list] !== undefined)
    .map((list) => `${ledgerListLabels[list]} ${summary.counts[list]} 行`)
    .join('、');
  return `已导入${summary.year ? ` ${summary.year} 年` : ''}台账共 ${total} 行（${main}）`;
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** 下载中心: the user's background jobs (imports, exports), their progress, results and error receipts. */
export function DownloadsPage() {
  const jobs = useLoader(() => unwrap(apiClient.GET('/api/jobs')), 'jobs');
  const running = jobs.data?.items.some((job) => job.status === 'running') ?? false;
  const { reload } = jobs;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [running, reload]);

  return (
    <>
      <PageHeader
        title="下载中心"
        crumbs={[{ title: '下载中心' }]}
        subtitle="本人提交的导入、导出等后台任务（最近 50 个）；进行中的任务每 2 秒刷新"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
            刷新
          </Button>
        }
      />
      <Card>
        {jobs.error ? (
          <ErrorState message={jobs.error} onRetry={reload} />
        ) : (
          <Table<Job>
            rowKey="id"
            size="middle"
            loading={jobs.loading && !jobs.data}
            dataSource={jobs.data?.items ?? []}
            pagination={false}
            data-testid="jobs-table"
            locale={{ emptyText: '还没有后台任务' }}
            columns={[
              { title: '任务', dataIndex: 'title', width: 260 },
              {
                title: '状态',
                width: 160,
                render: (_: unknown, job) =>
                  job.status === 'running' ? (
                    <div>
                      <Typography.Text type="secondary">{job.stage}</Typography.Text>
                      <Progress percent={jobPercent(job)} size="small" status="active" />
                    </div>
                  ) : (
                    <Tag color={statusTags[job.status].color} data-testid={`job-status-${job.id}`}>
                      {statusTags[job.status].label}
                    </Tag>
                  ),
              },
              {
                title: '结果',
                render: (_: unknown, job) =>
                  job.error ? (
                    <Typography.Text type="danger">{job.error.message}</Typography.Text>
                  ) : job.status === 'succeeded' ? (
                    <Typography.Text>{outcomeText(job)}</Typography.Text>
                  ) : null,
              },
              {
                title: '文件',
                width: 220,
                render: (_: unknown, job) =>
                  job.file ? (
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      href={`/api/jobs/${job.id}/file`}
                      download
                      data-testid={`job-file-${job.id}`}
                    >
                      {job.file.name}（{sizeText(job.file.sizeBytes)}）
                    </Button>
                  ) : (
                    '—'
                  ),
              },
              { title: '提交时间', width: 170, render: (_: unknown, job) => formatDateTime(job.createdAt) },
              { title: '结束时间', width: 170, render: (_: unknown, job) => formatDateTime(job.finishedAt) },
            ]}
          />
        )}
      </Card>
    </>
  );
}
