import { ArrowDownOutlined, ArrowUpOutlined, DownloadOutlined, ProfileOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Flex,
  InputNumber,
  Popover,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { IndicatorStatus, ScorecardIndicator, StatusSummary } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { tierLabels } from '../../labels.ts';
import { useLoader } from '../../use-loader.ts';
import { DrilldownDrawer, type DrillTarget } from './drilldown-drawer.tsx';
import { IndicatorStatusTag } from './evaluation-labels.tsx';

const minYear = 2020;
const maxYear = 2100;

/** The `?year=` of the address, or this year when it is missing or not a plausible year. */
function yearFromParam(value: string | null): number {
  const year = Number(value);
  return value && Number.isInteger(year) && year >= minYear && year <= maxYear
    ? year
    : new Date().getFullYear();
}

const statusRank: Record<IndicatorStatus, number> = { unmet: 0, pending: 1, met: 2 };

/** Since the end of last month: better, worse or unchanged. */
function TrendMark({ indicator }: { indicator: ScorecardIndicator }) {
  const before = indicator.previousStatus;
  if (!before) return <Typography.Text type="secondary">—</Typography.Text>;
  if (before === indicator.status) return <Typography.Text type="secondary">持平</Typography.Text>;
  const better = statusRank[indicator.status] > statusRank[before];
  return (
    <Typography.Text type={better ? 'success' : 'danger'} data-testid={`trend-${indicator.no}`}>
      {better ? <ArrowUpOutlined /> : <ArrowDownOutlined />} 上月末
      <IndicatorStatusTag status={before} />
    </Typography.Text>
  );
}

function SummaryStats({ summary, previous }: { summary: StatusSummary; previous?: StatusSummary }) {
  const delta = (now: number, then?: number) =>
    then === undefined || now === then ? '' : ` (${now > then ? '+' : ''}${now - then})`;
  return (
    <Space size={40}>
      <Statistic
        title="达标"
        value={summary.met}
        suffix={delta(summary.met, previous?.met)}
        valueStyle={{ color: '#389e0d' }}
      />
      <Statistic
        title="未达标"
        value={summary.unmet}
        suffix={delta(summary.unmet, previous?.unmet)}
        valueStyle={{ color: '#cf1322' }}
      />
      <Statistic
        title="待定"
        value={summary.pending}
        suffix={delta(summary.pending, previous?.pending)}
        valueStyle={{ color: '#d46b08' }}
      />
    </Space>
  );
}

function IndicatorTable({
  indicators,
  testId,
  drillTestId,
  onDrill,
}: {
  indicators: ScorecardIndicator[];
  testId: string;
  /** The drill button's test id for an indicator number. */
  drillTestId: (no: number) => string;
  onDrill: (indicator: ScorecardIndicator) => void;
}) {
  return (
    <Table
      rowKey="no"
      size="small"
      pagination={false}
      dataSource={indicators}
      data-testid={testId}
      onRow={(row) =>
        ({
          'data-testid': `scorecard-row-${row.no}`,
          style: { cursor: 'pointer' },
          onClick: () => onDrill(row),
        }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: '序号', dataIndex: 'no', width: 60 },
        { title: '类别', dataIndex: 'category', width: 100 },
        { title: '指标', dataIndex: 'title', width: 160 },
        {
          title: '状态',
          dataIndex: 'status',
          width: 120,
          render: (status: IndicatorStatus, row) => (
            <IndicatorStatusTag status={status} reasons={row.reasons} />
          ),
        },
        {
          title: '当前值',
          dataIndex: 'values',
          render: (values: string[], row) => (
            <Popover
              title="判定依据"
              content={
                <div style={{ maxWidth: 460 }}>
                  {row.reasons.map((reason) => (
                    <div key={reason}>{reason}</div>
                  ))}
                  <pre style={{ fontSize: 12, margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>
                    {JSON.stringify(row.facts, null, 1)}
                  </pre>
                </div>
              }
            >
              <div>{values.length ? values.map((value) => <div key={value}>{value}</div>) : '—'}</div>
            </Popover>
          ),
        },
        {
          title: '建设标准（目标）',
          dataIndex: 'standard',
          width: 240,
          render: (standard: string) => (
            <Typography.Paragraph
              // Expanding the text is not a drill-down.
              ellipsis={{
                rows: 2,
                expandable: true,
                symbol: '展开',
                onExpand: (event) => event.stopPropagation(),
              }}
              style={{ margin: 0 }}
            >
              {standard}
            </Typography.Paragraph>
          ),
        },
        { title: '较上月末', width: 110, render: (_: unknown, row) => <TrendMark indicator={row} /> },
        {
          title: '明细',
          width: 80,
          render: (_: unknown, row) => (
            <Button
              type="link"
              size="small"
              icon={<ProfileOutlined />}
              data-testid={drillTestId(row.no)}
              onClick={(event) => {
                event.stopPropagation();
                onDrill(row);
              }}
            >
              明细
            </Button>
          ),
        },
      ]}
    />
  );
}

export function EtownScorecardPage() {
  const { code = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const year = yearFromParam(searchParams.get('year'));
  const setYear = (value: number | null) => {
    if (value === null || !Number.isInteger(value) || value < minYear || value > maxYear) return;
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set('year', String(value));
        return next;
      },
      { replace: true },
    );
  };
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  // The last target stays while the drawer slides out, so it does not empty itself on the way.
  const [drillOpen, setDrillOpen] = useState(false);
  const openDrill = (target: DrillTarget) => {
    setDrill(target);
    setDrillOpen(true);
  };
  const scorecard = useLoader(
    () =>
      unwrap(apiClient.GET('/api/etowns/{code}/scorecard', { params: { path: { code }, query: { year } } })),
    `${code}|${year}`,
  );

  if (scorecard.loading && !scorecard.data) return <LoadingState tip="正在计算指标…" />;
  if (scorecard.notFound) return <NotFoundState what="e镇" backTo="/etowns" backLabel="返回e镇档案" />;
  if (scorecard.error || !scorecard.data)
    return <ErrorState message={scorecard.error ?? '加载失败'} onRetry={scorecard.reload} />;
  const data = scorecard.data;

  return (
    <>
      <PageHeader
        title={`${data.etown.name} · 指标看板`}
        crumbs={[
          { title: 'e镇档案', to: '/etowns' },
          { title: data.etown.name, to: `/etowns/${code}?region=${code}` },
          { title: '指标看板' },
        ]}
        subtitle={`${tierLabels[data.tier]} · 指标目录 ${data.catalog.id} 第 ${data.catalog.version} 版`}
        extra={
          <Space>
            <Typography.Text>年度</Typography.Text>
            <InputNumber
              min={minYear}
              max={maxYear}
              value={year}
              onChange={setYear}
              data-testid="scorecard-year"
            />
            <Button
              icon={<DownloadOutlined />}
              href={`/api/etowns/${code}/annex2.xlsx?year=${year}`}
              data-testid="annex2-download"
            >
              导出附件2（XLSX）
            </Button>
          </Space>
        }
      />
      <Flex vertical gap={16}>
        {data.running && (
          <Alert
            type="info"
            showIcon
            data-testid="scorecard-running"
            message={`${data.year} 年尚未结束：按截至 ${data.running.asOf} 的数据评价`}
            description={
              data.running.throughMonth > 0
                ? `产值、网络零售额按 ${data.year} 年 1—${data.running.throughMonth} 月合计，同比增长率与 ${data.year - 1} 年同期（1—${data.running.throughMonth} 月）比较；尚未达到的年度目标显示为“待定（年度进行中）”并给出完成比例，年度结束后按全年判定。`
                : `${data.year} 年尚无已审核的月度统计；尚未达到的年度目标显示为“待定（年度进行中）”，年度结束后按全年判定。`
            }
          />
        )}
        <Card data-testid="scorecard-summary">
          <SummaryStats summary={data.summary} previous={data.trend.summary} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            括号内为较 {data.trend.asOf} 的变化
          </Typography.Paragraph>
        </Card>
        <Card title="28 项约束性指标（附件2顺序）">
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            点击任一指标行或「明细」，查看计入该项的台账记录和证明材料。
          </Typography.Paragraph>
          <IndicatorTable
            indicators={data.indicators}
            testId="scorecard-table"
            drillTestId={(no) => `drill-${no}`}
            onDrill={(indicator) => openDrill({ catalog: data.catalog, addOn: false, indicator })}
          />
        </Card>
        {data.addOns.map((addOn) => (
          <Card
            key={`${addOn.catalog.id}-${addOn.catalog.version}`}
            title={
              <Space>
                {addOn.catalog.title}
                <Tag>县级附加指标，不计入 28 项</Tag>
              </Space>
            }
            data-testid="scorecard-addons"
          >
            <SummaryStats summary={addOn.summary} />
            <IndicatorTable
              indicators={addOn.indicators}
              testId="addon-table"
              drillTestId={(no) => `drill-${addOn.catalog.id}-${no}`}
              onDrill={(indicator) => openDrill({ catalog: addOn.catalog, addOn: true, indicator })}
            />
          </Card>
        ))}
      </Flex>
      <DrilldownDrawer
        etownCode={code}
        year={year}
        target={drill}
        open={drillOpen}
        onClose={() => setDrillOpen(false)}
      />
    </>
  );
}
