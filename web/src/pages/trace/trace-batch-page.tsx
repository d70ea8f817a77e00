import { DownloadOutlined, PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  InputNumber,
  Modal,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { TraceBatchView } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate, formatMinute } from '../../time.ts';
import { jobPercent, useJob } from '../../use-job.ts';
import { useLoader } from '../../use-loader.ts';
import { count, MAX_CODES_PER_RUN, MAX_LABELS_PER_SHEET, percent } from './trace-types.ts';

type Run = TraceBatchView['runs'][number];

/** 生成追溯码: a background job; its progress shows here until the run appears in the list. */
function GenerateCard({ batchId, onDone }: { batchId: string; onDone: () => void }) {
  const { message } = App.useApp();
  const [amount, setAmount] = useState<number | null>(1000);
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const { job, error } = useJob(jobId);
  const finishedId = job && job.status === 'succeeded' ? job.id : null;
  // Once per finished job: the new run appears in the list below.
  useEffect(() => {
    if (!finishedId) return;
    message.success('追溯码已生成');
    onDone();
  }, [finishedId, message, onDone]);
  const start = async () => {
    if (!amount) return;
    setStarting(true);
    try {
      const started = await unwrap(
        apiClient.POST('/api/trace/batches/{batchId}/runs', {
          params: { path: { batchId } },
          body: { count: amount },
        }),
      );
      setJobId(started.id);
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setStarting(false);
    }
  };
  const running = job?.status === 'running';
  return (
    <Card title="生成追溯码" data-testid="trace-generate">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          一物一码：每件包装一个追溯码（网址），一次最多 100
          万个，在后台生成，全部写入或全部不写入；序号接续本批次已有的码。
        </Typography.Text>
        <Space wrap>
          <InputNumber
            min={1}
            max={MAX_CODES_PER_RUN}
            precision={0}
            value={amount}
            onChange={setAmount}
            addonAfter="个"
            style={{ width: 200 }}
            data-testid="trace-generate-count"
          />
          <Button
            type="primary"
            icon={<QrcodeOutlined />}
            loading={starting || running}
            disabled={!amount}
            onClick={() => void start()}
            data-testid="trace-generate-submit"
          >
            生成
          </Button>
        </Space>
        {job && running && (
          <div data-testid="trace-generate-progress">
            <Typography.Text>
              {job.stage || '处理中'}
              {job.progress.total > 0 ? `（${count(job.progress.done)} / ${count(job.progress.total)}）` : ''}
            </Typography.Text>
            <Progress percent={jobPercent(job)} status="active" />
          </div>
        )}
        {job?.status === 'failed' && (
          <Alert
            type="error"
            showIcon
            message={job.error?.message ?? '生成失败'}
            description="没有生成任何追溯码。"
          />
        )}
        {error && <Alert type="error" showIcon message={error} />}
      </Space>
    </Card>
  );
}

