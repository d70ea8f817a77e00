import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import { type Key, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Allocation, BudgetOverview, FundSettings, FundSource } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { formatMoney, newIdempotencyKey, sourceLabels, sumYuan, yuanRule } from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type EtownBudget = BudgetOverview['etowns'][number];

/** Which sources the caller's level puts into e-town budgets (the server enforces the same). */
const allocatableSources: Partial<Record<string, FundSource[]>> = {
  province_admin: ['provincial'],
  city_reviewer: ['city'],
  county_operator: ['county', 'social'],
};

const toFen = (yuan: string) => BigInt(yuan.replace('.', ''));

/** Fen-exact share of the cap already used, as a whole percent for the bar. */
function usedPercent(cap: string, remaining: string): number {
  const capFen = toFen(cap);
  if (capFen === 0n) return 0;
  return Number(((capFen - toFen(remaining)) * 100n) / capFen);
}

/** part / whole in percent with two decimals, exact until the last step. */
function sharePercent(part: string, whole: string): number {
  const wholeFen = toFen(whole);
  return wholeFen === 0n ? 0 : Number((toFen(part) * 10_000n) / wholeFen) / 100;
}

const figures = [
  { key: 'allocatedYuan', title: '已下达', testId: 'allocated', hint: '累计下达到该e镇的预算' },
  { key: 'availableYuan', title: '可用', testId: 'available', hint: '已下达、尚未核定给申请的预算' },
  { key: 'committedYuan', title: '已核定待拨付', testId: 'committed', hint: '已核定给申请、尚未拨付' },
  { key: 'paidYuan', title: '已拨付', testId: 'paid', hint: '已按期次拨付' },
] as const;
type FigureKey = (typeof figures)[number]['key'];

/** One line of the budget table: an e-town's totals, or one source of it under the e-town. */
type BudgetRow = Record<FigureKey, string> & {
  key: string;
  etownCode: string;
  /** null on the e-town's own line, which sums its sources. */
  source: FundSource | null;
  label: string;
  children?: BudgetRow[];
};

const sumOf = (rows: Record<FigureKey, string>[]) =>
  Object.fromEntries(figures.map(({ key }) => [key, sumYuan(rows.map((row) => row[key]))])) as Record<
    FigureKey,
    string
  >;

function budgetRows(etowns: EtownBudget[]): BudgetRow[] {
  return etowns.map((etown) => {
    const children = etown.sources.map((figure) => ({
      key: `${etown.etownCode}-${figure.source}`,
      etownCode: etown.etownCode,
      source: figure.source,
      label: sourceLabels[figure.source],
      allocatedYuan: figure.allocatedYuan,
      availableYuan: figure.availableYuan,
      committedYuan: figure.committedYuan,
      paidYuan: figure.paidYuan,
    }));
    return {
      key: etown.etownCode,
      etownCode: etown.etownCode,
      source: null,
      label: etown.etownName,
      ...sumOf(children),
      children,
    };
  });
}

/** Money in a table cell: ¥, thousands separators, digits of equal width so the columns line up. */
function Money({ yuan, dim = false, testId }: { yuan: string; dim?: boolean; testId?: string }) {
  return (
    <Typography.Text
      type={dim && toFen(yuan) === 0n ? 'secondary' : undefined}
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      data-testid={testId}
    >
      {formatMoney(yuan)}
    </Typography.Text>
  );
}

/** Paid (green) and approved-not-yet-paid (blue) as shares of what was allocated. */
function SpendingBar({ row }: { row: Record<FigureKey, string> }) {
  if (toFen(row.allocatedYuan) === 0n) return <Typography.Text type="secondary">—</Typography.Text>;
  const paid = sharePercent(row.paidYuan, row.allocatedYuan);
  const committed = sharePercent(row.committedYuan, row.allocatedYuan);
  return (
    <Tooltip
      title={`已拨付 ${paid}%，已核定待拨付 ${committed}%，可用 ${sharePercent(row.availableYuan, row.allocatedYuan)}%`}
    >
      <Progress
        percent={Math.min(100, paid + committed)}
        success={{ percent: paid }}
        size="small"
        format={() => `${paid}%`}
      />
    </Tooltip>
  );
}

