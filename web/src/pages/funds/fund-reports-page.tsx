import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ApplicationStatus, SupportMode, UsageReport } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { useRegions } from '../../region-context.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { formatYuan, statusLabels, supportModeLabels } from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type GroupBy = UsageReport['groupBy'];
type UsageRow = UsageReport['rows'][number];

const thisYear = new Date().getFullYear();
const yearOptions = [
  { value: 0, label: '全部年度' },
  ...Array.from({ length: 6 }, (_, index) => ({ value: thisYear - index, label: `${thisYear - index} 年` })),
];

const exportLink = (path: string, query: Record<string, string | number | undefined | null>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, String(value));
  return `/api${path}?${params}`;
};

const money = (title: string, dataIndex: string, width = 180) => ({
  title,
  dataIndex,
  align: 'right' as const,
  width,
  render: (value: string) => formatYuan(value),
});

export function FundReportsPage() {
  const { currentCode, loading: regionsLoading } = useRegions();
  const [groupBy, setGroupBy] = useState<GroupBy>('etown');
  const [year, setYear] = useState(0);
  const query = { regionCode: currentCode ?? undefined, groupBy, year: year || undefined };
  const report = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/funds/reports/usage', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  const rows = report.data ? [...report.data.rows, report.data.total] : [];
  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '使用情况' }]}
        subtitle="按e镇、资金来源、政策或月份汇总预算下达、核定、拨付与结算退回，数据来自资金台账分录"
        extra={
          <Button
            icon={<DownloadOutlined />}
            href={exportLink('/funds/reports/usage.xlsx', query)}
            data-testid="usage-export"
          >
            导出 XLSX
          </Button>
        }
      />
      <FundsNav />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Segmented<GroupBy>
            value={groupBy}
            onChange={setGroupBy}
            options={[
              { value: 'etown', label: '按e镇' },
              { value: 'source', label: '按来源' },
              { value: 'policy', label: '按政策' },
              { value: 'month', label: '按月份' },
            ]}
            data-testid="usage-group"
          />
          <Select value={year} onChange={setYear} options={yearOptions} style={{ width: 130 }} />
        </Space>
        {report.error ? (
          <ErrorState message={report.error} onRetry={report.reload} />
        ) : (
          <Table<UsageRow>
            rowKey="key"
            size="middle"
            loading={report.loading}
            dataSource={rows}
            pagination={false}
            data-testid="usage-table"
            rowClassName={(row) => (row.key === 'total' ? 'table-total-row' : '')}
            locale={{ emptyText: '暂无资金业务' }}
            columns={[
              {
                title: { etown: 'e镇', source: '资金来源', policy: '资金政策', month: '月份' }[groupBy],
                dataIndex: 'label',
                render: (label: string, row) => (row.key === 'total' ? <b>{label}</b> : label),
              },
              money('预算下达', 'allocatedYuan'),
              money('核定', 'approvedYuan'),
              money('已拨付', 'paidYuan'),
              money('结算退回', 'returnedYuan'),
            ]}
          />
        )}
      </Card>
    </>
  );
}

export function FundDisclosurePage() {
  const { currentCode, loading: regionsLoading } = useRegions();
  const [year, setYear] = useState(0);
  const query = { regionCode: currentCode ?? undefined, year: year || undefined };
  const disclosure = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/funds/disclosure', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '公示名单' }]}
        subtitle="获得补助的市场主体名单，供政务公开：主体名称、信用代码、政策、金额与日期，不含个人信息"
        extra={
          <Button
            icon={<DownloadOutlined />}
            href={exportLink('/funds/disclosure.xlsx', query)}
            data-testid="disclosure-export"
          >
            导出 XLSX
          </Button>
        }
      />
      <FundsNav />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <Select value={year} onChange={setYear} options={yearOptions} style={{ width: 130 }} />
        </Space>
        {disclosure.error ? (
          <ErrorState message={disclosure.error} onRetry={disclosure.reload} />
        ) : (
          <Table
            rowKey="applicationId"
            size="middle"
            loading={disclosure.loading}
            dataSource={disclosure.data?.rows ?? []}
            data-testid="disclosure-table"
            locale={{ emptyText: '暂无获得补助的主体' }}
            scroll={{ x: 1180 }}
            columns={[
              { title: '序号', key: 'index', width: 60, render: (_, __, index) => index + 1 },
              { title: 'e镇', dataIndex: 'etownName', width: 120 },
              { title: '补助对象', dataIndex: 'entityName', width: 220 },
              {
                title: '统一社会信用代码',
                dataIndex: 'creditCode',
                width: 190,
                render: (v: string | null) => v ?? '—',
              },
              { title: '资金政策', dataIndex: 'policyName', width: 180 },
              {
                title: '支持方式',
                dataIndex: 'supportMode',
                width: 90,
                render: (mode: SupportMode) => supportModeLabels[mode],
              },
              money('核定金额', 'approvedYuan', 150),
              money('已拨付', 'paidYuan', 150),
              { title: '核定日期', dataIndex: 'approvedOn', width: 130, render: formatDate },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (status: ApplicationStatus) => statusLabels[status],
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
