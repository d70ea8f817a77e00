import { DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type {
  Drilldown,
  DrillMonthlySection,
  DrillSection,
  DrillTableSection,
  EvaluationDetail,
  EvaluationItem,
  ScorecardIndicator,
} from '../../api/types.ts';
import { ApiError } from '../../api.ts';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { type Loaded, useLoader } from '../../use-loader.ts';
import { EvaluationStatusTag, IndicatorStatusTag } from './evaluation-labels.tsx';

/** The indicator a drill-down is about, and the catalog (province or county add-on) it belongs to. */
export type DrillTarget = {
  catalog: { id: string; version: number; title?: string };
  addOn: boolean;
  indicator: ScorecardIndicator;
};

type DrillRow = DrillTableSection['rows'][number];
type DrillExcludedRow = DrillTableSection['excluded'][number];
type DrillCell = DrillRow['cells'][string];
type DrillFactsSection = Extract<DrillSection, { kind: 'facts' }>;

const contributorsShown = 10;
const verdictTags = {
  met: { color: 'green', text: '满足' },
  unmet: { color: 'red', text: '不满足' },
} as const;

function renderCell(cell: DrillCell | undefined): ReactNode {
  if (cell === undefined) return '—';
  if (typeof cell === 'string') return cell;
  if ('tags' in cell)
    return cell.tags.length > 0 ? (
      <Flex gap={4} wrap>
        {cell.tags.map((tag) => (
          <Tag key={tag} style={{ marginInlineEnd: 0 }}>
            {tag}
          </Tag>
        ))}
      </Flex>
    ) : (
      '—'
    );
  // A page of this app (a training session, a person) opens in place; other addresses in a new tab.
  if (cell.href.startsWith('/'))
    return (
      <Link to={cell.href} data-testid="drill-row-link">
        {cell.text}
      </Link>
    );
  return (
    <a href={cell.href} target="_blank" rel="noreferrer">
      {cell.text}
    </a>
  );
}

function SectionCard({
  title,
  extra,
  testId,
  children,
}: {
  title: ReactNode;
  extra?: ReactNode;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card size="small" title={title} extra={extra} data-testid={testId}>
      {children}
    </Card>
  );
}

function TableSection({ section }: { section: DrillTableSection }) {
  const [showExcluded, setShowExcluded] = useState(false);
  const columns: TableColumnsType<DrillRow> = section.columns.map((column) => ({
    key: column.key,
    title: column.title,
    width: column.width,
    align: column.align,
    render: (_: unknown, row: DrillRow) => renderCell(row.cells[column.key]),
  }));
  const excludedColumns: TableColumnsType<DrillExcludedRow> = [
    ...(columns as TableColumnsType<DrillExcludedRow>),
    {
      key: 'reason',
      title: '说明',
      width: 220,
      render: (_: unknown, row: DrillExcludedRow) => <Tag color="default">{row.reason}</Tag>,
    },
  ];
  const { total, excluded } = section;
  return (
    <SectionCard
      testId={`drill-section-${section.key}`}
      title={section.title}
      extra={
        section.verdict && (
          <Tag color={verdictTags[section.verdict].color}>{verdictTags[section.verdict].text}</Tag>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {section.summary}
      </Typography.Paragraph>
      <Table<DrillRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={section.rows}
        locale={{ emptyText: section.emptyText }}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        data-testid="drill-rows"
        summary={
          total && section.rows.length > 0
            ? () => (
                <Table.Summary.Row>
                  {section.columns.map((column, index) => (
                    <Table.Summary.Cell key={column.key} index={index} align={column.align}>
                      {index === 0 ? (
                        <Typography.Text strong>{total.label}</Typography.Text>
                      ) : (
                        <Typography.Text strong data-testid={`drill-total-${column.key}`}>
                          {total.cells[column.key] ?? ''}
                        </Typography.Text>
                      )}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              )
            : undefined
        }
      />
      {excluded.length > 0 && (
        <Flex vertical gap={8} style={{ marginTop: 8 }}>
          <div>
            <Button
              size="small"
              type="link"
              style={{ paddingInline: 0 }}
              onClick={() => setShowExcluded(!showExcluded)}
              data-testid="drill-excluded-toggle"
            >
              {showExcluded ? '收起未计入的记录' : `另有 ${excluded.length} 条记录未计入，查看原因`}
            </Button>
          </div>
          {showExcluded && (
            <Table<DrillExcludedRow>
              size="small"
              rowKey="key"
              columns={excludedColumns}
              dataSource={excluded}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              scroll={{ x: 'max-content' }}
              data-testid="drill-excluded-rows"
            />
          )}
        </Flex>
      )}
    </SectionCard>
  );
}

type MonthRow = DrillMonthlySection['months'][number];
type ContributorRow = DrillMonthlySection['contributors'][number];

function MonthlySection({ section }: { section: DrillMonthlySection }) {
  const [showAll, setShowAll] = useState(false);
  const { contributors } = section;
  const shown = showAll ? contributors : contributors.slice(0, contributorsShown);
  return (
    <SectionCard testId={`drill-monthly-${section.measure}`} title={section.title}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {section.summary}
      </Typography.Paragraph>
      <Table<MonthRow>
        size="small"
        rowKey="month"
        pagination={false}
        dataSource={section.months}
        data-testid="drill-monthly-table"
        onRow={(row) =>
          ({
            'data-testid': `drill-month-${row.month}`,
            style: row.compared ? undefined : { opacity: 0.55 },
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '月份',
            dataIndex: 'month',
            width: 100,
            render: (month: number, row) =>
              row.compared ? (
                `${month}月`
              ) : (
                <span>
                  {month}月 <Typography.Text type="secondary">未比较</Typography.Text>
                </span>
              ),
          },
          {
            title: `${section.previousYear}年（元）`,
            dataIndex: 'previous',
            align: 'right',
            render: (value: string | null) =>
              value ?? <Typography.Text type="secondary">无数据</Typography.Text>,
          },
          {
            title: `${section.year}年（元）`,
            dataIndex: 'current',
            align: 'right',
            render: (value: string | null) =>
              value ?? <Typography.Text type="secondary">无数据</Typography.Text>,
          },
          {
            title: '同比',
            dataIndex: 'change',
            align: 'right',
            width: 90,
            render: (change: string | null) =>
              change === null ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Typography.Text type={change.startsWith('−') ? 'danger' : undefined}>
                  {change}
                </Typography.Text>
              ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <Typography.Text strong>
                {section.comparedMonths ? `${section.comparedMonths}合计` : '全年合计'}
              </Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <Typography.Text strong data-testid={`drill-year-total-${section.previousYear}`}>
                {section.previousTotal}
              </Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              <Typography.Text strong data-testid={`drill-year-total-${section.year}`}>
                {section.currentTotal}
              </Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              <Typography.Text strong>{section.growth === null ? '—' : `${section.growth}%`}</Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Flex justify="space-between" align="center" style={{ margin: '16px 0 8px' }}>
        <Typography.Text strong>
          数据来源：{contributors.length} 家市场主体（按 {section.year} 年{section.comparedMonths}从高到低）
        </Typography.Text>
        {contributors.length > contributorsShown && (
          <Button size="small" onClick={() => setShowAll(!showAll)} data-testid="drill-contributors-toggle">
            {showAll ? `只看前 ${contributorsShown} 家` : `全部 ${contributors.length} 家`}
          </Button>
        )}
      </Flex>
      <Table<ContributorRow>
        size="small"
        rowKey="creditCode"
        pagination={false}
        dataSource={shown}
        data-testid="drill-contributors"
        locale={{ emptyText: `台账中没有${section.previousYear}—${section.year}年的月度统计` }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '排名', width: 56, render: (_: unknown, _row, index) => index + 1 },
          {
            title: '市场主体',
            dataIndex: 'name',
            render: (name: string, row) => (
              <div>
                <div>{name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.creditCode}
                </Typography.Text>
              </div>
            ),
          },
          { title: `${section.previousYear}年（元）`, dataIndex: 'previous', align: 'right', width: 150 },
          { title: `${section.year}年（元）`, dataIndex: 'current', align: 'right', width: 150 },
          {
            title: `${section.year}年${section.comparedMonths}占比`,
            dataIndex: 'share',
            align: 'right',
            width: 110,
          },
        ]}
      />
    </SectionCard>
  );
}

function FactsSection({ section }: { section: DrillFactsSection }) {
  return (
    <SectionCard testId={`drill-section-${section.key}`} title={section.title}>
      <Descriptions
        size="small"
        bordered
        column={1}
        styles={{ label: { width: 140 } }}
        items={section.items.map((item) => ({ key: item.label, label: item.label, children: item.value }))}
      />
    </SectionCard>
  );
}

function Section({ section }: { section: DrillSection }) {
  switch (section.kind) {
    case 'table':
      return <TableSection section={section} />;
    case 'monthly':
      return <MonthlySection section={section} />;
    case 'facts':
      return <FactsSection section={section} />;
    case 'note':
      return (
        <Card size="small" data-testid="drill-no-rows">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={section.text} />
        </Card>
      );
  }
}

type EvaluationLookup = { hidden: true } | { hidden: false; evaluation: EvaluationDetail | null };

/** This e-town's self-evaluation of the year, if any; hidden when the user may not read evaluations. */
async function findEvaluation(etownCode: string, year: number): Promise<EvaluationLookup> {
  try {
    const items = await unwrap(
      apiClient.GET('/api/evaluations', { params: { query: { year, regionCode: etownCode } } }),
    );
    const match = items.find((item) => item.etownCode === etownCode && item.year === year);
    if (!match) return { hidden: false, evaluation: null };
    const evaluation = await unwrap(
      apiClient.GET('/api/evaluations/{id}', { params: { path: { id: match.id } } }),
    );
    return { hidden: false, evaluation };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return { hidden: true };
    throw error;
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function EvidenceSection({ lookup, no }: { lookup: Loaded<EvaluationLookup>; no: number }) {
  if (lookup.error) return <ErrorState message={lookup.error} onRetry={lookup.reload} />;
  const data = lookup.data;
  if (!data || lookup.loading)
    return (
      <SectionCard testId="drill-evidence" title="自评与证明材料">
        <Spin description="正在读取自评…" />
      </SectionCard>
    );
  if (data.hidden) return null;
  const { evaluation } = data;
  if (!evaluation) {
    return (
      <SectionCard testId="drill-evidence" title="自评与证明材料">
        <Typography.Text type="secondary">本年度尚未开始自评，暂无证明材料。</Typography.Text>
      </SectionCard>
    );
  }
  const item = evaluation.items.find((candidate) => candidate.indicatorNo === no);
  return (
    <SectionCard
      testId="drill-evidence"
      title={
        <Flex gap={8} align="center">
          自评与证明材料
          <EvaluationStatusTag status={evaluation.status} label={evaluation.statusLabel} />
        </Flex>
      }
      extra={
        <Link to={`/evaluations/${evaluation.id}`} data-testid="drill-evaluation-link">
          查看自评详情
        </Link>
      }
    >
      {item ? (
        <EvidenceItem evaluationId={evaluation.id} item={item} />
      ) : (
        <Typography.Text>{'—'}</Typography.Text>
      )}
    </SectionCard>
  );
}

function EvidenceItem({ evaluationId, item }: { evaluationId: string; item: EvaluationItem }) {
  return (
    <Flex vertical gap={8}>
      <Descriptions
        size="small"
        column={2}
        items={[
          {
            key: 'score',
            label: '自评分',
            children: item.selfScore === null ? '未打分' : `${item.selfScore} 分`,
          },
          {
            key: 'statement',
            label: '自评说明',
            children: item.statement || '—',
          },
        ]}
      />
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={item.evidence}
        data-testid="drill-evidence-files"
        locale={{ emptyText: '该项尚未上传证明材料' }}
        columns={[
          {
            title: '文件',
            dataIndex: 'fileName',
            render: (fileName: string, file) => (
              <a
                href={`/api/evaluations/${evaluationId}/evidence/${file.id}`}
                download={fileName}
                data-testid={`drill-evidence-${file.id}`}
              >
                <FileTextOutlined /> {fileName}
              </a>
            ),
          },
          { title: '大小', dataIndex: 'sizeBytes', width: 90, align: 'right', render: sizeText },
          { title: '上传时间', dataIndex: 'uploadedAt', width: 170, render: formatDateTime },
          {
            title: '',
            width: 70,
            render: (_: unknown, file) => (
              <Button
                type="link"
                size="small"
                icon={<DownloadOutlined />}
                href={`/api/evaluations/${evaluationId}/evidence/${file.id}`}
              >
                下载
              </Button>
            ),
          },
        ]}
      />
    </Flex>
  );
}

type DrillIndicator = DrillTarget['indicator'];

/** The indicator's standard, its current values with the reasons they fall short, and the facts it used. */
function IndicatorDescription({
  indicator,
  facts,
}: {
  indicator: DrillIndicator;
  facts: Drilldown['facts'];
}) {
  const reasonTone = indicator.status === 'pending' ? 'warning' : 'danger';
  // A reason already said by a line of 当前值 colours that line instead of being said twice.
  const otherReasons = indicator.reasons.filter(
    (reason) => !indicator.values.some((value) => value.includes(reason)),
  );
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      styles={{ label: { width: 110 } }}
      data-testid="drill-indicator"
      items={[
        { key: 'category', label: '类别', children: indicator.category },
        { key: 'content', label: '建设内容', children: indicator.content },
        { key: 'standard', label: '建设标准', children: indicator.standard },
        {
          key: 'values',
          label: '当前值',
          children: indicator.values.length
            ? indicator.values.map((value) => (
                <div key={value}>
                  {indicator.reasons.some((reason) => value.includes(reason)) ? (
                    <Typography.Text type={reasonTone}>{value}</Typography.Text>
                  ) : (
                    value
                  )}
                </div>
              ))
            : '—',
        },
        ...(otherReasons.length > 0
          ? [
              {
                key: 'reasons',
                label: indicator.status === 'pending' ? '待定原因' : '未达标原因',
                children: otherReasons.map((reason) => (
                  <div key={reason}>
                    <Typography.Text type={reasonTone}>{reason}</Typography.Text>
                  </div>
                )),
              },
            ]
          : []),
        ...(facts.length > 0
          ? [
              {
                key: 'facts',
                label: '核定数据',
                children: (
                  <Flex vertical gap={2} data-testid="drill-facts">
                    {facts.map((fact) => (
                      <div key={fact.label}>
                        <Typography.Text type="secondary">{fact.label}：</Typography.Text>
                        {fact.value}
                      </div>
                    ))}
                  </Flex>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/**
 * The rows and evidence behind one scorecard figure. The server's evaluation engine says which ledger rows
 * it counted and sends them display-ready; the drawer only shows them. The evaluation is fetched once, on
 * the first drill-down, and reused for every indicator.
 */
export function DrilldownDrawer({
  etownCode,
  year,
  target,
  open,
  onClose,
}: {
  etownCode: string;
  year: number;
  target: DrillTarget | null;
  open: boolean;
  onClose: () => void;
}) {
  const me = useMe();
  const [wanted, setWanted] = useState(false);
  if (open && !wanted) setWanted(true);
  const key = `${etownCode}|${year}`;
  const no = target?.indicator.no;
  const catalogId = target?.addOn ? target.catalog.id : undefined;
  const drilldownKey = `${key}|${catalogId ?? ''}|${no ?? ''}`;
  const drilldown = useLoader(
    open && no !== undefined
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns/{code}/scorecard/indicators/{no}', {
              params: { path: { code: etownCode, no }, query: { year, catalog: catalogId } },
            }),
          )
      : null,
    drilldownKey,
  );
  const mayReadEvaluations = can.readEvaluations(me.role);
  const evaluation = useLoader(
    wanted && mayReadEvaluations ? () => findEvaluation(etownCode, year) : null,
    key,
  );
  // A drill-down of another indicator, year or catalog is not shown while the wanted one loads.
  const drilldownData: Drilldown | undefined =
    drilldown.data &&
    drilldown.data.etown.code === etownCode &&
    drilldown.data.year === year &&
    drilldown.data.indicator.no === no &&
    (catalogId === undefined || drilldown.data.catalog.id === catalogId)
      ? drilldown.data
      : undefined;

  const indicator = target?.indicator;
  const title = indicator
    ? `${target.addOn ? `${target.catalog.title ?? '县级附加指标'} ` : ''}第${indicator.no}项 ${indicator.title} · 明细`
    : '';

  return (
    <Drawer
      open={open && target !== null}
      onClose={onClose}
      title={title}
      extra={indicator && <IndicatorStatusTag status={indicator.status} />}
      size={Math.min(960, typeof window === 'undefined' ? 960 : window.innerWidth - 32)}
      data-testid="drilldown-drawer"
    >
      {indicator && target && (
        <Flex vertical gap={16}>
          <IndicatorDescription indicator={indicator} facts={drilldownData?.facts ?? []} />

          <Typography.Title level={5} style={{ margin: 0 }}>
            台账明细
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal', marginLeft: 8 }}>
              {year}年度 e镇台账中计入本项的记录
            </Typography.Text>
          </Typography.Title>
          {drilldown.error ? (
            <ErrorState message={drilldown.error} onRetry={drilldown.reload} />
          ) : !drilldownData ? (
            <Flex justify="center" style={{ padding: 24 }}>
              <Spin description="正在读取台账明细…" />
            </Flex>
          ) : (
            drilldownData.sections.map((section) => <Section key={section.key} section={section} />)
          )}

          {mayReadEvaluations && !target.addOn && <EvidenceSection lookup={evaluation} no={indicator.no} />}
        </Flex>
      )}
    </Drawer>
  );
}