const budgetColumns: TableColumnsType<BudgetRow> = [
  {
    title: 'e镇 / 资金来源',
    dataIndex: 'label',
    render: (label: string, row) =>
      row.source === null ? <Typography.Text strong>{label}</Typography.Text> : label,
  },
  ...figures.map(({ key, title, testId, hint }) => ({
    title: <Tooltip title={hint}>{title}</Tooltip>,
    key,
    width: 168,
    align: 'right' as const,
    render: (_: unknown, row: BudgetRow) => (
      <Money
        yuan={row[key]}
        dim={row.source !== null}
        testId={`budget-${row.etownCode}-${row.source ?? 'total'}-${testId}`}
      />
    ),
  })),
  {
    title: <Tooltip title="绿色为已拨付，蓝色为已核定待拨付，均占已下达的比例">拨付进度</Tooltip>,
    key: 'progress',
    width: 200,
    render: (_, row) => <SpendingBar row={row} />,
  },
];

const capColumns: TableColumnsType<EtownBudget> = [
  { title: 'e镇', dataIndex: 'etownName', width: 200 },
  {
    title: '省级补助上限',
    dataIndex: 'provincialCapYuan',
    align: 'right',
    width: 180,
    render: (value: string) => <Money yuan={value} />,
  },
  {
    title: '已下达',
    key: 'used',
    align: 'right',
    width: 180,
    render: (_, row) => (
      <Money yuan={row.sources.find((item) => item.source === 'provincial')?.allocatedYuan ?? '0.00'} />
    ),
  },
  {
    title: '剩余额度',
    dataIndex: 'provincialRemainingYuan',
    align: 'right',
    width: 180,
    render: (value: string, row) => <Money yuan={value} testId={`cap-remaining-${row.etownCode}`} />,
  },
  {
    title: '使用进度',
    key: 'progress',
    render: (_, row) => (
      <Progress
        percent={usedPercent(row.provincialCapYuan, row.provincialRemainingYuan)}
        size="small"
        style={{ maxWidth: 260 }}
      />
    ),
  },
];

const allocationColumns: TableColumnsType<Allocation> = [
  { title: '时间', dataIndex: 'createdAt', width: 180, render: formatDateTime },
  { title: 'e镇', dataIndex: 'etownName', width: 160 },
  {
    title: '来源',
    dataIndex: 'source',
    width: 100,
    render: (source: FundSource) => sourceLabels[source],
  },
  {
    title: '金额',
    dataIndex: 'amountYuan',
    width: 180,
    align: 'right',
    render: (value: string) => <Money yuan={value} />,
  },
  { title: '下达文号', dataIndex: 'documentReference', width: 200 },
  { title: '说明', dataIndex: 'memo' },
  { title: '经办人', dataIndex: 'createdByName', width: 200 },
];

function BudgetSummary({ rows, totals }: { rows: BudgetRow[]; totals: Record<FigureKey, string> }) {
  return (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0}>
        <Typography.Text strong>合计（{rows.length} 个e镇）</Typography.Text>
      </Table.Summary.Cell>
      {figures.map(({ key, testId }, index) => (
        <Table.Summary.Cell key={key} index={index + 1} align="right">
          <Typography.Text strong>
            <Money yuan={totals[key]} testId={`budget-all-${testId}`} />
          </Typography.Text>
        </Table.Summary.Cell>
      ))}
      <Table.Summary.Cell index={figures.length + 1}>
        <SpendingBar row={totals} />
      </Table.Summary.Cell>
    </Table.Summary.Row>
  );
}

