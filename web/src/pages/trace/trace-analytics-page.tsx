import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type AnswerOf, apiClient, unwrap } from '../../api/client.ts';
import type { ScanAnomalyView } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatMinute, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { anomalyKindLabels, anomalyStatusLabels, clientLabels, count, percent } from './trace-types.ts';

type StatusFilter = ScanAnomalyView['status'] | 'all';
type Review = { anomaly: ScanAnomalyView; status: 'confirmed' | 'dismissed' };

function ReviewModal({
  review,
  onClose,
  onDone,
}: {
  review: Review | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);
  if (!review) return null;
  const submit = async ({ note }: { note: string }) => {
    setSaving(true);
    try {
      await apiClient.POST('/api/trace/anomalies/{id}/review', {
        params: { path: { id: review.anomaly.id } },
        body: { status: review.status, note },
      });
      message.success(review.status === 'confirmed' ? '已确认为异常' : '已排除');
      form.resetFields();
      onDone();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={review.status === 'confirmed' ? '确认异常' : '排除异常'}
      okText={review.status === 'confirmed' ? '确认异常' : '排除'}
      okButtonProps={
        {
          danger: review.status === 'confirmed',
          loading: saving,
          'data-testid': 'trace-review-submit',
        } as never
      }
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
    >
      <Typography.Paragraph type="secondary">
        追溯码 {review.anomaly.code}（{review.anomaly.productName} · 批次 {review.anomaly.batchNumber}
        ），已被查询 {review.anomaly.scanCount} 次。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="note"
          label="处理说明"
          rules={[
            { required: true, whitespace: true, message: '请填写处理说明' },
            { max: 500, message: '不超过 500 字' },
          ]}
        >
          <Input.TextArea
            rows={3}
            placeholder={
              review.status === 'confirmed'
                ? '如：经核实为仿冒标签，已通报市场监管部门'
                : '如：经销商展示样品反复扫码，非仿冒'
            }
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The columns every reader sees; the review buttons are added for those who may review. */
const anomalyColumns: TableColumnsType<ScanAnomalyView> = [
  {
    title: '追溯码',
    dataIndex: 'code',
    render: (code: string, anomaly) => (
      <Typography.Link href={anomaly.url} target="_blank" rel="noreferrer">
        {code}
      </Typography.Link>
    ),
  },
  {
    title: '类型',
    dataIndex: 'kind',
    render: (kind: ScanAnomalyView['kind']) => (
      <Tag color={anomalyKindLabels[kind].color}>{anomalyKindLabels[kind].label}</Tag>
    ),
  },
  { title: '查询次数', dataIndex: 'scanCount', render: (value: number) => count(value) },
  {
    title: '产品 / 批次',
    render: (_: unknown, anomaly) => (
      <Link to={`/trace/batches/${anomaly.batchId}`}>
        {anomaly.productName} · {anomaly.batchNumber}
      </Link>
    ),
  },
  { title: 'e镇', dataIndex: 'etownName' },
  { title: '发现时间', dataIndex: 'detectedAt', render: formatMinute },
  {
    title: '状态',
    dataIndex: 'status',
    render: (value: ScanAnomalyView['status'], anomaly) => (
      <Space direction="vertical" size={0}>
        <Tag color={anomalyStatusLabels[value].color}>{anomalyStatusLabels[value].label}</Tag>
        {anomaly.reviewNote && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {anomaly.reviewedByName}：{anomaly.reviewNote}
          </Typography.Text>
        )}
      </Space>
    ),
  },
];

/** 异常扫码核查: codes scanned far more than a package would be, or from a recalled batch. */
function AnomalyQueue() {
  const me = useMe();
  const [status, setStatus] = useState<StatusFilter>('open');
  const loaded = useLoader(
    () =>
      unwrap(
        apiClient.GET('/api/trace/anomalies', {
          params: { query: { status: status === 'all' ? undefined : status } },
        }),
      ),
    status,
  );
  const [review, setReview] = useState<Review | null>(null);
  const mayReview = can.reviewScanAnomalies(me.role);
  return (
    <Card
      title="异常扫码核查"
      data-testid="trace-anomalies"
      extra={
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          options={[
            { label: '待核查', value: 'open' },
            { label: '已确认', value: 'confirmed' },
            { label: '已排除', value: 'dismissed' },
            { label: '全部', value: 'all' },
          ]}
        />
      }
    >
      {loaded.error ? (
        <ErrorState message={loaded.error} onRetry={loaded.reload} />
      ) : (
        <Table<ScanAnomalyView>
          rowKey="id"
          size="small"
          loading={loaded.loading}
          dataSource={loaded.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: status === 'open' ? '没有待核查的异常扫码' : '没有记录' }}
          scroll={{ x: 1000 }}
          columns={[
            ...anomalyColumns,
            ...(mayReview
              ? [
                  {
                    title: '处理',
                    width: 170,
                    render: (_: unknown, anomaly: ScanAnomalyView) =>
                      anomaly.status === 'open' && (
                        <Space>
                          <Button
                            size="small"
                            danger
                            onClick={() => setReview({ anomaly, status: 'confirmed' })}
                            data-testid={`trace-confirm-${anomaly.code}`}
                          >
                            确认异常
                          </Button>
                          <Button size="small" onClick={() => setReview({ anomaly, status: 'dismissed' })}>
                            排除
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <ReviewModal
        review={review}
        onClose={() => setReview(null)}
        onDone={() => {
          setReview(null);
          void loaded.reload();
        }}
      />
    </Card>
  );
}

type TraceAnalytics = AnswerOf<'/api/trace/analytics', 'get'>;

/** Scans of a product's or batch's codes, with the share of its codes scanned at least once. */
const scanned = (value: number, row: { codes: number }) =>
  `${count(value)}（${row.codes > 0 ? percent(value / row.codes) : '—'}）`;

function AnalyticsTotals({ totals }: { totals: TraceAnalytics['totals'] }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="已赋码（累计）" value={totals.codes} suffix="个" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="被扫过的码（累计）" value={totals.scannedCodes} suffix="个" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="扫码率" value={percent(totals.scanRate)} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small">
          <Statistic title="期间扫码次数" value={totals.scans} suffix="次" />
        </Card>
      </Col>
    </Row>
  );
}

function ByProductTable({ data }: { data: TraceAnalytics }) {
  return (
    <Table
      rowKey="productId"
      size="small"
      dataSource={data.byProduct}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      locale={{ emptyText: '本地区还没有赋码的产品' }}
      columns={[
        { title: '产品', dataIndex: 'productName' },
        { title: 'e镇', dataIndex: 'etownName' },
        { title: '赋码数', dataIndex: 'codes', render: count },
        { title: '被扫过的码（扫码率）', dataIndex: 'scannedCodes', render: scanned },
        { title: '期间扫码次数', dataIndex: 'scans', render: count },
      ]}
    />
  );
}

function ByBatchTable({ data }: { data: TraceAnalytics }) {
  return (
    <Table
      rowKey="batchId"
      size="small"
      dataSource={data.byBatch}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      locale={{ emptyText: '本地区还没有赋码的批次' }}
      columns={[
        {
          title: '批次',
          dataIndex: 'batchNumber',
          render: (value: string, row) => (
            <Space>
              <Link to={`/trace/batches/${row.batchId}`}>{value}</Link>
              {row.recalled && <Tag color="red">已召回</Tag>}
            </Space>
          ),
        },
        { title: '产品', dataIndex: 'productName' },
        { title: '赋码数', dataIndex: 'codes', render: count },
        { title: '被扫过的码（扫码率）', dataIndex: 'scannedCodes', render: scanned },
        { title: '期间扫码次数', dataIndex: 'scans', render: count },
      ]}
    />
  );
}

function AnalyticsTabs({ data }: { data: TraceAnalytics }) {
  return (
    <Card>
      <Tabs
        items={[
          { key: 'product', label: '按产品', children: <ByProductTable data={data} /> },
          { key: 'batch', label: '按批次', children: <ByBatchTable data={data} /> },
          {
            key: 'day',
            label: '按日期',
            children: (
              <Table
                rowKey="day"
                size="small"
                dataSource={[...data.byDay].reverse()}
                pagination={{ pageSize: 15, hideOnSinglePage: true }}
                locale={{ emptyText: '期间没有扫码' }}
                columns={[
                  { title: '日期', dataIndex: 'day' },
                  { title: '扫码次数', dataIndex: 'scans', render: count },
                ]}
              />
            ),
          },
          {
            key: 'region',
            label: '按地区',
            children: (
              <Table
                rowKey={(row) => row.regionCode ?? 'unknown'}
                size="small"
                dataSource={data.byRegion}
                pagination={false}
                locale={{ emptyText: '期间没有扫码' }}
                columns={[
                  { title: '扫码地区', dataIndex: 'regionName' },
                  { title: '扫码次数', dataIndex: 'scans', render: count },
                ]}
              />
            ),
          },
          {
            key: 'client',
            label: '按扫码应用',
            children: (
              <Table
                rowKey="client"
                size="small"
                dataSource={data.byClient}
                pagination={false}
                locale={{ emptyText: '期间没有扫码' }}
                columns={[
                  {
                    title: '应用',
                    dataIndex: 'client',
                    render: (value: string) => clientLabels[value] ?? value,
                  },
                  { title: '扫码次数', dataIndex: 'scans', render: count },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** 扫码分析: how the region's trace codes are scanned — per product, batch, day, region and app. */
export function TraceAnalyticsPage() {
  const regions = useRegions();
  const regionCode = regions.currentCode ?? undefined;
  // The last 30 days in China, whatever the browser's own zone.
  const [range, setRange] = useState<[string, string]>(() => {
    const today = todayInShanghai();
    return [dayjs(today).subtract(29, 'day').format('YYYY-MM-DD'), today];
  });
  const loaded = useLoader(
    regions.loading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/trace/analytics', {
              params: { query: { regionCode, from: range[0], to: range[1] } },
            }),
          ),
    `${regionCode}|${range[0]}|${range[1]}|${regions.loading}`,
  );
  const data = loaded.data;
  return (
    <div data-testid="trace-analytics-page">
      <PageHeader
        title="扫码分析"
        subtitle={`${regions.current?.name ?? ''} · 追溯码的扫码情况；扫码地区需 IP 定位库，未配置时记为“未知”，不作推测`}
        extra={
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(range[0]), dayjs(range[1])]}
            onChange={(values) => {
              if (values?.[0] && values[1])
                setRange([values[0].format('YYYY-MM-DD'), values[1].format('YYYY-MM-DD')]);
            }}
          />
        }
      />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {loaded.error && <ErrorState message={loaded.error} onRetry={loaded.reload} />}
        {!data && !loaded.error && <LoadingState />}
        {data && (
          <>
            <AnalyticsTotals totals={data.totals} />
            <AnalyticsTabs data={data} />
          </>
        )}
        <AnomalyQueue />
      </Space>
    </div>
  );
}
