import {
  App,
  Button,
  Card,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EtownSummary, EvaluationSummary, Role } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, displayTimeZone } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { EvaluationStatusTag } from './evaluation-labels.tsx';

/** The statuses in which an evaluation waits for this role's next step. */
const waitingFor: Partial<Record<Role, readonly EvaluationSummary['status'][]>> = {
  county_operator: ['draft', 'returned', 'rectification'],
  city_reviewer: ['submitted'],
  expert: ['expert_review'],
  province_admin: ['approved', 'rectification'],
};

const currentYear = () => dayjs().tz(displayTimeZone).year();

/**
 * The year the list opens on: `?year=` when given; else the newest year with an evaluation waiting for
 * the user; else the newest year with any evaluation; else the last closed year.
 */
function useListYear(role: Role) {
  const [searchParams, setSearchParams] = useSearchParams();
  const asked = Number(searchParams.get('year'));
  const given = Number.isInteger(asked) && asked >= 2020 && asked <= 2100 ? asked : null;
  const all = useLoader(
    given === null ? () => unwrap(apiClient.GET('/api/evaluations')) : null,
    given ?? 'all',
  );
  const [chosen, setChosen] = useState<number | null>(null);
  useEffect(() => {
    if (given !== null || chosen !== null || all.loading) return;
    const rows = all.data ?? [];
    const waiting = rows.filter((row) => waitingFor[role]?.includes(row.status));
    const newest = (list: EvaluationSummary[]) => Math.max(...list.map((row) => row.year));
    setChosen(waiting.length > 0 ? newest(waiting) : rows.length > 0 ? newest(rows) : currentYear() - 1);
  }, [given, chosen, all.loading, all.data, role]);
  const setYear = (year: number) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set('year', String(year));
        return next;
      },
      { replace: true },
    );
  return { year: given ?? chosen, setYear };
}

const evaluationColumns: TableColumnsType<EvaluationSummary> = [
  {
    title: 'e镇',
    dataIndex: 'etownName',
    render: (name: string, row) => (
      <Link to={`/evaluations/${row.id}`} data-testid={`evaluation-link-${row.etownCode}`}>
        {name}
      </Link>
    ),
  },
  { title: '编号', dataIndex: 'etownCode', width: 120 },
  { title: '年度', dataIndex: 'year', width: 80 },
  {
    title: '状态',
    dataIndex: 'status',
    width: 170,
    render: (_: unknown, row) => <EvaluationStatusTag status={row.status} label={row.statusLabel} />,
  },
  {
    title: '达标 / 未达标 / 待定',
    width: 170,
    render: (_: unknown, row) => (
      <Space size={4}>
        <Typography.Text type="success">{row.summary.met}</Typography.Text>/
        <Typography.Text type="danger">{row.summary.unmet}</Typography.Text>/
        <Typography.Text type="warning">{row.summary.pending}</Typography.Text>
      </Space>
    ),
  },
  { title: '提交次数', dataIndex: 'submissionCount', width: 100 },
  { title: '重新开放次数', dataIndex: 'reopenCount', width: 120 },
  {
    title: '更新时间',
    dataIndex: 'updatedAt',
    width: 170,
    render: (value: string) => new Date(value).toLocaleString('zh-CN'),
  },
];

type StartEvaluationControlsProps = {
  etowns: EtownSummary[];
  startEtown: string | undefined;
  onStartEtownChange: (code: string) => void;
  year: number | null;
  busy: boolean;
  onStart: () => Promise<void>;
};

