import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Progress, Select, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { Job, MonthlyImportProblem } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { jobPercent, useJob } from '../../use-job.ts';

const MAX_BYTES = 50 * 1024 * 1024;

function ImportOutcome({ job }: { job: Job }) {
  const summary = job.kind === 'talent.trainees.import' ? job.summary : null;
  if (job.status === 'running')
    return (
      <div data-testid="trainee-import-progress">
        <Typography.Text>{job.stage || '处理中'}</Typography.Text>
        <Progress percent={jobPercent(job)} status="active" />
      </div>
    );
  const fileButton = job.file && (
    <Button
      icon={<DownloadOutlined />}
      href={`/api/jobs/${job.id}/file`}
      download
      data-testid="trainee-import-file"
    >
      {job.file.name}
    </Button>
  );
  if (job.status === 'succeeded' && summary && 'inserted' in summary)
    return (
      <Alert
        type="success"
        showIcon
        data-testid="trainee-import-succeeded"
        message={`已导入 ${summary.inserted} 人${summary.skipped ? `；${summary.skipped} 人已建档，未重复导入` : ''}`}
        action={fileButton}
      />
    );
  const problems: MonthlyImportProblem[] = summary && 'problems' in summary ? summary.problems : [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="trainee-import-failed">
      <Alert
        type="error"
        showIcon
        message={job.error?.message ?? '导入失败'}
        description="没有导入任何学员。请按错误回执逐条改正原文件后重新上传。"
        action={fileButton}
      />
      {problems.length > 0 && (
        <Table<MonthlyImportProblem & { key: number }>
          size="small"
          pagination={{ pageSize: 8, hideOnSinglePage: true }}
          dataSource={problems.map((problem, key) => ({ ...problem, key }))}
          columns={[
            {
              title: '位置',
              width: 130,
              render: (_: unknown, problem) =>
                problem.row === null
                  ? '整个文件'
                  : `第 ${problem.row} 行${problem.column ? ` ${problem.column} 列` : ''}`,
            },
            { title: '问题', dataIndex: 'message' },
          ]}
        />
      )}
    </Space>
  );
}

/** 导入学员名单: one e-town's existing list from the template, all or nothing, deduplicated by ID number. */
export function TraineeImportModal({
  open,
  onClose,
  etownOptions,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  etownOptions: { value: string; label: string }[];
  onImported: () => void;
}) {
  const { message } = App.useApp();
  const [etownCode, setEtownCode] = useState<string | undefined>();
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const { job, error } = useJob(jobId);
  const chosenEtown = etownCode ?? etownOptions[0]?.value;

  const start = async (file: File) => {
    if (!chosenEtown) return void message.error('请先选择e镇');
    setStarting(true);
    try {
      const started = await unwrap(
        apiClient.POST('/api/trainees/import', {
          params: { query: { fileName: file.name, etownCode: chosenEtown } },
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
  const close = () => {
    if (job?.status === 'succeeded') onImported();
    setJobId(null);
    onClose();
  };

  return (
    <Modal
      title="导入学员名单"
      open={open}
      onCancel={close}
      footer={null}
      width={640}
      destroyOnHidden
      data-testid="trainee-import"
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            style={{ width: 240 }}
            value={chosenEtown}
            onChange={setEtownCode}
            options={etownOptions}
            placeholder="导入到e镇"
          />
          <Button size="small" icon={<FileExcelOutlined />} href="/api/trainees/template.xlsx" download>
            XLSX 模板
          </Button>
          <Button size="small" icon={<FileExcelOutlined />} href="/api/trainees/template.csv" download>
            CSV 模板
          </Button>
        </Space>
        <Typography.Text type="secondary">
          按身份证号去重：已建档的人员不重复导入；任何一行有误则整个文件不导入，并生成错误回执。
        </Typography.Text>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          showUploadList={false}
          disabled={starting || job?.status === 'running'}
          beforeUpload={(file) => {
            if (file.size > MAX_BYTES) message.error('文件超过 50 MB，请拆分后再上传');
            else void start(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入文件（.csv 或 .xlsx），立即在后台导入</p>
        </Upload.Dragger>
        {error && <Alert type="error" showIcon message={error} />}
        {job && <ImportOutcome job={job} />}
      </Space>
    </Modal>
  );
}