/** Choosing the serial range of one label sheet (A4, 24 per page, at most 2,000 per file). */
function LabelSheetModal({ run, onClose }: { run: Run | null; onClose: () => void }) {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  if (!run) return null;
  const first = from ?? run.firstSerial;
  const last = to ?? Math.min(run.lastSerial, first + MAX_LABELS_PER_SHEET - 1);
  const valid =
    first >= run.firstSerial &&
    last <= run.lastSerial &&
    first <= last &&
    last - first < MAX_LABELS_PER_SHEET;
  const close = () => {
    setFrom(null);
    setTo(null);
    onClose();
  };
  return (
    <Modal
      open
      title="打印标签（A4，每页 24 枚）"
      onCancel={close}
      footer={[
        <Button key="cancel" onClick={close}>
          关闭
        </Button>,
        <Button
          key="download"
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!valid}
          href={`/api/trace/runs/${run.id}/labels.pdf?from=${first}&to=${last}`}
          download
          data-testid="trace-labels-download"
        >
          下载 PDF（{valid ? count(last - first + 1) : 0} 枚）
        </Button>,
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          本次赋码序号 {count(run.firstSerial)}—{count(run.lastSerial)}；每个文件最多{' '}
          {count(MAX_LABELS_PER_SHEET)} 枚，更多请分段下载或把 CSV 交给印刷厂。
        </Typography.Text>
        <Space>
          <InputNumber
            min={run.firstSerial}
            max={run.lastSerial}
            precision={0}
            value={first}
            onChange={setFrom}
            addonBefore="从序号"
          />
          <InputNumber
            min={run.firstSerial}
            max={run.lastSerial}
            precision={0}
            value={last}
            onChange={setTo}
            addonBefore="到"
          />
        </Space>
        {!valid && (
          <Alert
            type="warning"
            showIcon
            message={`序号须在范围内，且一次不超过 ${MAX_LABELS_PER_SHEET} 枚`}
          />
        )}
      </Space>
    </Modal>
  );
}

function BatchFacts({ batch }: Pick<TraceBatchView, 'batch'>) {
  return (
    <Card size="small">
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label="产品">{batch.productName}</Descriptions.Item>
        <Descriptions.Item label="生产日期">{formatDate(batch.producedOn)}</Descriptions.Item>
        <Descriptions.Item label="批次数量">
          {count(batch.quantity)} {batch.unit}
        </Descriptions.Item>
        <Descriptions.Item label="产地基地">{batch.originBase}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function CodeTotals({ codes }: Pick<TraceBatchView, 'codes'>) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="已赋码" value={codes.generated} suffix="个" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="被扫过的码" value={codes.scanned} suffix="个" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic
            title="扫码率"
            value={codes.generated > 0 ? percent(codes.scanned / codes.generated) : '—'}
          />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="扫码次数" value={codes.scans} suffix="次" />
        </Card>
      </Col>
    </Row>
  );
}

function BatchScans({ byDay, recentFirstScans }: Pick<TraceBatchView, 'byDay' | 'recentFirstScans'>) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title="每日扫码">
          <Table
            rowKey="day"
            size="small"
            dataSource={[...byDay].reverse()}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: '还没有人扫码' }}
            columns={[
              { title: '日期', dataIndex: 'day' },
              { title: '扫码次数', dataIndex: 'scans', render: (value: number) => count(value) },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title="最近首次扫码">
          <Table
            rowKey="code"
            size="small"
            dataSource={recentFirstScans}
            pagination={false}
            locale={{ emptyText: '还没有人扫码' }}
            columns={[
              {
                title: '追溯码',
                dataIndex: 'code',
                render: (code: string) => (
                  <Typography.Link
                    href={`/t/${code}`}
                    target="_blank"
                    rel="noreferrer"
                    copyable={{ text: code }}
                  >
                    {code}
                  </Typography.Link>
                ),
              },
              { title: '序号', dataIndex: 'serial', render: (value: number) => count(value) },
              { title: '首次扫码', dataIndex: 'firstScannedAt', render: formatMinute },
              { title: '累计', dataIndex: 'scanCount', render: (value: number) => `${count(value)} 次` },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

/** 赋码与扫码: a batch's code runs (generate, CSV, label sheets) and how its codes are being scanned. */
export function TraceBatchPage() {
  const { batchId = '' } = useParams();
  const me = useMe();
  const loaded = useLoader(
    () => unwrap(apiClient.GET('/api/trace/batches/{batchId}', { params: { path: { batchId } } })),
    batchId,
  );
  const [sheetRun, setSheetRun] = useState<Run | null>(null);
  const { reload } = loaded;
  const reloadBatch = useCallback(() => void reload(), [reload]);
  if (loaded.loading && !loaded.data) return <LoadingState />;
  if (loaded.notFound) return <NotFoundState what="批次" backTo="/trace" backLabel="返回扫码分析" />;
  if (loaded.error || !loaded.data)
    return <ErrorState message={loaded.error ?? '加载失败'} onRetry={loaded.reload} />;
  const { batch, runs, codes, byDay, recentFirstScans, sampleUrl } = loaded.data;
  const mayGenerate = can.generateTraceCodes(me.role);
  const mayExport = can.exportTraceCodes(me.role);
  return (
    <div data-testid="trace-batch-page">
      <PageHeader
        title="赋码与扫码"
        subtitle={`${batch.productName} · 批次 ${batch.batchNumber}`}
        crumbs={[{ title: '扫码分析', to: '/trace' }, { title: `批次 ${batch.batchNumber}` }]}
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {batch.recalledAt && (
          <Alert
            type="error"
            showIcon
            message={`此批次已于 ${formatMinute(batch.recalledAt)} 召回，不能再赋码`}
            description={`召回原因：${batch.recallReason ?? '—'}。扫码页向消费者显示“此批次已召回，请勿食用”，扫码记入异常核查。`}
          />
        )}
        <BatchFacts batch={batch} />
        <CodeTotals codes={codes} />
        {mayGenerate && !batch.recalledAt && <GenerateCard batchId={batch.id} onDone={reloadBatch} />}
        <Card
          title="赋码记录"
          extra={
            sampleUrl && (
              <Typography.Link href={sampleUrl} target="_blank" rel="noreferrer">
                查看扫码页示例
              </Typography.Link>
            )
          }
        >
          <Table<Run>
            rowKey="id"
            size="small"
            data-testid="trace-runs"
            dataSource={runs}
            pagination={false}
            locale={{ emptyText: '尚未生成追溯码' }}
            scroll={{ x: 900 }}
            columns={[
              { title: '赋码批号', dataIndex: 'runNumber', width: 90 },
              {
                title: '序号',
                render: (_: unknown, run) => `${count(run.firstSerial)}—${count(run.lastSerial)}`,
              },
              { title: '数量', dataIndex: 'count', render: (value: number) => count(value) },
              { title: '生成时间', dataIndex: 'createdAt', render: formatMinute },
              { title: '生成人', dataIndex: 'createdBy', render: (value: string | null) => value ?? '—' },
              {
                title: '被扫码',
                render: (_: unknown, run) => `${count(run.scannedCodes)} 个码 / ${count(run.scans)} 次`,
              },
              { title: '首次扫码', dataIndex: 'firstScanAt', render: formatMinute },
              ...(mayExport
                ? [
                    {
                      title: '印刷',
                      width: 220,
                      render: (_: unknown, run: Run) => (
                        <Space>
                          <Button
                            size="small"
                            icon={<DownloadOutlined />}
                            href={`/api/trace/runs/${run.id}/codes.csv`}
                            download
                          >
                            CSV
                          </Button>
                          <Button
                            size="small"
                            icon={<PrinterOutlined />}
                            onClick={() => setSheetRun(run)}
                            data-testid={`trace-labels-${run.runNumber}`}
                          >
                            标签 PDF
                          </Button>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        <BatchScans byDay={byDay} recentFirstScans={recentFirstScans} />
      </Space>
      <LabelSheetModal run={sheetRun} onClose={() => setSheetRun(null)} />
    </div>
  );
}
