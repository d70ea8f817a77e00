import { ArrowDownOutlined, ArrowUpOutlined, FileExcelOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Flex,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type AnswerOf, apiClient, unwrap } from '../../api/client.ts';
import type { AggregateCell, AggregateRow, AggregateSeries, MonthlyAggregates } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { useRegions } from '../../region-context.tsx';
import { displayTimeZone, formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import type { ChartPick, ChartView, GrowthKind } from './aggregates-chart.tsx';

// ECharts loads with the chart, not with the page.
const AggregatesChart = lazy(() =>
  import('./aggregates-chart.tsx').then((module) => ({ default: module.AggregatesChart })),
);

const MAX_MONTHS = 36;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const childLevelLabels: Record<MonthlyAggregates['childLevel'], string> = {
  province: '省',
  city: '市',
  county: '县',
  etown: 'e镇',
  entity: '市场主体',
};
const sourceLabels: Record<AggregateRow['source'], string> = {
  report: '企业填报',
  ledger: '台账导入',
  import: '批量导入',
};

/** "1234567.80" → "1,234,567.80": grouped on the text, never through a float. */
const grouped = (yuan: string) =>
  yuan.replace(/^(-?\d+)/, (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
const count = (value: number) => value.toLocaleString('zh-CN');

/** The last complete month on the Beijing calendar. */
const lastCompleteMonth = () => dayjs().tz(displayTimeZone).subtract(1, 'month').format('YYYY-MM');
const monthsBetween = (from: string, to: string) => dayjs(`${to}-01`).diff(dayjs(`${from}-01`), 'month') + 1;

/** The range in the address (`?from=&to=`), so a link or a reload keeps it; the last 12 complete months by default. */
function useMonthRange(): [{ from: string; to: string }, (from: string, to: string) => void] {
  const [params, setParams] = useSearchParams();
  const to = MONTH.test(params.get('to') ?? '') ? (params.get('to') as string) : lastCompleteMonth();
  const fromParam = params.get('from') ?? '';
  const from =
    MONTH.test(fromParam) && fromParam <= to
      ? fromParam
      : dayjs(`${to}-01`).subtract(11, 'month').format('YYYY-MM');
  const setRange = (nextFrom: string, nextTo: string) =>
    setParams(
      (current) => {
        current.set('from', nextFrom);
        current.set('to', nextTo);
        return current;
      },
      { replace: true },
    );
  return [{ from, to }, setRange];
}

/** A growth in percent: ↑ green, ↓ red (the arrow carries the sign), a dash when there is nothing to compare with. */
function Growth({ value }: { value: string | null }) {
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const number = Number(value);
  if (number === 0) return <Typography.Text>{value}%</Typography.Text>;
  return (
    <Typography.Text type={number > 0 ? 'success' : 'danger'} style={{ whiteSpace: 'nowrap' }}>
      {number > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {value.replace(/^-/, '')}%
    </Typography.Text>
  );
}

type Figures = AggregateSeries['total'] | AggregateCell;
const momOf = (figures: Figures, measure: 'output' | 'onlineRetail') =>
  'month' in figures ? figures[`${measure}MomPct`] : null;

/** What the drawer shows: the approved rows behind one series in one month, or in the whole range. */
type DrillTarget = { series: AggregateSeries; month: string | null };

type TableRow = {
  key: string;
  series: AggregateSeries;
  label: ReactNode;
  figures: Figures;
  month: string | null;
};

function measureColumns(
  withMom: boolean,
  yoyTitle: string,
  open: (row: TableRow) => void,
): TableColumnsType<TableRow> {
  const money = (title: string, pick: (figures: Figures) => string, testId?: string) => ({
    title,
    align: 'right' as const,
    render: (_: unknown, row: TableRow) =>
      row.figures.rows === 0 ? (
        <Typography.Text type="secondary">{grouped(pick(row.figures))}</Typography.Text>
      ) : (
        <Typography.Link
          onClick={() => open(row)}
          data-testid={testId ? `${testId}-${row.series.code}-${row.month ?? 'total'}` : undefined}
        >
          {grouped(pick(row.figures))}
        </Typography.Link>
      ),
  });
  const growth = (title: string, pick: (figures: Figures) => string | null) => ({
    title,
    align: 'right' as const,
    render: (_: unknown, row: TableRow) => <Growth value={pick(row.figures)} />,
  });
  const plain = (title: string, pick: (figures: Figures) => number) => ({
    title,
    align: 'right' as const,
    render: (_: unknown, row: TableRow) => count(pick(row.figures)),
  });
  return [
    money('总产值（元）', (figures) => figures.outputYuan, 'output'),
    ...(withMom ? [growth('环比', (figures) => momOf(figures, 'output'))] : []),
    growth(yoyTitle, (figures) => figures.outputYoyPct),
    money('网络零售额（元）', (figures) => figures.onlineRetailYuan, 'retail'),
    ...(withMom ? [growth('环比', (figures) => momOf(figures, 'onlineRetail'))] : []),
    growth(yoyTitle, (figures) => figures.onlineRetailYoyPct),
    money('其中跨境（元）', (figures) => figures.crossBorderYuan),
    plain('订单数', (figures) => figures.orders),
    plain('从业人员', (figures) => figures.employees),
    plain('电商从业人员', (figures) => figures.ecommerceEmployees),
    {
      title: '数据条数',
      align: 'right' as const,
      render: (_: unknown, row: TableRow) =>
        row.figures.rows === 0 ? (
          <Typography.Text type="secondary">0</Typography.Text>
        ) : (
          <Typography.Link
            onClick={() => open(row)}
            data-testid={`rows-${row.series.code}-${row.month ?? 'total'}`}
          >
            {row.figures.rows} 条
          </Typography.Link>
        ),
    },
  ];
}

/** A table whose first row is the region itself (合计 / 本级), bold, then one row per child or month. */
function FiguresTable({
  rows,
  firstTitle,
  withMom,
  yoyTitle,
  open,
  testId,
  emptyText,
}: {
  rows: TableRow[];
  firstTitle: string;
  withMom: boolean;
  yoyTitle: string;
  open: (row: TableRow) => void;
  testId: string;
  emptyText: string;
}) {
  return (
    <Table<TableRow>
      rowKey="key"
      size="small"
      bordered
      dataSource={rows}
      pagination={rows.length > 25 ? { pageSize: 25, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText }}
      data-testid={testId}
      onRow={(row) => (row.key === 'own' ? { style: { background: '#f3f8f6', fontWeight: 600 } } : {})}
      columns={[
        {
          title: firstTitle,
          fixed: 'left',
          render: (_: unknown, row) => row.label,
        },
        ...measureColumns(withMom, yoyTitle, open),
      ]}
    />
  );
}

/** The rows behind a figure; the month and e-town columns only where they tell rows apart. */
function drillColumns(showMonth: boolean, showEtown: boolean): TableColumnsType<AggregateRow> {
  return [
    ...(showMonth ? [{ title: '月份', dataIndex: 'month', width: 84 }] : []),
    {
      title: '市场主体',
      render: (_: unknown, row) => (
        <Space direction="vertical" size={0}>
          <Link to={`/entities/${row.entity.id}`}>{row.entity.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.entity.creditCode}
          </Typography.Text>
        </Space>
      ),
    },
    ...(showEtown ? [{ title: 'e镇', render: (_: unknown, row: AggregateRow) => row.etown.name }] : []),
    {
      title: '总产值（元）',
      align: 'right',
      render: (_: unknown, row) => <span data-testid="drill-output">{grouped(row.outputYuan)}</span>,
    },
    { title: '网络零售额（元）', align: 'right', render: (_: unknown, row) => grouped(row.onlineRetailYuan) },
    { title: '其中跨境（元）', align: 'right', render: (_: unknown, row) => grouped(row.crossBorderYuan) },
    { title: '订单数', align: 'right', render: (_: unknown, row) => count(row.orders) },
    { title: '从业人员', align: 'right', render: (_: unknown, row) => count(row.employees) },
    { title: '电商从业人员', align: 'right', render: (_: unknown, row) => count(row.ecommerceEmployees) },
    { title: '来源', render: (_: unknown, row) => sourceLabels[row.source] },
    {
      title: '审核时间',
      render: (_: unknown, row) =>
        row.reviewedAt ? (
          formatDateTime(row.reviewedAt).slice(0, 16)
        ) : (
          <Typography.Text type="secondary">导入即审核</Typography.Text>
        ),
    },
  ];
}

type DrillRows = AnswerOf<'/api/stats/aggregates/rows', 'get'>;

/** The totals row: a label over the leading columns, the six figures, then 来源 and 审核时间 left blank. */
function DrillSummary({ result, leading }: { result: DrillRows; leading: number }) {
  return (
    <Table.Summary.Row style={{ background: '#f3f8f6', fontWeight: 600 }} data-testid="drill-summary">
      <Table.Summary.Cell index={0} colSpan={leading}>
        合计（全部 {result.total} 条）
      </Table.Summary.Cell>
      {(
        [
          ['output', grouped(result.totals.outputYuan)],
          ['retail', grouped(result.totals.onlineRetailYuan)],
          ['crossBorder', grouped(result.totals.crossBorderYuan)],
          ['orders', count(result.totals.orders)],
          ['employees', count(result.totals.employees)],
          ['ecommerceEmployees', count(result.totals.ecommerceEmployees)],
        ] as const
      ).map(([name, value], index) => (
        <Table.Summary.Cell key={name} index={leading + index} align="right">
          <span data-testid={`drill-total-${name}`}>{value}</span>
        </Table.Summary.Cell>
      ))}
      <Table.Summary.Cell index={leading + 6} colSpan={2} />
    </Table.Summary.Row>
  );
}

function DrillDrawer({
  target,
  data,
  onClose,
}: {
  target: DrillTarget | null;
  data: MonthlyAggregates;
  onClose: () => void;
}) {
  const [page, setPage] = useState(1);
  const pageSize = 20;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new target starts at its first page
  useEffect(() => setPage(1), [target]);
  const entity = target?.series.level === 'entity';
  const query = target
    ? {
        regionCode: entity ? data.region.code : target.series.code,
        entityId: entity ? target.series.code : undefined,
        month: target.month ?? undefined,
        fromMonth: target.month ? undefined : data.fromMonth,
        toMonth: target.month ? undefined : data.toMonth,
        page,
        pageSize,
      }
    : null;
  const rows = useLoader(
    query ? () => unwrap(apiClient.GET('/api/stats/aggregates/rows', { params: { query } })) : null,
    JSON.stringify(query),
  );
  const result = rows.data;
  const period = target?.month ?? `${data.fromMonth} 至 ${data.toMonth}`;
  // A county with one e-town needs no e-town column.
  const showEtown =
    data.region.level !== 'etown' && !(data.region.level === 'county' && data.children.length < 2);
  const showMonth = target?.month === null;
  const columns = drillColumns(showMonth, showEtown);
  // The totals row: a label over the leading columns, the six figures, then 来源 and 审核时间 left blank.
  const leading = columns.length - 8;
  return (
    <Drawer
      open={target !== null}
      size="min(1240px, 94vw)"
      onClose={onClose}
      destroyOnHidden
      title={target ? `${target.series.name} · ${period} · 已审核数据明细` : ''}
      data-testid="aggregates-drawer"
    >
      {rows.error ? (
        <ErrorState message={rows.error} onRetry={rows.reload} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {result && (
            <Row gutter={[16, 8]} data-testid="drill-totals">
              <Col span={6}>
                <Statistic title="数据条数" value={result.total} suffix="条" />
              </Col>
              <Col span={9}>
                <Statistic title="总产值（元）" value={grouped(result.totals.outputYuan)} />
              </Col>
              <Col span={9}>
                <Statistic title="网络零售额（元）" value={grouped(result.totals.onlineRetailYuan)} />
              </Col>
            </Row>
          )}
          <Table<AggregateRow>
            rowKey="id"
            size="small"
            loading={rows.loading}
            dataSource={result?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            data-testid="drill-rows"
            locale={{ emptyText: '没有已审核的数据' }}
            pagination={{
              current: page,
              pageSize,
              total: result?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              showTotal: (total) => `共 ${total} 条`,
              onChange: setPage,
            }}
            summary={() =>
              result && result.total > 0 ? <DrillSummary result={result} leading={leading} /> : null
            }
          />
        </Space>
      )}
    </Drawer>
  );
}

function Kpi({ title, value, children }: { title: string; value: string; children?: ReactNode }) {
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Statistic title={title} value={value} valueStyle={{ fontSize: 22 }} />
      {children && <div style={{ marginTop: 4 }}>{children}</div>}
    </Card>
  );
}

function KpiRow({ data, latest }: { data: MonthlyAggregates; latest: AggregateCell | undefined }) {
  const total = data.series.total;
  return (
    <Row gutter={[16, 16]} data-testid="aggregates-kpis">
      <Col xs={24} md={12} xl={6}>
        <Kpi title={`总产值累计（元）`} value={grouped(total.outputYuan)}>
          <Typography.Text type="secondary">累计同比 </Typography.Text>
          <Growth value={total.outputYoyPct} />
        </Kpi>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Kpi title="网络零售额累计（元）" value={grouped(total.onlineRetailYuan)}>
          <Typography.Text type="secondary">累计同比 </Typography.Text>
          <Growth value={total.onlineRetailYoyPct} />
        </Kpi>
      </Col>
      <Col xs={24} md={12} xl={6}>
        {latest ? (
          <Kpi title={`${latest.month} 总产值（元）`} value={grouped(latest.outputYuan)}>
            <Space size={12}>
              <span>
                <Typography.Text type="secondary">环比 </Typography.Text>
                <Growth value={latest.outputMomPct} />
              </span>
              <span>
                <Typography.Text type="secondary">同比 </Typography.Text>
                <Growth value={latest.outputYoyPct} />
              </span>
            </Space>
          </Kpi>
        ) : (
          <Kpi title="最近月份总产值（元）" value="—" />
        )}
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Kpi title="已审核数据" value={`${count(total.rows)} 条`}>
          <Typography.Text type="secondary">
            {data.months.length} 个月 · {data.children.length} 个{childLevelLabels[data.childLevel]}
          </Typography.Text>
        </Kpi>
      </Col>
    </Row>
  );
}

/** A series' name, with its credit code when it is a market entity. */
function seriesName(series: AggregateSeries, own: boolean) {
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong={own}>
        {series.name}
        {own ? '（合计）' : ''}
      </Typography.Text>
      {series.creditCode && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {series.creditCode}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The region itself, then each child, with the figures of `period` (null: the whole range). */
function childTableRows(data: MonthlyAggregates | undefined, period: string | null): TableRow[] {
  const figuresOf = (series: AggregateSeries): Figures =>
    period === null ? series.total : (series.months.find((cell) => cell.month === period) ?? series.total);
  return data
    ? [
        {
          key: 'own',
          series: data.series,
          label: seriesName(data.series, true),
          figures: figuresOf(data.series),
          month: period,
        },
        ...data.children.map((series) => ({
          key: series.code,
          series,
          label: seriesName(series, false),
          figures: figuresOf(series),
          month: period,
        })),
      ]
    : [];
}

/** The range's total, then each month, newest first. */
function monthTableRows(data: MonthlyAggregates | undefined): TableRow[] {
  return data
    ? [
        {
          key: 'own',
          series: data.series,
          label: <Typography.Text strong>合计</Typography.Text>,
          figures: data.series.total,
          month: null,
        },
        ...[...data.series.months].reverse().map((cell) => ({
          key: cell.month,
          series: data.series,
          label: cell.month,
          figures: cell,
          month: cell.month,
        })),
      ]
    : [];
}

type MonthRange = { from: string; to: string };

/** The month-range picker with its presets; a range longer than MAX_MONTHS is refused. */
function MonthRangeCard({
  range,
  setRange,
}: {
  range: MonthRange;
  setRange: (from: string, to: string) => void;
}) {
  const { message } = App.useApp();
  const onRange = (values: [Dayjs | null, Dayjs | null] | null) => {
    const [start, end] = values ?? [];
    if (!start || !end) return;
    const from = start.format('YYYY-MM');
    const to = end.format('YYYY-MM');
    if (monthsBetween(from, to) > MAX_MONTHS) {
      message.warning(`月份范围最多 ${MAX_MONTHS} 个月，请缩小范围`);
      return;
    }
    setRange(from, to);
  };
  const thisMonth = dayjs().tz(displayTimeZone).startOf('month');
  const presets = [
    {
      label: '近 12 个月',
      value: [dayjs(`${lastCompleteMonth()}-01`).subtract(11, 'month'), dayjs(`${lastCompleteMonth()}-01`)],
    },
    { label: '今年以来', value: [thisMonth.startOf('year'), dayjs(`${lastCompleteMonth()}-01`)] },
    {
      label: '上一年度',
      value: [thisMonth.subtract(1, 'year').startOf('year'), thisMonth.subtract(1, 'year').endOf('year')],
    },
    {
      label: '近 36 个月',
      value: [dayjs(`${lastCompleteMonth()}-01`).subtract(35, 'month'), dayjs(`${lastCompleteMonth()}-01`)],
    },
  ] as { label: string; value: [Dayjs, Dayjs] }[];
  return (
    <Card size="small">
      <Flex wrap gap={16} align="center">
        <Space>
          <Typography.Text>月份范围</Typography.Text>
          <DatePicker.RangePicker
            picker="month"
            allowClear={false}
            value={[dayjs(`${range.from}-01`), dayjs(`${range.to}-01`)]}
            onChange={onRange}
            presets={presets}
            disabledDate={(date) => date.isAfter(thisMonth, 'month') || date.isBefore(dayjs('2020-01-01'))}
            data-testid="aggregates-range"
          />
        </Space>
        <Typography.Text type="secondary">
          共 {monthsBetween(range.from, range.to)} 个月（最多 {MAX_MONTHS}{' '}
          个月）；同比与上年同月比较，环比与上月比较
        </Typography.Text>
      </Flex>
    </Card>
  );
}

function NoAggregates() {
  return (
    <Card>
      <EmptyState description="所选范围内暂无已审核的月度数据">
        <Space direction="vertical" align="center">
          <Typography.Text type="secondary">
            可调整月份范围，或在页头切换区划；月度数据经县级审核通过后才计入汇总。
          </Typography.Text>
          <Link to="/stats/monthly">前往月度统计查看填报与审核</Link>
        </Space>
      </EmptyState>
    </Card>
  );
}

type ChartCardProps = {
  data: MonthlyAggregates;
  view: ChartView;
  onViewChange: (view: ChartView) => void;
  growth: GrowthKind;
  onGrowthChange: (growth: GrowthKind) => void;
  period: string | null;
  childLabel: string;
  onPick: (pick: ChartPick) => void;
};

function ChartCard({
  data,
  view,
  onViewChange,
  growth,
  onGrowthChange,
  period,
  childLabel,
  onPick,
}: ChartCardProps) {
  return (
    <Card
      title={
        view === 'trend' ? `${data.region.name} · 月度趋势` : `各${childLabel}对比 · ${period ?? '范围累计'}`
      }
      extra={
        <Space wrap>
          <Segmented<ChartView>
            value={view}
            onChange={onViewChange}
            options={[
              { value: 'trend', label: '月度趋势' },
              {
                value: 'children',
                label: `各${childLabel}对比`,
                disabled: data.children.length === 0,
              },
            ]}
            data-testid="aggregates-view"
          />
          <Segmented<GrowthKind>
            value={growth}
            onChange={onGrowthChange}
            options={[
              { value: 'yoy', label: '同比' },
              { value: 'mom', label: '环比' },
            ]}
          />
        </Space>
      }
    >
      <Suspense fallback={<LoadingState tip="正在加载图表…" />}>
        <AggregatesChart
          data={data}
          view={view}
          growth={growth}
          period={period}
          onPick={(pick: ChartPick) => onPick(pick)}
        />
      </Suspense>
    </Card>
  );
}

type FiguresTabsProps = {
  data: MonthlyAggregates;
  tab: string;
  onTabChange: (tab: string) => void;
  period: string | null;
  periodKey: string;
  onPeriodChange: (period: string) => void;
  childRows: TableRow[];
  monthRows: TableRow[];
  open: (row: TableRow) => void;
};

/** The figures as tables: by child region for a chosen period, or by month. */
function FiguresTabs({
  data,
  tab,
  onTabChange,
  period,
  periodKey,
  onPeriodChange,
  childRows,
  monthRows,
  open,
}: FiguresTabsProps) {
  const childLabel = childLevelLabels[data.childLevel];
  return (
    <Card>
      <Tabs
        activeKey={tab}
        onChange={onTabChange}
        tabBarExtraContent={
          tab === 'children' && (
            <Space>
              <Typography.Text type="secondary">统计期</Typography.Text>
              <Select
                value={periodKey}
                onChange={onPeriodChange}
                style={{ width: 200 }}
                data-testid="aggregates-period"
                options={[
                  { value: 'total', label: `${data.fromMonth} 至 ${data.toMonth} 累计` },
                  ...[...data.months].reverse().map((month) => ({ value: month, label: month })),
                ]}
              />
            </Space>
          )
        }
        items={[
          {
            key: 'children',
            label: `按${childLabel}`,
            children: (
              <FiguresTable
                rows={childRows}
                firstTitle={childLabel}
                withMom={period !== null}
                yoyTitle={period === null ? '累计同比' : '同比'}
                open={open}
                testId="aggregates-children"
                emptyText={`没有下级${childLabel}`}
              />
            ),
          },
          {
            key: 'months',
            label: '按月份',
            children: (
              <FiguresTable
                rows={monthRows}
                firstTitle="月份"
                withMom
                yoyTitle="同比"
                open={open}
                testId="aggregates-months"
                emptyText="没有月份"
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** 统计汇总: approved monthly figures of the header's region and its children, by month, with MoM and YoY. */
export function AggregatesPage() {
  const regions = useRegions();
  const [range, setRange] = useMonthRange();
  const regionCode = regions.currentCode ?? undefined;
  const query = { regionCode, fromMonth: range.from, toMonth: range.to };
  const loaded = useLoader(
    // Wait for the region tree, so the first request already has the header's region.
    regions.loading ? null : () => unwrap(apiClient.GET('/api/stats/aggregates', { params: { query } })),
    `${regionCode}|${range.from}|${range.to}|${regions.loading}`,
  );
  const data = loaded.data;
  const [view, setView] = useState<ChartView>('trend');
  const [growth, setGrowth] = useState<GrowthKind>('yoy');
  const [chosenPeriod, setChosenPeriod] = useState<string>();
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [tab, setTab] = useState('children');

  // The latest month with approved figures, which a clerk asks about first.
  const latest = useMemo(
    () => (data ? [...data.series.months].reverse().find((cell) => cell.rows > 0) : undefined),
    [data],
  );
  const periodKey =
    chosenPeriod && (chosenPeriod === 'total' || data?.months.includes(chosenPeriod))
      ? chosenPeriod
      : (latest?.month ?? 'total');
  const period = periodKey === 'total' ? null : periodKey;

  const exportUrl = `/api/stats/aggregates.xlsx?${new URLSearchParams({
    ...(regionCode ? { regionCode } : {}),
    fromMonth: range.from,
    toMonth: range.to,
  })}`;

  const open = (row: TableRow) => setDrill({ series: row.series, month: row.month });
  const childLabel = data ? childLevelLabels[data.childLevel] : '下级';
  const childRows = childTableRows(data, period);
  const monthRows = monthTableRows(data);
  const empty = data !== undefined && data.series.total.rows === 0;

  return (
    <>
      <PageHeader
        title="统计汇总"
        crumbs={[{ title: '月度统计', to: '/stats/monthly' }, { title: '统计汇总' }]}
        subtitle={
          <span data-testid="aggregates-subtitle">
            {data ? `${data.region.name} · ` : ''}仅含县级审核通过的月度数据 · 金额单位：元 · 点击数字查看明细
          </span>
        }
        extra={
          <Button
            icon={<FileExcelOutlined />}
            href={exportUrl}
            download
            disabled={!data || empty}
            data-testid="aggregates-export"
          >
            导出 XLSX
          </Button>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <MonthRangeCard range={range} setRange={setRange} />
        {loaded.error ? (
          <ErrorState message={loaded.error} onRetry={loaded.reload} />
        ) : !data ? (
          <LoadingState tip="正在汇总…" />
        ) : empty ? (
          <NoAggregates />
        ) : (
          <>
            <KpiRow data={data} latest={latest} />
            <ChartCard
              data={data}
              view={view}
              onViewChange={setView}
              growth={growth}
              onGrowthChange={setGrowth}
              period={period}
              childLabel={childLabel}
              onPick={setDrill}
            />
            <FiguresTabs
              data={data}
              tab={tab}
              onTabChange={setTab}
              period={period}
              periodKey={periodKey}
              onPeriodChange={setChosenPeriod}
              childRows={childRows}
              monthRows={monthRows}
              open={open}
            />
          </>
        )}
      </Space>
      {data && <DrillDrawer target={drill} data={data} onClose={() => setDrill(null)} />}
    </>
  );
}
