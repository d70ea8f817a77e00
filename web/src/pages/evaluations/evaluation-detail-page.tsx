import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EvaluationDetail, EvaluationItem, Rectification, Role } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import {
  type Act,
  evaluationCalls,
  type PlanItem,
  useEvaluationAct,
  useItemSaves,
} from './evaluation-actions.ts';
import { evaluationItemColumns } from './evaluation-item-columns.tsx';
import { EvaluationStatusTag, rectificationStatusLabels } from './evaluation-labels.tsx';

export function EvaluationDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const evaluation = useLoader(
    () => unwrap(apiClient.GET('/api/evaluations/{id}', { params: { path: { id } } })),
    id,
  );
  const [returns, setReturns] = useState<Record<number, string>>({});
  const [returning, setReturning] = useState<EvaluationItem | null>(null);
  const [reasonText, setReasonText] = useState('');
  const { busy, act, latest, loadedGeneration } = useEvaluationAct(evaluation);
  const saves = useItemSaves(id, me.id, act, latest);

  if (evaluation.loading && !evaluation.data) return <LoadingState tip="正在加载评价…" />;
  if (evaluation.notFound)
    return <NotFoundState what="评价" backTo="/evaluations" backLabel="返回评价列表" />;
  if (evaluation.error || !evaluation.data)
    return <ErrorState message={evaluation.error ?? '加载失败'} onRetry={evaluation.reload} />;
  const data = evaluation.data;
  const calls = evaluationCalls(id);

  const countyEditable = can.selfAssess(me.role) && (data.status === 'draft' || data.status === 'returned');
  const reviewing = can.reviewEvaluations(me.role) && data.status === 'submitted';
  const myAssignment = data.experts.find((expert) => expert.id === me.id);
  const expertScoring =
    can.expertScore(me.role) && data.status === 'expert_review' && !myAssignment?.submittedAt;

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
          <EvaluationActions
            data={data}
            busy={busy}
            act={act}
            calls={calls}
            countyEditable={countyEditable}
            reviewing={reviewing}
            expertScoring={expertScoring}
            returns={returns}
            onReviewed={() => setReturns({})}
          />
        }
      />
      <Flex vertical gap={16}>
        <EvaluationCards data={data} busy={busy} act={act} calls={calls} role={me.role}>
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
              columns={evaluationItemColumns({
                evaluationId: id,
                itemEditable: (item) =>
                  countyEditable && (data.status === 'draft' || item.reviewStatus === 'returned'),
                loadedGeneration,
                ...saves,
                reviewing,
                returns,
                onUndoReturn: (no) => setReturns(({ [no]: _removed, ...rest }) => rest),
                onReturn: (item) => {
                  setReasonText('');
                  setReturning(item);
                },
                expertScoring,
              })}
            />
          </Card>
        </EvaluationCards>
      </Flex>
      <ReturnReasonModal
        returning={returning}
        reasonText={reasonText}
        onReasonChange={setReasonText}
        onClose={() => setReturning(null)}
        onConfirm={(indicatorNo, reason) => setReturns((current) => ({ ...current, [indicatorNo]: reason }))}
      />
    </>
  );
}

type WorkflowProps = {
  data: EvaluationDetail;
  busy: boolean;
  act: Act;
  calls: ReturnType<typeof evaluationCalls>;
};

type EvaluationActionsProps = WorkflowProps & {
  countyEditable: boolean;
  reviewing: boolean;
  expertScoring: boolean;
  returns: Record<number, string>;
  onReviewed: () => void;
};

/** The header's workflow step for this user: submit, review, reopen or submit the expert scores. */
function EvaluationActions({
  data,
  busy,
  act,
  calls,
  countyEditable,
  reviewing,
  expertScoring,
  returns,
  onReviewed,
}: EvaluationActionsProps) {
  const { role } = useMe();
  const returnCount = Object.keys(returns).length;
  return (
    <Space wrap>
      {countyEditable && (
        <Button
          type="primary"
          loading={busy}
          data-testid="submit-evaluation"
          onClick={() => act(calls.submit, '自评已提交，等待市级审核')}
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
            const ok = await act(
              () => calls.review(returns),
              returnCount > 0 ? `已退回 ${returnCount} 项指标` : '审核通过，评价已锁定',
            );
            if (ok) onReviewed();
          }}
        >
          {returnCount > 0 ? `退回 ${returnCount} 项，其余通过` : '全部通过'}
        </Button>
      )}
      {can.reviewEvaluations(role) && data.status === 'approved' && (
        <ReopenButton
          busy={busy}
          onReopen={(reason) => act(() => calls.reopen(reason), '已重新开放，县级可修改')}
        />
      )}
      {expertScoring && (
        <Button
          type="primary"
          loading={busy}
          data-testid="submit-expert-scores"
          onClick={() => act(calls.submitExpertScores, '评审结果已提交')}
        >
          提交评审结果
        </Button>
      )}
    </Space>
  );
}

/** The experts, rectification and acceptance cards around the indicator table, shown once they apply. */
function EvaluationCards({
  data,
  busy,
  act,
  calls,
  role,
  children,
}: WorkflowProps & { role: Role; children: ReactNode }) {
  return (
    <>
      {(data.experts.length > 0 || (can.assignExperts(role) && data.status === 'approved')) && (
        <ExpertsCard
          data={data}
          busy={busy}
          canAssign={can.assignExperts(role) && data.status === 'approved'}
          onAssign={(expertUserIds) => act(() => calls.assignExperts(expertUserIds), '已指派评审专家')}
        />
      )}
      {children}
      {(data.rectifications.length > 0 ||
        (can.planRectifications(role) && data.status === 'expert_review')) && (
        <RectificationsCard
          data={data}
          busy={busy}
          canPlan={can.planRectifications(role) && ['expert_review', 'rectification'].includes(data.status)}
          canUpdate={can.updateRectifications(role) && data.status === 'rectification'}
          onPlan={(item) => act(() => calls.planRectification(item), '已下达整改事项')}
          onUpdate={(rectification, status) =>
            act(() => calls.updateRectification(rectification, status), '整改状态已更新')
          }
        />
      )}
      {(data.acceptance || (can.acceptEvaluations(role) && data.status === 'rectification')) && (
        <AcceptanceCard
          data={data}
          busy={busy}
          onAccept={(body) => act(() => calls.accept(body), '验收已登记')}
        />
      )}
    </>
  );
}

type ReturnReasonModalProps = {
  returning: EvaluationItem | null;
  reasonText: string;
  onReasonChange: (text: string) => void;
  onClose: () => void;
  onConfirm: (indicatorNo: number, reason: string) => void;
};

/** Asks the reviewer why an indicator goes back to the county. */
function ReturnReasonModal({
  returning,
  reasonText,
  onReasonChange,
  onClose,
  onConfirm,
}: ReturnReasonModalProps) {
  return (
    <Modal
      open={returning !== null}
      title={returning ? `退回指标 ${returning.indicatorNo}：${returning.title}` : ''}
      okText="确定退回"
      cancelText="取消"
      okButtonProps={{ disabled: !reasonText.trim(), 'data-testid': 'return-confirm' }}
      onCancel={onClose}
      onOk={() => {
        if (returning) onConfirm(returning.indicatorNo, reasonText.trim());
        onClose();
      }}
    >
      <Input.TextArea
        rows={3}
        placeholder="请填写退回原因"
        value={reasonText}
        onChange={(event) => onReasonChange(event.target.value)}
        data-testid="return-reason-input"
      />
    </Modal>
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
