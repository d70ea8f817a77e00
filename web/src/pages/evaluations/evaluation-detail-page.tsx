import { UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popover,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { EvaluationDetail, EvaluationItem, Rectification } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import {
  EvaluationStatusTag,
  historyKindLabels,
  IndicatorStatusTag,
  rectificationStatusLabels,
  reviewStatusLabels,
} from './evaluation-labels.tsx';

const maxEvidenceBytes = 20 * 1024 * 1024;

function formatFact(value: EvaluationItem['facts'][string]): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.join('、') || '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

export function EvaluationDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const evaluation = useLoader(
    () => unwrap(apiClient.GET('/api/evaluations/{id}', { params: { path: { id } } })),
    id,
  );
  const [returns, setReturns] = useState<Record<number, string>>({});
  const [returning, setReturning] = useState<EvaluationItem | null>(null);
  const [reasonText, setReasonText] = useState('');
  const [busy, setBusy] = useState(false);
  // The evaluation as last answered, read when a save is sent: the version it carries is the newest known.
  const latest = useRef<EvaluationDetail | undefined>(undefined);
  latest.current = evaluation.data;
  // Inline saves run one after another, so a second field's save sends the version the first one made.
  const saves = useRef<Promise<unknown>>(Promise.resolve());
  // Bumped when a 409 loads the current evaluation: the inline inputs remount with its values.
  const [loadedGeneration, setLoadedGeneration] = useState(0);

  if (evaluation.loading && !evaluation.data) return <LoadingState tip="正在加载评价…" />;
  if (evaluation.notFound)
    return <NotFoundState what="评价" backTo="/evaluations" backLabel="返回评价列表" />;
  if (evaluation.error || !evaluation.data)
    return <ErrorState message={evaluation.error ?? '加载失败'} onRetry={evaluation.reload} />;
  const data = evaluation.data;

  /** Runs one workflow call; calls that answer with the evaluation replace what is shown. */
  const act = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      const result = await call();
      if (result && typeof result === 'object' && 'items' in result) {
        latest.current = result as EvaluationDetail;
        evaluation.setData(result as EvaluationDetail);
      } else await evaluation.reload();
      // One message at a time, so scoring 28 rows does not stack 28 toasts.
      message.success({ content: done, key: 'evaluation-action' });
      return true;
    } catch (error) {
      const stale = staleRecord(error);
      if (stale?.current) {
        // Someone changed it meanwhile: show the evaluation as it is now, in the inputs too.
        latest.current = stale.current as EvaluationDetail;
        evaluation.setData(stale.current as EvaluationDetail);
        setLoadedGeneration((generation) => generation + 1);
        message.warning({ content: STALE_RECORD_MESSAGE, key: 'evaluation-action' });
      } else message.error({ content: errorMessage(error), key: 'evaluation-action' });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const countyEditable = can.selfAssess(me.role) && (data.status === 'draft' || data.status === 'returned');
  const itemEditable = (item: EvaluationItem) =>
    countyEditable && (data.status === 'draft' || item.reviewStatus === 'returned');
  const reviewing = can.reviewEvaluations(me.role) && data.status === 'submitted';
  const myAssignment = data.experts.find((expert) => expert.id === me.id);
  const expertScoring =
    can.expertScore(me.role) && data.status === 'expert_review' && !myAssignment?.submittedAt;

  /** The item as last answered (its newest version), or as rendered before any answer. */
  const newest = (item: EvaluationItem) =>
    latest.current?.items.find((row) => row.indicatorNo === item.indicatorNo) ?? item;
  const inTurn = (save: () => Promise<boolean>) => {
    const run = saves.current.then(save);
    saves.current = run.catch(() => undefined);
    return run;
  };

  const saveItem = (item: EvaluationItem, change: { score?: number | null; statement?: string | null }) =>
    inTurn(() => {
      const current = newest(item);
      return act(
        () =>
          unwrap(
            apiClient.PUT('/api/evaluations/{id}/items/{no}', {
              params: { path: { id, no: item.indicatorNo } },
              body: {
                score: change.score !== undefined ? change.score : current.selfScore,
                statement: change.statement !== undefined ? change.statement : current.statement,
                version: current.version,
              },
            }),
          ),
        `已保存指标 ${item.indicatorNo}`,
      );
    });

  const uploadEvidence = async (item: EvaluationItem, file: File) => {
    if (file.size > maxEvidenceBytes) {
      message.error(`证明材料不能超过 20 MB（${file.name}）`);
      return;
    }
    await act(
      () =>
        unwrap(
          apiClient.POST('/api/evaluations/{id}/items/{no}/evidence', {
            params: { path: { id, no: item.indicatorNo }, query: { fileName: file.name } },
            ...fileBody(file),
          }),
        ),
      `已上传 ${file.name}`,
    );
  };

  const myScore = (item: EvaluationItem) => item.expertScores.find((score) => score.expertId === me.id);
  const saveExpertScore = (item: EvaluationItem, score: number | null, finding: string | null) => {
    if (score === null) return;
    void inTurn(() =>
      act(
        () =>
          unwrap(
            apiClient.PUT('/api/evaluations/{id}/expert-scores/{no}', {
              params: { path: { id, no: item.indicatorNo } },
              // A first score of the indicator has no version yet.
              body: { score, finding, version: myScore(newest(item))?.version ?? null },
            }),
          ),
        `已保存指标 ${item.indicatorNo} 的评分`,
      ),
    );
  };

  const returnCount = Object.keys(returns).length;

  return (
    <>
      <PageHeader
        title={`${data.etownName} · ${data.year} 年度评价`}
        crumbs={[{ title: '年度评价', to: '/evaluations' }, { title: data.etownName }]}
        subtitle={
          <Space>
            <EvaluationStatusTag status={data.status} label={data.statusLabel} />
            <span>
              达标 {data.summary.met} · 未达标 {data.summary.unmet} · 待定 {data.summary.pending}
            </span>
            <span data-testid="reopen-count">重新开放 {data.reopenCount} 次</span>
          </Space>
        }
        extra={
          <Space wrap>
            {countyEditable && (
              <Button
                type="primary"
                loading={busy}
                data-testid="submit-evaluation"
                onClick={() =>
                  act(
                    () =>
                      unwrap(apiClient.POST('/api/evaluations/{id}/submit', { params: { path: { id } } })),
                    '自评已提交，等待市级审核',
                  )
                }
              >
                {data.status === 'returned' ? '修改后重新提交' : '提交自评'}
              </Button>
            )}
            {reviewing && (
              <Button
                type="primary"
                danger={returnCount > 0}
                loading={busy}
                data-testid="submit-review"
                onClick={async () => {
                  const body = {
                    returns: Object.entries(returns).map(([no, reason]) => ({
                      indicatorNo: Number(no),
                      reason,
                    })),
                  };
                  const ok = await act(
                    () =>
                      unwrap(
                        apiClient.POST('/api/evaluations/{id}/review', { params: { path: { id } }, body }),
                      ),
                    returnCount > 0 ? `已退回 ${returnCount} 项指标` : '审核通过，评价已锁定',
                  );
                  if (ok) setReturns({});
                }}
              >
                {returnCount > 0 ? `退回 ${returnCount} 项，其余通过` : '全部通过'}
              </Button>
            )}
            {can.reviewEvaluations(me.role) && data.status === 'approved' && (
              <ReopenButton
                busy={busy}
                onReopen={(reason) =>
                  act(
                    () =>
                      unwrap(
                        apiClient.POST('/api/evaluations/{id}/reopen', {
                          params: { path: { id } },
                          body: { reason },
                        }),
                      ),
                    '已重新开放，县级可修改',
                  )
                }
              />
            )}
            {expertScoring && (
              <Button
                type="primary"
                loading={busy}
                data-testid="submit-expert-scores"
                onClick={() =>
                  act(
                    () =>
                      unwrap(
                        apiClient.POST('/api/evaluations/{id}/expert-scores/submit', {
                          params: { path: { id } },
                        }),
                      ),
                    '评审结果已提交',
                  )
                }
              >
                提交评审结果
              </Button>
            )}
          </Space>
        }
      />
      <Flex vertical gap={16}>
        {(data.experts.length > 0 || (can.assignExperts(me.role) && data.status === 'approved')) && (
          <ExpertsCard
            data={data}
            busy={busy}
            canAssign={can.assignExperts(me.role) && data.status === 'approved'}
            onAssign={(expertUserIds) =>
              act(
                () =>
                  unwrap(
                    apiClient.POST('/api/evaluations/{id}/experts', {
                      params: { path: { id } },
                      body: { expertUserIds },
                    }),
                  ),
                '已指派评审专家',
              )
            }
          />
        )}
        <Card title="28 项约束性指标（附件2顺序）">
          <Table
            rowKey="indicatorNo"
            dataSource={data.items}
            pagination={false}
            size="small"
            data-testid="evaluation-items"
            scroll={{ x: 1160 }}
            onRow={(item) =>
              ({ 'data-testid': `item-row-${item.indicatorNo}` }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              { title: '序号', dataIndex: 'indicatorNo', width: 60, fixed: 'left' },
              { title: '指标', dataIndex: 'title', width: 180, fixed: 'left' },
              {
                title: '平台判定',
                dataIndex: 'computedStatus',
                width: 90,
                render: (status: string, item) => (
                  <Popover
                    title="数据依据"
                    content={
                      <div style={{ maxWidth: 420 }}>
                        {Object.entries(item.facts).map(([key, value]) => (
                          <div key={key}>
                            {key}：{formatFact(value)}
                          </div>
                        ))}
                        {item.reasons.map((reason) => (
                          <Typography.Paragraph key={reason} type="secondary" style={{ margin: 0 }}>
                            {reason}
                          </Typography.Paragraph>
                        ))}
                      </div>
                    }
                  >
                    <span>
                      <IndicatorStatusTag status={status} />
                    </span>
                  </Popover>
                ),
              },
              {
                title: '自评分',
                width: 100,
                render: (_: unknown, item) =>
                  itemEditable(item) ? (
                    <InputNumber
                      key={loadedGeneration}
                      min={0}
                      max={100}
                      precision={0}
                      defaultValue={item.selfScore ?? undefined}
                      data-testid={`self-score-${item.indicatorNo}`}
                      onBlur={(event) => {
                        const text = event.target.value.trim();
                        const score = text === '' ? null : Number(text);
                        if (score !== item.selfScore) void saveItem(item, { score });
                      }}
                    />
                  ) : (
                    (item.selfScore ?? '—')
                  ),
              },
              {
                title: '自评说明',
                width: 180,
                render: (_: unknown, item) =>
                  itemEditable(item) ? (
                    <Input.TextArea
                      key={loadedGeneration}
                      autoSize={{ minRows: 1, maxRows: 4 }}
                      defaultValue={item.statement ?? ''}
                      data-testid={`statement-${item.indicatorNo}`}
                      onBlur={(event) => {
                        const statement = event.target.value.trim() || null;
                        if (statement !== item.statement) void saveItem(item, { statement });
                      }}
                    />
                  ) : (
                    (item.statement ?? '—')
                  ),
              },
              {
                title: '证明材料',
                width: 160,
                render: (_: unknown, item) => (
                  <Space direction="vertical" size={2}>
                    {item.evidence.map((file) => (
                      <a
                        key={file.id}
                        href={`/api/evaluations/${id}/evidence/${file.id}`}
                        title={`SHA-256 ${file.sha256}`}
                      >
                        {file.fileName}
                      </a>
                    ))}
                    {itemEditable(item) && (
                      <Upload
                        showUploadList={false}
                        accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                        beforeUpload={(file) => {
                          void uploadEvidence(item, file);
                          return false;
                        }}
                      >
                        <Button
                          size="small"
                          icon={<UploadOutlined />}
                          data-testid={`upload-${item.indicatorNo}`}
                        >
                          上传
                        </Button>
                      </Upload>
                    )}
                  </Space>
                ),
              },
              {
                title: '审核',
                width: 170,
                render: (_: unknown, item) => (
                  <Space direction="vertical" size={2}>
                    <Space size={4}>
                      <Tag
                        color={
                          item.reviewStatus === 'returned'
                            ? 'red'
                            : item.reviewStatus === 'approved'
                              ? 'green'
                              : 'default'
                        }
                        data-testid={`review-status-${item.indicatorNo}`}
                      >
                        {reviewStatusLabels[item.reviewStatus]}
                      </Tag>
                      {item.history.length > 0 && (
                        <Popover
                          title="审核记录"
                          content={
                            <Timeline
                              items={item.history.map((entry) => ({
                                key: `${entry.kind}-${entry.at}`,
                                children: `${new Date(entry.at).toLocaleString('zh-CN')} ${entry.actorName} ${
                                  historyKindLabels[entry.kind] ?? entry.kind
                                }${entry.reason ? `：${entry.reason}` : ''}`,
                              }))}
                            />
                          }
                        >
                          <Typography.Link data-testid={`history-${item.indicatorNo}`}>记录</Typography.Link>
                        </Popover>
                      )}
                    </Space>
                    {item.returnReason && (
                      <Typography.Text type="danger" data-testid={`return-reason-${item.indicatorNo}`}>
                        退回原因：{item.returnReason}
                      </Typography.Text>
                    )}
                    {reviewing &&
                      item.reviewStatus === 'pending' &&
                      (returns[item.indicatorNo] ? (
                        <Space size={4}>
                          <Typography.Text type="danger">将退回：{returns[item.indicatorNo]}</Typography.Text>
                          <Typography.Link
                            onClick={() => setReturns(({ [item.indicatorNo]: _removed, ...rest }) => rest)}
                          >
                            撤销
                          </Typography.Link>
                        </Space>
                      ) : (
                        <Button
                          size="small"
                          danger
                          data-testid={`return-item-${item.indicatorNo}`}
                          onClick={() => {
                            setReasonText('');
                            setReturning(item);
                          }}
                        >
                          退回
                        </Button>
                      ))}
                  </Space>
                ),
              },
              {
                title: '专家评分',
                width: 220,
                render: (_: unknown, item) =>
                  expertScoring ? (
                    <Space direction="vertical" size={2}>
                      <InputNumber
                        key={`score-${loadedGeneration}`}
                        min={0}
                        max={100}
                        precision={0}
                        placeholder="评分"
                        defaultValue={myScore(item)?.score}
                        data-testid={`expert-score-${item.indicatorNo}`}
                        onBlur={(event) => {
                          const text = event.target.value.trim();
                          const score = text === '' ? null : Number(text);
                          if (score !== null && score !== myScore(item)?.score)
                            saveExpertScore(item, score, myScore(item)?.finding ?? null);
                        }}
                      />
                      <Input
                        key={`finding-${loadedGeneration}`}
                        placeholder="评审意见"
                        defaultValue={myScore(item)?.finding ?? ''}
                        data-testid={`expert-finding-${item.indicatorNo}`}
                        onBlur={(event) => {
                          const finding = event.target.value.trim() || null;
                          const score = myScore(item)?.score;
                          if (score !== undefined && finding !== (myScore(item)?.finding ?? null))
                            saveExpertScore(item, score, finding);
                        }}
                      />
                    </Space>
                  ) : (
                    <Space direction="vertical" size={0}>
                      {item.expertScores.map((score) => {
                        const outlier = item.panel?.outlierExpertIds.includes(score.expertId);
                        return (
                          <Typography.Text
                            key={score.expertId}
                            type={outlier ? 'danger' : undefined}
                            strong={outlier}
                            data-testid={outlier ? 'outlier-score' : undefined}
                          >
                            {score.expertName}：{score.score}
                            {outlier ? '（离群）' : ''}
                            {score.finding ? ` · ${score.finding}` : ''}
                          </Typography.Text>
                        );
                      })}
                      {item.panel?.mean != null && (
                        <Typography.Text type="secondary" data-testid={`panel-${item.indicatorNo}`}>
                          均值 {item.panel.mean.toFixed(1)}（{item.panel.count} 位）
                        </Typography.Text>
                      )}
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
        {(data.rectifications.length > 0 ||
          (can.planRectifications(me.role) && data.status === 'expert_review')) && (
          <RectificationsCard
            data={data}
            busy={busy}
            canPlan={
              can.planRectifications(me.role) && ['expert_review', 'rectification'].includes(data.status)
            }
            canUpdate={can.updateRectifications(me.role) && data.status === 'rectification'}
            onPlan={(item) =>
              act(
                () =>
                  unwrap(
                    apiClient.POST('/api/evaluations/{id}/rectifications', {
                      params: { path: { id } },
                      body: { items: [item] },
                    }),
                  ),
                '已下达整改事项',
              )
            }
            onUpdate={(rectification, status) =>
              act(
                () =>
                  unwrap(
                    apiClient.PATCH('/api/rectifications/{id}', {
                      params: { path: { id: rectification.id } },
                      body: { status, version: rectification.version },
                    }),
                  ),
                '整改状态已更新',
              )
            }
          />
        )}
        {(data.acceptance || (can.acceptEvaluations(me.role) && data.status === 'rectification')) && (
          <AcceptanceCard
            data={data}
            busy={busy}
            onAccept={(body) =>
              act(
                () =>
                  unwrap(
                    apiClient.POST('/api/evaluations/{id}/acceptance', { params: { path: { id } }, body }),
                  ),
                '验收已登记',
              )
            }
          />
        )}
      </Flex>
      <Modal
        open={returning !== null}
        title={returning ? `退回指标 ${returning.indicatorNo}：${returning.title}` : ''}
        okText="确定退回"
        cancelText="取消"
        okButtonProps={{ disabled: !reasonText.trim(), 'data-testid': 'return-confirm' }}
        onCancel={() => setReturning(null)}
        onOk={() => {
          if (returning)
            setReturns((current) => ({ ...current, [returning.indicatorNo]: reasonText.trim() }));
          setReturning(null);
        }}
      >
        <Input.TextArea
          rows={3}
          placeholder="请填写退回原因"
          value={reasonText}
          onChange={(event) => setReasonText(event.target.value)}
          data-testid="return-reason-input"
        />
      </Modal>
    </>
  );
}

function ReopenButton({ busy, onReopen }: { busy: boolean; onReopen: (reason: string) => Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <Button loading={busy} onClick={() => setOpen(true)} data-testid="reopen-evaluation">
        重新开放
      </Button>
      <Modal
        open={open}
        title="重新开放评价"
        okText="重新开放"
        cancelText="取消"
        okButtonProps={{ disabled: !reason.trim() }}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          if (await onReopen(reason.trim())) setOpen(false);
        }}
      >
        <Input.TextArea
          rows={3}
          placeholder="请填写原因"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}

function ExpertsCard({
  data,
  busy,
  canAssign,
  onAssign,
}: {
  data: EvaluationDetail;
  busy: boolean;
  canAssign: boolean;
  onAssign: (ids: string[]) => Promise<boolean>;
}) {
  const [ids, setIds] = useState<string[]>([]);
  const experts = useLoader(canAssign ? () => unwrap(apiClient.GET('/api/experts')) : null, canAssign);
  const assigned = new Set(data.experts.map((expert) => expert.id));
  return (
    <Card title="评审专家" data-testid="experts-card">
      <Space direction="vertical" style={{ width: '100%' }}>
        {data.experts.map((expert) => (
          <div key={expert.id} data-testid="assigned-expert">
            {expert.name}{' '}
            {expert.submittedAt ? <Tag color="green">已提交</Tag> : <Tag color="orange">评审中</Tag>}
          </div>
        ))}
        {canAssign && (
          <Space>
            <Select
              mode="multiple"
              style={{ width: 480 }}
              placeholder="选择评审专家"
              loading={experts.loading}
              value={ids}
              onChange={setIds}
              optionFilterProp="label"
              options={(experts.data ?? [])
                .filter((expert) => !assigned.has(expert.id))
                .map((expert) => ({
                  value: expert.id,
                  label: `${expert.displayName}（${expert.username}）`,
                }))}
              data-testid="expert-ids"
            />
            <Button type="primary" disabled={ids.length === 0} loading={busy} onClick={() => onAssign(ids)}>
              指派专家
            </Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}

type PlanItem = { indicatorNo: number | null; finding: string; owner: string; deadline: string };

function RectificationsCard({
  data,
  busy,
  canPlan,
  canUpdate,
  onPlan,
  onUpdate,
}: {
  data: EvaluationDetail;
  busy: boolean;
  canPlan: boolean;
  canUpdate: boolean;
  onPlan: (item: PlanItem) => Promise<boolean>;
  onUpdate: (rectification: Rectification, status: Rectification['status']) => Promise<boolean>;
}) {
  // A fresh form after each item, so the cleared fields do not show "required" errors.
  const [formKey, setFormKey] = useState(0);
  return (
    <Card title="整改事项" data-testid="rectifications-card">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data.rectifications}
        locale={{ emptyText: '暂无整改事项' }}
        columns={[
          { title: '指标', dataIndex: 'indicatorNo', width: 70, render: (no: number | null) => no ?? '—' },
          { title: '问题', dataIndex: 'finding' },
          { title: '责任人', dataIndex: 'owner', width: 140 },
          {
            title: '期限',
            dataIndex: 'deadline',
            width: 140,
            render: (deadline: string, row) => (
              <Typography.Text type={row.overdue ? 'danger' : undefined} strong={row.overdue}>
                {deadline}
                {row.overdue ? '（已逾期）' : ''}
              </Typography.Text>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 150,
            render: (status: Rectification['status'], row) =>
              canUpdate ? (
                <Select
                  value={status}
                  style={{ width: 120 }}
                  data-testid={`rectification-status-${row.id}`}
                  onChange={(next) => void onUpdate(row, next)}
                  options={Object.entries(rectificationStatusLabels).map(([value, label]) => ({
                    value,
                    label,
                  }))}
                />
              ) : (
                <Tag
                  color={status === 'closed' ? 'green' : row.overdue ? 'red' : 'orange'}
                  data-testid="rectification-status"
                >
                  {rectificationStatusLabels[status]}
                </Tag>
              ),
          },
        ]}
      />
      {canPlan && (
        <Form
          key={formKey}
          layout="inline"
          style={{ marginTop: 16 }}
          data-testid="rectification-form"
          onFinish={async (values: {
            indicatorNo?: number;
            finding: string;
            owner: string;
            deadline: { format: (f: string) => string };
          }) => {
            const ok = await onPlan({
              indicatorNo: values.indicatorNo ?? null,
              finding: values.finding,
              owner: values.owner,
              deadline: values.deadline.format('YYYY-MM-DD'),
            });
            if (ok) setFormKey((key) => key + 1);
          }}
        >
          <Form.Item name="indicatorNo" label="指标">
            <InputNumber min={1} max={28} style={{ width: 80 }} data-testid="rectification-indicator" />
          </Form.Item>
          <Form.Item name="finding" label="问题" rules={[{ required: true, message: '请填写问题' }]}>
            <Input style={{ width: 260 }} data-testid="rectification-finding" />
          </Form.Item>
          <Form.Item
            name="owner"
            label="责任人"
            rules={[{ required: true, message: '请填写责任人或责任单位' }]}
          >
            <Input style={{ width: 160 }} data-testid="rectification-owner" />
          </Form.Item>
          <Form.Item name="deadline" label="期限" rules={[{ required: true, message: '请选择期限' }]}>
            <DatePicker data-testid="rectification-deadline" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="rectification-submit">
            下达整改
          </Button>
        </Form>
      )}
    </Card>
  );
}

function AcceptanceCard({
  data,
  busy,
  onAccept,
}: {
  data: EvaluationDetail;
  busy: boolean;
  onAccept: (body: { acceptedOn: string; conclusion: string }) => Promise<boolean>;
}) {
  if (data.acceptance) {
    return (
      <Card title="验收" data-testid="acceptance-card">
        <Descriptions
          column={1}
          items={[
            { key: 'on', label: '验收日期', children: data.acceptance.acceptedOn },
            { key: 'conclusion', label: '验收结论', children: data.acceptance.conclusion },
          ]}
        />
      </Card>
    );
  }
  return (
    <Card title="验收" data-testid="acceptance-card">
      <Form
        layout="inline"
        onFinish={(values: { acceptedOn: { format: (f: string) => string }; conclusion: string }) =>
          onAccept({ acceptedOn: values.acceptedOn.format('YYYY-MM-DD'), conclusion: values.conclusion })
        }
      >
        <Form.Item name="acceptedOn" label="验收日期" rules={[{ required: true, message: '请选择验收日期' }]}>
          <DatePicker data-testid="acceptance-date" />
        </Form.Item>
        <Form.Item name="conclusion" label="验收结论" rules={[{ required: true, message: '请填写验收结论' }]}>
          <Input style={{ width: 360 }} data-testid="acceptance-conclusion" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="acceptance-submit">
          登记验收
        </Button>
      </Form>
    </Card>
  );
}