type AllocationModalProps = {
  /** The idempotency key of the open form, or null when it is closed. */
  allocating: string | null;
  onClose: () => void;
  sources: FundSource[];
  etowns: EtownBudget[];
  onSaved: () => Promise<void>;
};

function AllocationModal({ allocating, onClose, sources, etowns, onSaved }: AllocationModalProps) {
  const { message } = App.useApp();
  return (
    <FormModal<{
      etownCode: string;
      source: FundSource;
      amountYuan: string;
      documentReference: string;
      memo?: string;
    }>
      key={allocating ?? 'allocate-closed'}
      title="下达预算"
      open={allocating !== null}
      onClose={onClose}
      okText="下达"
      testId="allocation-form"
      fieldNames={['etownCode', 'source', 'amountYuan', 'documentReference', 'memo']}
      initialValues={{ source: sources[0] }}
      onSubmit={async (values) => {
        await apiClient.POST('/api/funds/allocations', {
          params: { header: { 'idempotency-key': allocating ?? newIdempotencyKey() } },
          body: values,
        });
        message.success('预算已下达');
        await onSaved();
      }}
    >
      <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
        <Select
          data-testid="allocation-etown"
          options={etowns.map((etown) => ({
            value: etown.etownCode,
            label: etown.etownName,
          }))}
        />
      </Form.Item>
      <Form.Item name="source" label="资金来源" rules={[{ required: true, message: '请选择资金来源' }]}>
        <Select options={sources.map((source) => ({ value: source, label: sourceLabels[source] }))} />
      </Form.Item>
      <Form.Item
        name="amountYuan"
        label="金额（元）"
        rules={[{ required: true, message: '请填写金额' }, yuanRule]}
      >
        <Input suffix="元" data-testid="allocation-amount" />
      </Form.Item>
      <Form.Item
        name="documentReference"
        label="下达文号"
        rules={[{ required: true, message: '请填写下达文号' }]}
      >
        <Input maxLength={100} placeholder="如 晋财建〔2024〕88号" data-testid="allocation-document" />
      </Form.Item>
      <Form.Item name="memo" label="说明">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

type CapModalProps = { settingCap: string | null; onClose: () => void; onSaved: () => Promise<void> };

function CapModal({ settingCap, onClose, onSaved }: CapModalProps) {
  const { message } = App.useApp();
  // The cap as stored, with its version, loaded when the form opens; a save sends that version back.
  const capSettings = useLoader(
    settingCap === null ? null : () => unwrap(apiClient.GET('/api/funds/settings')),
    settingCap,
  );
  return (
    <FormModal<{ provincialCapPerEtownYuan: string }>
      key={settingCap ?? 'cap-closed'}
      title="每个e镇省级补助上限"
      open={settingCap !== null && capSettings.data !== undefined}
      onClose={onClose}
      testId="cap-form"
      fieldNames={['provincialCapPerEtownYuan']}
      initialValues={{ provincialCapPerEtownYuan: capSettings.data?.provincialCapPerEtownYuan }}
      onStale={(current) => capSettings.setData(current as FundSettings)}
      onSubmit={async (values) => {
        await unwrap(
          apiClient.PUT('/api/funds/settings', {
            params: { header: { 'idempotency-key': settingCap ?? newIdempotencyKey() } },
            body: { ...values, version: capSettings.data?.version ?? null },
          }),
        );
        message.success('上限已修改');
        await onSaved();
      }}
    >
      <Typography.Paragraph type="secondary">默认 20,000,000.00 元；已下达的不受影响。</Typography.Paragraph>
      <Form.Item
        name="provincialCapPerEtownYuan"
        label="上限（元）"
        rules={[{ required: true, message: '请填写上限' }, yuanRule]}
      >
        <Input suffix="元" />
      </Form.Item>
    </FormModal>
  );
}

type SourceBudgetCardProps = {
  rows: BudgetRow[];
  loading: boolean;
  /** Which e-towns show their sources; null until the person chooses: open when there are only a few. */
  expanded: readonly Key[] | null;
  onExpandedChange: (keys: readonly Key[]) => void;
};

function SourceBudgetCard({ rows, loading, expanded, onExpandedChange }: SourceBudgetCardProps) {
  const expandedKeys = expanded ?? (rows.length <= 5 ? rows.map((row) => row.key) : []);
  const allExpanded = rows.length > 0 && expandedKeys.length === rows.length;
  const totals = sumOf(rows);
  return (
    <Card
      title="分来源预算"
      extra={
        rows.length > 0 && (
          <Button
            size="small"
            onClick={() => onExpandedChange(allExpanded ? [] : rows.map((row) => row.key))}
            data-testid="budget-expand-all"
          >
            {allExpanded ? '全部收起' : '全部展开来源'}
          </Button>
        )
      }
    >
      <Table<BudgetRow>
        rowKey="key"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={rows}
        data-testid="budget-table"
        columns={budgetColumns}
        expandable={{
          expandedRowKeys: expandedKeys,
          onExpandedRowsChange: (keys) => onExpandedChange(keys),
        }}
        summary={() => rows.length > 1 && <BudgetSummary rows={rows} totals={totals} />}
      />
      <Space style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">
          每个e镇一行为各来源合计，展开可见省级、市级、县级财政和社会资本各自的数字；已下达 = 可用 +
          已核定待拨付 + 已拨付。
        </Typography.Text>
      </Space>
    </Card>
  );
}

export function FundBudgetsPage() {
  const me = useMe();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [allocating, setAllocating] = useState<string | null>(null);
  const [settingCap, setSettingCap] = useState<string | null>(null);
  /** Which e-towns show their sources; null until the person chooses: open when there are only a few. */
  const [expanded, setExpanded] = useState<readonly Key[] | null>(null);
  const overview = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/funds/budgets', {
              params: { query: { regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const sources = allocatableSources[me.role] ?? [];
  const data = overview.data;

  const rows = budgetRows(data?.etowns ?? []);

  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '预算与额度' }]}
        subtitle={data ? `每个e镇省级补助上限 ${formatMoney(data.provincialCapYuan)}` : undefined}
        extra={[
          can.manageFundSettings(me.role) && (
            <Button key="cap" icon={<SettingOutlined />} onClick={() => setSettingCap(newIdempotencyKey())}>
              设置省级补助上限
            </Button>
          ),
          sources.length > 0 && (
            <Button
              key="allocate"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAllocating(newIdempotencyKey())}
              data-testid="allocation-create"
            >
              下达预算
            </Button>
          ),
        ]}
      />
      <FundsNav />
      {overview.error ? (
        <ErrorState message={overview.error} onRetry={overview.reload} />
      ) : (
        <Flex vertical gap={16}>
          <Card title="各e镇省级补助额度">
            <Table<EtownBudget>
              rowKey="etownCode"
              size="small"
              loading={overview.loading}
              pagination={false}
              dataSource={data?.etowns ?? []}
              data-testid="cap-table"
              columns={capColumns}
            />
          </Card>
          <SourceBudgetCard
            rows={rows}
            loading={overview.loading}
            expanded={expanded}
            onExpandedChange={setExpanded}
          />
          <Card title="预算下达记录">
            <Table<Allocation>
              rowKey="transactionId"
              size="small"
              loading={overview.loading}
              dataSource={data?.allocations ?? []}
              data-testid="allocation-table"
              locale={{ emptyText: '暂无下达记录' }}
              pagination={{ pageSize: 10 }}
              columns={allocationColumns}
            />
          </Card>
        </Flex>
      )}
      <AllocationModal
        allocating={allocating}
        onClose={() => setAllocating(null)}
        sources={sources}
        etowns={data?.etowns ?? []}
        onSaved={overview.reload}
      />
      <CapModal settingCap={settingCap} onClose={() => setSettingCap(null)} onSaved={overview.reload} />
    </>
  );
}
