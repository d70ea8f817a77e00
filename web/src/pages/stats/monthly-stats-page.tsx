import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Input,
  Progress,
  Row,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { MonthlyReport, MonthlyStatus, ReportingProgress } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { MonthlyImportCard } from './monthly-import-card.tsx';
import { MonthlyReportForm } from './monthly-report-form.tsx';
import { monthlyStatusLabels } from './monthly-types.ts';

/** "1234567.80" → "1,234,567.80": thousands grouped on the text, never through a float. */
const grouped = (yuan: string | null) =>
  yuan === null ? '—' : yuan.replace(/^(\d+)/, (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));

/** Last month on the Shanghai calendar: the month being reported now. */
const lastMonth = () => dayjs().tz('Asia/Shanghai').subtract(1, 'month').format('YYYY-MM');

/** The month in the address (`?month=YYYY-MM`, so a link or a reload keeps it), last month by default. */
function useMonth(): [string, (month: string) => void] {
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(params.get('month') ?? '')
    ? (params.get('month') as string)
    : lastMonth();
  const setMonth = (next: string) =>
    setParams(
      (current) => {
        current.set('month', next);
        return current;
      },
      { replace: true },
    );
  return [month, setMonth];
}

function MonthPicker({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  return (
    <Space>
      <Typography.Text>统计月份</Typography.Text>
      <DatePicker
        picker="month"
        allowClear={false}
        value={dayjs(`${month}-01`)}
        onChange={(value) => value && onChange(value.format('YYYY-MM'))}
        data-testid="monthly-month"
      />
    </Space>
  );
}

/** An enterprise reports its own month. */
function EnterpriseMonthly({ entityId }: { entityId: string }) {
  const [month, setMonth] = useMonth();
  const list = useLoader(
    () => unwrap(apiClient.GET('/api/stats/monthly', { params: { query: { month } } })),
    month,
  );
  const report = list.data?.items.find((item) => item.entity.id === entityId) ?? null;
  return (
    <Card title={report ? `${report.entity.name} · ${month}` : `${month} 月度统计`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <MonthPicker month={month} onChange={setMonth} />
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          !list.loading && (
            <MonthlyReportForm
              entityId={entityId}
              month={month}
              report={report}
              onChange={(saved) => list.setData({ items: [saved], total: 1, page: 1, pageSize: 20 })}
            />
          )
        )}
      </Space>
    </Card>
  );
}

type ReviewAction = 'approve' | 'return' | 'reopen';

/** Approving, returning or reopening a report; returning and reopening ask for a reason first. */
function useReviewAction(month: string, reload: () => Promise<void>) {
  const { message, modal } = App.useApp();
  return async (report: MonthlyReport, action: ReviewAction) => {
    let reason = '';
    if (action !== 'approve') {
      const confirmed = await modal.confirm({
        title: action === 'return' ? `退回 ${report.entity.name} 的 ${month} 数据` : '重新打开已锁定的数据',
        content: (
          <Input.TextArea
            rows={3}
            placeholder={
              action === 'return' ? '退回原因（必填）' : '重新打开的原因（必填，将记录在审计日志）'
            }
            onChange={(event) => {
              reason = event.target.value;
            }}
            data-testid="monthly-reason"
          />
        ),
        okText: action === 'return' ? '退回' : '重新打开',
        cancelText: '取消',
      });
      if (!confirmed) return;
    }
    const params = { path: { entityId: report.entity.id, month: report.month } };
    try {
      if (action === 'reopen') {
        await apiClient.POST('/api/stats/monthly/{entityId}/{month}/reopen', { params, body: { reason } });
      } else {
        const body = { approve: action === 'approve', reason: reason || null };
        await apiClient.POST('/api/stats/monthly/{entityId}/{month}/review', { params, body });
      }
      message.success(
        action === 'approve' ? '已通过，数据已锁定' : action === 'return' ? '已退回' : '已重新打开',
      );
      await reload();
    } catch (error) {
      message.error(errorMessage(error));
    }
  };
}

