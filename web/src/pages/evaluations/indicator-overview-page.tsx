import { Card, InputNumber, Select, Space, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CountyTier, IndicatorOverview, IndicatorStatus } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { tierLabels } from '../../labels.ts';
import { useRegions } from '../../region-context.tsx';
import { useLoader } from '../../use-loader.ts';
import { OverviewChart } from './overview-chart.tsx';

const cellColors: Record<IndicatorStatus, string> = { met: '#95de64', unmet: '#ff7875', pending: '#ffc069' };
const statusLabels: Record<IndicatorStatus, string> = { met: '达标', unmet: '未达标', pending: '待定' };

type Row = IndicatorOverview['etowns'][number];

function countStatuses(etowns: Row[]) {
  return etowns.reduce(
    (sum, etown) => ({
      met: sum.met + etown.summary.met,
      unmet: sum.unmet + etown.summary.unmet,
      pending: sum.pending + etown.summary.pending,
    }),
    { met: 0, unmet: 0, pending: 0 },
  );
}

function HeatmapSummary({ totals }: { totals: IndicatorOverview['totals'] }) {
  return (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0} colSpan={3}>
        各项达标 / 未达标 / 待定
      </Table.Summary.Cell>
      {totals.map((total, index) => (
        <Table.Summary.Cell key={total.no} index={index + 3} align="center">
          <span style={{ fontSize: 11 }}>
            {total.met}/{total.unmet}/{total.pending}
          </span>
        </Table.Summary.Cell>
      ))}
    </Table.Summary.Row>
  );
}

/** The e-town, its city and county, then one coloured cell per indicator. */
function heatmapColumns(year: number, indicators: IndicatorOverview['indicators']): TableColumnsType<Row> {
  return [
    {
      title: 'e镇',
      dataIndex: 'name',
      fixed: 'left',
      width: 150,
      render: (name: string, row) => (
        <Link to={`/etowns/${row.code}/scorecard?year=${year}`} data-testid={`overview-etown-${row.code}`}>
          {name}
        </Link>
      ),
    },
    { title: '市', width: 80, render: (_: unknown, row) => row.city.name },
    { title: '县', width: 90, render: (_: unknown, row) => row.county.name },
    ...indicators.map((indicator, index) => ({
      title: <Tooltip title={indicator.title}>{indicator.no}</Tooltip>,
      key: `i${indicator.no}`,
      width: 36,
      align: 'center' as const,
      onCell: (row: Row) => {
        const status = row.statuses[index];
        return { style: { background: status ? cellColors[status] : undefined, padding: 0 } };
      },
      render: (_: unknown, row: Row) => {
        const status = row.statuses[index];
        return (
          <Tooltip title={`${indicator.no} ${indicator.title}：${status ? statusLabels[status] : '—'}`}>
            <div style={{ height: 24 }} data-testid={`cell-${row.code}-${indicator.no}`} />
          </Tooltip>
        );
      },
    })),
  ];
}

/** All e-towns in scope × the 28 indicators as a heat map of coloured cells. */
export function IndicatorOverviewPage() {
  const [year, setYear] = useState(new Date().getFullYear());
  const [cityCode, setCityCode] = useState<string>();
  const [tier, setTier] = useState<CountyTier>();
  // Cities seen while unfiltered, so the city filter keeps its options once one is chosen.
  const cities = useRef(new Map<string, string>());
  const regions = useRegions();
  // The header's region switcher narrows the overview; an e-town stands for its county, whose row it is.
  const scope =
    regions.current?.level === 'etown' && regions.current.parentCode
      ? (regions.byCode.get(regions.current.parentCode) ?? null)
      : regions.current;
  const regionCode = scope?.code;
  const citiesRegion = useRef(regionCode);
  if (citiesRegion.current !== regionCode) {
    citiesRegion.current = regionCode;
    cities.current = new Map();
  }
  const overview = useLoader(
    // Wait for the region tree, so the first request already has the user's region.
    regions.loading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/evaluations/overview', {
              params: { query: { year, regionCode, cityCode, tier } },
            }),
          ),
    `${year}|${regionCode}|${cityCode}|${tier}`,
  );
  for (const etown of overview.data?.etowns ?? []) cities.current.set(etown.city.code, etown.city.name);
  const data = overview.data;
  const totals = countStatuses(data?.etowns ?? []);

  return (
    <>
      <PageHeader
        title="指标总览"
        crumbs={[{ title: '指标总览' }]}
        subtitle={
          <span data-testid="overview-region">
            {scope ? scope.name : '可见'}范围内每个e镇 × 28 项约束性指标
          </span>
        }
      />
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Typography.Text>年度</Typography.Text>
          <InputNumber min={2020} max={2100} value={year} onChange={(value) => value && setYear(value)} />
          <Select
            allowClear
            placeholder="全部市"
            style={{ width: 140 }}
            value={cityCode}
            onChange={setCityCode}
            options={[...cities.current].map(([code, name]) => ({ value: code, label: name }))}
            data-testid="overview-city"
          />
          <Select
            allowClear
            placeholder="全部县分类"
            style={{ width: 160 }}
            value={tier}
            onChange={setTier}
            options={Object.entries(tierLabels).map(([value, label]) => ({ value, label }))}
            data-testid="overview-tier"
          />
          {data && (
            <Space size={16} data-testid="overview-counts">
              <span>{data.etowns.length} 个e镇</span>
              <Typography.Text style={{ color: '#389e0d' }}>达标 {totals.met}</Typography.Text>
              <Typography.Text type="danger">未达标 {totals.unmet}</Typography.Text>
              <Typography.Text type="warning">待定 {totals.pending}</Typography.Text>
            </Space>
          )}
        </Space>
        {!overview.error && data && data.etowns.length > 0 && (
          <div style={{ marginBottom: 16 }}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              各项指标达标情况
            </Typography.Title>
            <OverviewChart indicators={data.indicators} totals={data.totals} />
          </div>
        )}
        {overview.error ? (
          <ErrorState message={overview.error} onRetry={overview.reload} />
        ) : (
          <Table<Row>
            rowKey="code"
            size="small"
            bordered
            loading={overview.loading || regions.loading}
            dataSource={data?.etowns ?? []}
            data-testid="overview-heatmap"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: '没有符合条件的e镇' }}
            summary={() => (data && data.etowns.length > 0 ? <HeatmapSummary totals={data.totals} /> : null)}
            columns={heatmapColumns(year, data?.indicators ?? [])}
          />
        )}
        {data && data.notEvaluated.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            未能评价：{data.notEvaluated.map((etown) => `${etown.name}（${etown.reason}）`).join('；')}
          </Typography.Paragraph>
        )}
      </Card>
    </>
  );
}
