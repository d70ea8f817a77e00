import { DownloadOutlined, FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, InputNumber, Popconfirm, Row, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { useJob } from '../../use-job.ts';
import { useLoader } from '../../use-loader.ts';
import { LedgerImportResult } from './ledger-import-result.tsx';

const MAX_BYTES = 30 * 1024 * 1024;

/** The chosen file and the import job it started; kept by the page so a reload of the e-town keeps them. */
function useLedgerImport(code: string) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const { job, error: jobError } = useJob(jobId);

  const choose = (chosen: File) => {
    if (chosen.size > MAX_BYTES) {
      message.error('文件超过 30 MB，请拆分或精简后再上传');
    } else {
      setFile(chosen);
      setJobId(null);
    }
  };

  const startImport = async () => {
    if (!file) return;
    setStarting(true);
    try {
      const started = await unwrap(
        apiClient.POST('/api/etowns/{code}/ledger/import', {
          params: { path: { code }, query: { fileName: file.name } },
          ...fileBody(file),
        }),
      );
      setJobId(started.id);
      setFile(null);
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setStarting(false);
    }
  };
  return { file, starting, job, jobError, choose, clear: () => setFile(null), startImport };
}

type LedgerExportCardProps = { code: string; year: number; onYearChange: (year: number) => void };

function LedgerExportCard({ code, year, onYearChange }: LedgerExportCardProps) {
  const me = useMe();
  return (
    <Card title="导出台账" data-testid="ledger-export">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          导出平台中该e镇的全部台账数据：制度文件、市场主体、月度统计、投资、设施、品牌、培训等。
        </Typography.Text>
        <Space wrap>
          <Typography.Text>评价年度</Typography.Text>
          <InputNumber
            min={2020}
            max={2100}
            value={year}
            onChange={(value) => value && onYearChange(value)}
            data-testid="ledger-year"
          />
        </Space>
        <Space wrap>
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            href={`/api/etowns/${code}/ledger.xlsx?year=${year}`}
            download
            data-testid="ledger-export-xlsx"
          >
            导出 XLSX
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/etowns/${code}/ledger.json?year=${year}`}
            download
            data-testid="ledger-export-json"
          >
            导出 JSON
          </Button>
          {can.readScorecards(me.role) && (
            <Link to={`/etowns/${code}/scorecard?year=${year}`}>
              <Button>查看指标看板</Button>
            </Link>
          )}
        </Space>
      </Space>
    </Card>
  );
}

type LedgerImportPanelProps = {
  name: string;
  ledgerImport: ReturnType<typeof useLedgerImport>;
};

function LedgerImportPanel({ name, ledgerImport }: LedgerImportPanelProps) {
  const { file, starting, job, jobError, choose, clear, startImport } = ledgerImport;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type="warning"
        showIcon
        message="导入将按文件写入该e镇自己的台账清单"
        description="包括制度文件、投资、设施、品牌、产品、培训等清单，以及占地面积、边界和主导产业。市场主体及标签、经审核的月度统计、违规事件、领导小组文件和市级增长率属于其他角色，导入不更改，文件与平台不一致之处逐项列为“未导入”并生成导入回执。文件有任何错误时不写入任何数据，并生成错误回执。"
      />
      <Upload.Dragger
        accept=".xlsx,.json"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(chosen) => {
          choose(chosen);
          return false;
        }}
        disabled={job?.status === 'running' || starting}
        data-testid="ledger-upload"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">点击或拖入台账文件（.xlsx 或 .json，≤ 30 MB）</p>
      </Upload.Dragger>
      {file && (
        <Space wrap data-testid="ledger-chosen">
          <Typography.Text>
            已选择：<Typography.Text strong>{file.name}</Typography.Text>（{(file.size / 1024).toFixed(0)}{' '}
            KB）
          </Typography.Text>
          <Popconfirm
            title="确认导入？"
            description={`将以 ${file.name} 写入 ${name} 的台账清单（其他角色的数据不更改）`}
            okText="导入"
            cancelText="取消"
            okButtonProps={{ 'data-testid': 'ledger-confirm' } as Record<string, string>}
            onConfirm={startImport}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={starting} data-testid="ledger-start">
              开始导入
            </Button>
          </Popconfirm>
          <Button onClick={clear}>取消</Button>
        </Space>
      )}
      {jobError && <Alert type="error" showIcon message={jobError} />}
      {job && <LedgerImportResult job={job} />}
      <Typography.Text type="secondary">
        导入在后台进行，离开本页不影响；结果和错误回执也可在 <Link to="/downloads">下载中心</Link> 查看。
      </Typography.Text>
    </Space>
  );
}

/** 台账导入导出: one e-town's ledger as a file, both ways, with the blank template. */
export function LedgerPage() {
  const { code = '' } = useParams();
  const me = useMe();
  const etown = useLoader(
    () => unwrap(apiClient.GET('/api/etowns/{code}', { params: { path: { code } } })),
    code,
  );
  const [year, setYear] = useState(new Date().getFullYear());
  const ledgerImport = useLedgerImport(code);

  const crumbs = [{ title: 'e镇档案', to: '/etowns' }];
  if (etown.loading) {
    return (
      <>
        <PageHeader title="台账导入导出" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (etown.notFound || !etown.data) {
    return (
      <>
        <PageHeader title="台账导入导出" crumbs={crumbs} />
        <Card>
          {etown.notFound ? (
            <NotFoundState what="e镇" backTo="/etowns" backLabel="返回e镇列表" />
          ) : (
            <ErrorState message={etown.error ?? '加载失败'} onRetry={etown.reload} />
          )}
        </Card>
      </>
    );
  }
  const { name } = etown.data;

  return (
    <>
      <PageHeader
        title={`${name} · 台账导入导出`}
        crumbs={[...crumbs, { title: name, to: `/etowns/${code}` }, { title: '台账' }]}
        subtitle="台账按 ezhen-ledger/1 格式（XLSX 或 JSON），与命令行 ezhen ledger 相同，可导出后修改再导入"
        extra={
          <Button
            icon={<FileExcelOutlined />}
            href="/api/ledger/template.xlsx"
            download
            data-testid="ledger-template"
          >
            下载空白模板
          </Button>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <LedgerExportCard code={code} year={year} onYearChange={setYear} />
        </Col>
        <Col xs={24} lg={14}>
          <Card title="导入台账" data-testid="ledger-import">
            {can.importLedger(me.role) ? (
              <LedgerImportPanel name={name} ledgerImport={ledgerImport} />
            ) : (
              <Typography.Text type="secondary">
                当前角色只能导出台账；导入由县级或e镇运营人员进行。
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
