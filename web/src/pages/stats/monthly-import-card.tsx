import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { Job, MonthlyImportProblem } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { jobPercent, useJob } from '../../use-job.ts';

const MAX_BYTES = 200 * 1024 * 1024;

function ProblemTable({ problems, testId }: { problems: MonthlyImportProblem[]; testId: string }) {
  return (
    <Table<MonthlyImportProblem & { key: number }>
      size="small"
      data-testid={testId}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      dataSource={problems.map((problem, key) => ({ ...problem, key }))}
      columns={[
        {
          title: '位置',
          width: 140,
          render: (_: unknown, problem) =>
            problem.row === null
              ? '整个文件'
              : `第 ${problem.row} 行${problem.column ? ` ${problem.column} 列` : ''}`,
        },
        { title: '问题', dataIndex: 'message' },
      ]}
    />
  );
}

function ImportOutcome({ job }: { job: Job }) {
  const summary = job.kind === 'stats.monthly.import' ? job.summary : null;
  if (job.status === 'running') {
    return (
      <div data-testid="stats-import-progress">
        <Typography.Text>
          {job.stage || '处理中'}
          {job.progress.done > 0 ? `（已读 ${job.progress.done.toLocaleString('zh-CN')} 行）` : ''}
        </Typography.Text>
        <Progress percent={jobPercent(job)} status="active" />
      </div>
    );
  }
  const fileButton = job.file && (
    <Button
      icon={<DownloadOutlined />}
      href={`/api/jobs/${job.id}/file`}
      download
      data-testid="stats-import-file"
    >
      {job.file.name}
    </Button>
  );
  if (job.status === 'succeeded' && summary && 'rows' in summary) {
    return (
      <Space direction="vertical" style={{ width: '100%' }} data-testid="stats-import-succeeded">
        <Alert
          type="success"
          showIcon
          message={`已导入 ${summary.rows.toLocaleString('zh-CN')} 行`}
          action={fileButton}
        />
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="新增">{summary.inserted.toLocaleString('zh-CN')} 行</Descriptions.Item>
          <Descriptions.Item label="替换已有">
            {summary.replaced.toLocaleString('zh-CN')} 行
          </Descriptions.Item>
          <Descriptions.Item label="月份">{summary.months.join('、')}</Descriptions.Item>
          <Descriptions.Item label="涉及e镇">{summary.etownCount} 个</Descriptions.Item>
        </Descriptions>
        {summary.warningCount > 0 && (
          <Typography.Text type="warning">
            {summary.warningCount} 条提示（不影响导入），见上方提示文件。
          </Typography.Text>
        )}
      </Space>
    );
  }
  const problems = summary && 'problems' in summary ? summary.problems : [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="stats-import-failed">
      <Alert
        type="error"
        showIcon
        message={job.error?.message ?? '导入失败'}
        description="没有写入任何数据。请按错误回执逐条改正原文件后重新上传。"
        action={fileButton}
      />
      {problems.length > 0 && <ProblemTable problems={problems} testId="stats-import-problems" />}
    </Space>
  );
}

/** 批量导入: the county loads many entities' months at once from the template, all or nothing. */
export function MonthlyImportCard() {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const { job, error } = useJob(jobId);

  const start = async (file: File) => {
    setStarting(true);
    try {
      const started = await unwrap(
        apiClient.POST('/api/stats/monthly/import', {
          params: { query: { fileName: file.name } },
          ...fileBody(file),
        }),
      );
      setJobId(started.id);
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Card
      title="批量导入"
      data-testid="stats-import"
      extra={
        <Space>
          <Button size="small" icon={<FileExcelOutlined />} href="/api/stats/monthly/template.xlsx" download>
            XLSX 模板
          </Button>
          <Button size="small" icon={<FileExcelOutlined />} href="/api/stats/monthly/template.csv" download>
            CSV 模板
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          一个文件可含多个市场主体、多个月份（数十万行亦可）；全部校验通过才写入，已有的同月数据被替换并记为已审核。
        </Typography.Text>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          showUploadList={false}
          disabled={starting || job?.status === 'running'}
          beforeUpload={(file) => {
            if (file.size > MAX_BYTES) message.error('文件超过 200 MB，请拆分后再上传');
            else void start(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入文件（.csv 或 .xlsx，≤ 200 MB），立即在后台导入</p>
        </Upload.Dragger>
        {error && <Alert type="error" showIcon message={error} />}
        {job && <ImportOutcome job={job} />}
        <Typography.Text type="secondary">
          离开本页不影响导入；结果和回执也可在 <Link to="/downloads">下载中心</Link> 查看。
        </Typography.Text>
      </Space>
    </Card>
  );
}