function reportColumns(
  canReview: boolean,
  onAct: (report: MonthlyReport, action: ReviewAction) => Promise<void>,
  onOpen: (report: MonthlyReport) => void,
): TableColumnsType<MonthlyReport> {
  return [
    { title: '市场主体', render: (_: unknown, row) => row.entity.name },
    {
      title: '总产值（元）',
      align: 'right',
      render: (_: unknown, row) => grouped(row.values.outputYuan),
    },
    {
      title: '网络零售额（元）',
      align: 'right',
      render: (_: unknown, row) => grouped(row.values.onlineRetailYuan),
    },
    {
      title: '状态',
      render: (_: unknown, row) => (
        <Space size={4} wrap>
          <Tag color={monthlyStatusLabels[row.status].color}>{monthlyStatusLabels[row.status].label}</Tag>
          {row.outliers.length > 0 && <Tag color="orange">异常波动</Tag>}
          {row.late && <Tag color="red">逾期</Tag>}
        </Space>
      ),
    },
    {
      title: '操作',
      render: (_: unknown, row) => (
        <Space size={4} wrap>
          {row.status === 'submitted' && canReview && (
            <>
              <Button
                size="small"
                type="primary"
                onClick={() => onAct(row, 'approve')}
                data-testid={`approve-${row.entity.id}`}
              >
                通过
              </Button>
              <Button size="small" onClick={() => onAct(row, 'return')}>
                退回
              </Button>
            </>
          )}
          {row.status === 'approved' && canReview && (
            <Button size="small" onClick={() => onAct(row, 'reopen')}>
              重新打开
            </Button>
          )}
          <Button size="small" type="link" onClick={() => onOpen(row)}>
            {row.outliers.length > 0 && row.outlierExplanation ? '查看说明' : '查看'}
          </Button>
        </Space>
      ),
    },
  ];
}

type MissingEntity = ReportingProgress['missing'][number];

/** The entities yet to report; who may report for them gets 代填. */
function missingColumns(
  canReport: boolean,
  onReport: (row: MissingEntity) => void,
): TableColumnsType<MissingEntity> {
  return [
    { title: '市场主体', dataIndex: 'name' },
    { title: 'e镇', dataIndex: 'etownName' },
    ...(canReport
      ? [
          {
            title: '',
            render: (_: unknown, row: ReportingProgress['missing'][number]) => (
              <Button size="small" onClick={() => onReport(row)}>
                代填
              </Button>
            ),
          },
        ]
      : []),
  ];
}

type RegionProgress = ReportingProgress['regions'][number];

function EtownProgressCard({ etownRows }: { etownRows: RegionProgress[] }) {
  return (
    <Card title="各e镇填报进度" style={{ marginTop: 16 }}>
      {etownRows.map((region) => (
        <div key={region.code} style={{ marginBottom: 8 }}>
          <Typography.Text>
            {region.name}：{region.reported}/{region.entities}
          </Typography.Text>
          <Progress percent={region.completenessPct} size="small" />
        </div>
      ))}
      {etownRows.length === 0 && <Typography.Text type="secondary">范围内没有在册市场主体</Typography.Text>}
    </Card>
  );
}

type StatusFilter = MonthlyStatus | 'all';

/**
 * The month's reports in the header's region, a page at a time from the server, with the status filter. A
 * new month, region or status starts again at the first page; the page size stays.
 */
function useReportList(month: string, regionCode: string | null, regionsLoading: boolean) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const scope = `${month}|${regionCode}`;
  const [paging, setPaging] = useState({ page: 1, pageSize: 20, scope });
  const page = paging.scope === scope ? paging.page : 1;
  const query = {
    month,
    regionCode: regionCode ?? undefined,
    status: status === 'all' ? undefined : status,
    page,
    pageSize: paging.pageSize,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/stats/monthly', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  // A review can empty the last page (the row leaves the status shown): go back to the new last page.
  const lastPage = Math.max(1, Math.ceil((list.data?.total ?? 0) / paging.pageSize));
  useEffect(() => {
    if (list.data && page > lastPage) setPaging({ ...paging, page: lastPage, scope });
  }, [list.data, page, lastPage, paging, scope]);
  return {
    list,
    status,
    page,
    pageSize: paging.pageSize,
    onStatusChange: (next: StatusFilter) => {
      setStatus(next);
      setPaging({ ...paging, page: 1, scope });
    },
    onPageChange: (next: number, size: number) =>
      setPaging({ page: size === paging.pageSize ? next : 1, pageSize: size, scope }),
  };
}

type ReportList = ReturnType<typeof useReportList>;

