import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Progress, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, apiRequest } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FormModal } from '../brands/form-modal.tsx';
import {
  type Allocation,
  type BudgetOverview,
  type FundSource,
  formatYuan,
  newIdempotencyKey,
  sourceLabels,
  yuanRule,
} from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type EtownBudget = BudgetOverview['etowns'][number];

/** Which sources the caller's level puts into e-town budgets (the server enforces the same). */
const allocatableSources: Partial<Record<string, FundSource[]>> = {
  province_admin: ['provincial'],
  city_reviewer: ['city'],
  county_operator: ['county', 'social'],
};

/** Fen-exact share of the cap already used, as a whole percent for the bar. */
function usedPercent(cap: string, remaining: string): number {
  const toFen = (yuan: string) => BigInt(yuan.replace('.', ''));
  const capFen = toFen(cap);
  if (capFen === 0n) return 0;
  return Number(((capFen - toFen(remaining)) * 100n) / capFen);
}

export function FundBudgetsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [allocating, setAllocating] = useState<string | null>(null);
  const [settingCap, setSettingCap] = useState<string | null>(null);
  const overview = useLoader(
    regionsLoading ? null : () => api.get<BudgetOverview>('/funds/budgets', { regionCode: currentCode }),
    `${currentCode}|${regionsLoading}`,
  );
  const sources = allocatableSources[me.role] ?? [];
  const data = overview.data;

  const sourceColumns = (['provincial', 'city', 'county', 'social'] as const).map((source) => ({
    title: sourceLabels[source],
    key: source,
    children: [
      {
        title: '已下达',
        key: `${source}-allocated`,
        width: 140,
        align: 'right' as const,
        render: (_: unknown, row: EtownBudget) =>
          formatYuan(row.sources.find((item) => item.source === source)?.allocatedYuan, false),
      },
      {
        title: '可用',
        key: `${source}-available`,
        width: 140,
        align: 'right' as const,
        render: (_: unknown, row: EtownBudget) => (
          <span data-testid={`budget-${row.etownCode}-${source}-available`}>
            {formatYuan(row.sources.find((item) => item.source === source)?.availableYuan, false)}
          </span>
        ),
      },
      {
        title: '待拨付',
        key: `${source}-committed`,
        width: 140,
        align: 'right' as const,
        render: (_: unknown, row: EtownBudget) =>
          formatYuan(row.sources.find((item) => item.source === source)?.committedYuan, false),
      },
      {
        title: '已拨付',
        key: `${source}-paid`,
        width: 140,
        align: 'right' as const,
        render: (_: unknown, row: EtownBudget) =>
          formatYuan(row.sources.find((item) => item.source === source)?.paidYuan, false),
      },
    ],
  }));

  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '预算与额度' }]}
        subtitle={
          data ? `每个e镇省级补助上限 ${formatYuan(data.provincialCapYuan)}（金额单位：元）` : undefined
        }
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
              columns={[
                { title: 'e镇', dataIndex: 'etownName', width: 200 },
                {
                  title: '省级补助上限',
                  dataIndex: 'provincialCapYuan',
                  align: 'right',
                  width: 180,
                  render: (value: string) => formatYuan(value),
                },
                {
                  title: '已下达',
                  key: 'used',
                  align: 'right',
                  width: 180,
                  render: (_, row) =>
                    formatYuan(row.sources.find((item) => item.source === 'provincial')?.allocatedYuan),
                },
                {
                  title: '剩余额度',
                  dataIndex: 'provincialRemainingYuan',
                  align: 'right',
                  width: 180,
                  render: (value: string, row) => (
                    <span data-testid={`cap-remaining-${row.etownCode}`}>{formatYuan(value)}</span>
                  ),
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
              ]}
            />
          </Card>
          <Card title="分来源预算（元）">
            <Table<EtownBudget>
              rowKey="etownCode"
              size="small"
              bordered
              loading={overview.loading}
              pagination={false}
              dataSource={data?.etowns ?? []}
              data-testid="budget-table"
              scroll={{ x: 2500 }}
              columns={[
                { title: 'e镇', dataIndex: 'etownName', width: 160, fixed: 'start' },
                ...sourceColumns,
              ]}
            />
          </Card>
          <Card title="预算下达记录">
            <Table<Allocation>
              rowKey="transactionId"
              size="small"
              loading={overview.loading}
              dataSource={data?.allocations ?? []}
              data-testid="allocation-table"
              locale={{ emptyText: '暂无下达记录' }}
              pagination={{ pageSize: 10 }}
              columns={[
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
                  render: (value: string) => formatYuan(value),
                },
                { title: '下达文号', dataIndex: 'documentReference', width: 200 },
                { title: '说明', dataIndex: 'memo' },
                { title: '经办人', dataIndex: 'createdByName', width: 200 },
              ]}
            />
          </Card>
        </Flex>
      )}
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
        onClose={() => setAllocating(null)}
        okText="下达"
        testId="allocation-form"
        fieldNames={['etownCode', 'source', 'amountYuan', 'documentReference', 'memo']}
        initialValues={{ source: sources[0] }}
        onSubmit={async (values) => {
          await apiRequest('/funds/allocations', {
            method: 'POST',
            body: values,
            headers: { 'Idempotency-Key': allocating ?? newIdempotencyKey() },
          });
          message.success('预算已下达');
          await overview.reload();
        }}
      >
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select
            data-testid="allocation-etown"
            options={(data?.etowns ?? []).map((etown) => ({
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
      <FormModal<{ provincialCapPerEtownYuan: string }>
        key={settingCap ?? 'cap-closed'}
        title="每个e镇省级补助上限"
        open={settingCap !== null}
        onClose={() => setSettingCap(null)}
        testId="cap-form"
        fieldNames={['provincialCapPerEtownYuan']}
        initialValues={{ provincialCapPerEtownYuan: data?.provincialCapYuan }}
        onSubmit={async (values) => {
          await apiRequest('/funds/settings', {
            method: 'PUT',
            body: values,
            headers: { 'Idempotency-Key': settingCap ?? newIdempotencyKey() },
          });
          message.success('上限已修改');
          await overview.reload();
        }}
      >
        <Typography.Paragraph type="secondary">
          默认 20,000,000.00 元；已下达的不受影响。
        </Typography.Paragraph>
        <Form.Item
          name="provincialCapPerEtownYuan"
          label="上限（元）"
          rules={[{ required: true, message: '请填写上限' }, yuanRule]}
        >
          <Input suffix="元" />
        </Form.Item>
      </FormModal>
    </>
  );
}