/** Choosing an e-town and starting its self-assessment, once the year has closed. */
function StartEvaluationControls({
  etowns,
  startEtown,
  onStartEtownChange,
  year,
  busy,
  onStart,
}: StartEvaluationControlsProps) {
  const yearClosed = year !== null && year < currentYear();
  return (
    <>
      <Select
        placeholder="选择e镇开始自评"
        style={{ width: 220 }}
        value={startEtown}
        onChange={onStartEtownChange}
        options={etowns.map((etown) => ({ value: etown.code, label: etown.name }))}
        data-testid="start-etown"
      />
      <Button
        type="primary"
        disabled={!startEtown || !yearClosed}
        title={yearClosed ? undefined : `${year ?? ''} 年尚未结束，年度结束后才能开始自评`}
        loading={busy}
        onClick={onStart}
        data-testid="start-evaluation"
      >
        开始自评
      </Button>
      {!yearClosed && year !== null && (
        <Typography.Text type="secondary" data-testid="evaluation-year-running">
          {year} 年尚未结束，年度结束后才能开始该年度的自评；进行中的达标情况见各e镇的指标看板。
        </Typography.Text>
      )}
    </>
  );
}

/** Starting a self-assessment and approving the selected evaluations; both keep the page busy meanwhile. */
function useEvaluationActions(
  year: number | null,
  startEtown: string | undefined,
  selected: string[],
  onApproved: () => Promise<void>,
) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  const start = async () => {
    if (!startEtown || year === null) return;
    setBusy(true);
    try {
      const created = await unwrap(
        apiClient.POST('/api/evaluations', { body: { etownCode: startEtown, year } }),
      );
      message.success('已开始自评，平台已按数据填好各项指标');
      navigate(`/evaluations/${created.id}`);
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const bulkApprove = async () => {
    setBusy(true);
    try {
      const result = await unwrap(
        apiClient.POST('/api/evaluations/bulk-approve', { body: { evaluationIds: selected } }),
      );
      const failed = result.results.filter((row) => !row.ok);
      if (failed.length === 0) message.success(`已通过 ${result.results.length} 个评价`);
      else message.warning(`${failed.length} 个未能通过：${failed[0]?.error?.message ?? ''}`);
      await onApproved();
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, start, bulkApprove };
}

export function EvaluationListPage() {
  const me = useMe();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const { year, setYear } = useListYear(me.role);
  const [selected, setSelected] = useState<string[]>([]);
  const [startEtown, setStartEtown] = useState<string>();
  const list = useLoader(
    regionsLoading || year === null
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/evaluations', {
              params: { query: { year, regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${year}|${regionsLoading}`,
  );
  const etowns = useLoader(
    can.selfAssess(me.role) && !regionsLoading
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns', { params: { query: { regionCode: currentCode ?? undefined } } }),
          )
      : null,
    `${currentCode}|${regionsLoading}`,
  );

  const { busy, start, bulkApprove } = useEvaluationActions(year, startEtown, selected, () => {
    setSelected([]);
    return list.reload();
  });

  return (
    <>
      <PageHeader
        title="年度评价"
        crumbs={[{ title: '年度评价' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="自评 → 市级审核 → 专家评审 → 整改 → 验收"
      />
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Typography.Text>年度</Typography.Text>
          <InputNumber
            min={2020}
            max={2100}
            value={year}
            onChange={(value) => value && setYear(value)}
            aria-label="年度"
            data-testid="evaluation-year"
          />
          {can.selfAssess(me.role) && (
            <StartEvaluationControls
              etowns={etowns.data ?? []}
              startEtown={startEtown}
              onStartEtownChange={setStartEtown}
              year={year}
              busy={busy}
              onStart={start}
            />
          )}
          {can.reviewEvaluations(me.role) && (
            <Button
              disabled={selected.length === 0}
              loading={busy}
              onClick={bulkApprove}
              data-testid="bulk-approve"
            >
              批量通过（{selected.length}）
            </Button>
          )}
        </Space>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table
            rowKey="id"
            loading={list.loading || regionsLoading}
            dataSource={list.data ?? []}
            data-testid="evaluation-table"
            locale={{ emptyText: `${year} 年度还没有评价` }}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 条` }}
            rowSelection={
              can.reviewEvaluations(me.role)
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys.map(String)),
                    getCheckboxProps: (row) => ({ disabled: row.status !== 'submitted' }),
                  }
                : undefined
            }
            columns={evaluationColumns}
          />
        )}
      </Card>
    </>
  );
}