/** 填报与审核: the month's reports, filtered by status and paged on the server. */
function ReportsCard({
  reports,
  columns,
}: {
  reports: ReportList;
  columns: TableColumnsType<MonthlyReport>;
}) {
  const { list } = reports;
  return (
    <Card
      title="填报与审核"
      data-testid="monthly-reports"
      extra={
        <Segmented<StatusFilter>
          size="small"
          value={reports.status}
          onChange={reports.onStatusChange}
          options={[
            { value: 'all', label: '全部' },
            ...Object.entries(monthlyStatusLabels).map(([value, { label }]) => ({
              value: value as MonthlyStatus,
              label,
            })),
          ]}
          data-testid="monthly-filter-status"
        />
      }
    >
      {list.error ? (
        <ErrorState message={list.error} onRetry={list.reload} />
      ) : (
        <Table<MonthlyReport>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{
            current: reports.page,
            pageSize: reports.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 条`,
            onChange: reports.onPageChange,
          }}
          locale={{
            emptyText:
              reports.status === 'all'
                ? '本月尚无填报'
                : `本月没有${monthlyStatusLabels[reports.status].label}的填报`,
          }}
          columns={columns}
          data-testid="monthly-report-table"
        />
      )}
    </Card>
  );
}

/** County (and above): progress, the month's reports, review, reporting on an entity's behalf. */
function RegionMonthly() {
  const me = useMe();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [month, setMonth] = useMonth();
  const [editing, setEditing] = useState<{ entityId: string; name: string; report: MonthlyReport | null }>();
  const key = `${month}|${currentCode}|${regionsLoading}`;
  const query = { month, regionCode: currentCode ?? undefined };
  const progress = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/stats/monthly/progress', { params: { query } })),
    key,
  );
  const reports = useReportList(month, currentCode, regionsLoading);
  const reload = async () => {
    await Promise.all([progress.reload(), reports.list.reload()]);
  };
  const act = useReviewAction(month, reload);

  const etownRows = (progress.data?.regions ?? []).filter((region) => region.level === 'etown');
  const counties = (progress.data?.regions ?? []).filter((region) => region.level === 'county');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card>
        <Space wrap size={24}>
          <MonthPicker month={month} onChange={setMonth} />
          {progress.data && <Typography.Text>截止日期：{progress.data.deadline}</Typography.Text>}
          {counties.map((county) => (
            <Space key={county.code} data-testid={`progress-${county.code}`}>
              <Typography.Text strong>{county.name}</Typography.Text>
              <span>完整率 {county.completenessPct}%</span>
              <span>及时率 {county.timelinessPct}%</span>
            </Space>
          ))}
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <ReportsCard
            reports={reports}
            columns={reportColumns(can.reviewStats(me.role), act, (row) =>
              setEditing({ entityId: row.entity.id, name: row.entity.name, report: row }),
            )}
          />
        </Col>
        <Col xs={24} xl={9}>
          <Card
            title={`未填报（${progress.data?.missingTotal ?? 0}）· 催报名单`}
            data-testid="monthly-missing"
          >
            {progress.data && progress.data.missingTotal > progress.data.missing.length && (
              <Typography.Paragraph type="secondary" data-testid="monthly-missing-shown">
                共 {progress.data.missingTotal} 家未填报，此处列出前 {progress.data.missing.length}{' '}
                家；请在页首的区划选择中选定县或e镇查看完整名单。
              </Typography.Paragraph>
            )}
            <Table
              rowKey="entityId"
              size="small"
              loading={progress.loading}
              dataSource={progress.data?.missing ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: '全部已填报' }}
              columns={missingColumns(can.reportStats(me.role), (row) =>
                setEditing({ entityId: row.entityId, name: row.name, report: null }),
              )}
            />
          </Card>
          {can.importStats(me.role) && (
            <div style={{ marginTop: 16 }}>
              <MonthlyImportCard />
            </div>
          )}
          <EtownProgressCard etownRows={etownRows} />
        </Col>
      </Row>
      <Drawer
        open={editing !== undefined}
        width={640}
        title={editing ? `${editing.name} · ${month}` : ''}
        onClose={() => {
          setEditing(undefined);
          void reload();
        }}
        destroyOnHidden
      >
        {editing && (
          <MonthlyReportForm
            entityId={editing.entityId}
            month={month}
            report={editing.report}
            onChange={(saved) => setEditing({ ...editing, report: saved })}
          />
        )}
      </Drawer>
    </Space>
  );
}

/** 月度统计: enterprises report, counties review and follow completeness and timeliness. */
export function MonthlyStatsPage() {
  const me = useMe();
  const entityId = me.scope.kind === 'entity' ? me.scope.entityId : null;
  return (
    <>
      <PageHeader
        title="月度统计"
        crumbs={[{ title: '月度统计' }]}
        subtitle="市场主体每月填报总产值、网络零售额等，县级操作员或县统计局审核后锁定并计入指标（金额单位：元）"
      />
      {me.scope.kind === 'entity' ? (
        entityId ? (
          <EnterpriseMonthly entityId={entityId} />
        ) : (
          <Card>
            <Typography.Text>本账号尚未关联市场主体，入驻申请通过后即可填报。</Typography.Text>
          </Card>
        )
      ) : (
        <RegionMonthly />
      )}
    </>
  );
}
