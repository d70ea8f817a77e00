import { Col, DatePicker, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import { apiClient, unwrap } from '../../api/client.ts';
import type { FundSource, ProjectDetail } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { dayjs, todayInShanghai } from '../../time.ts';
import {
  afterToday,
  changeStatus,
  dateLabel,
  type ProjectEditing,
  type ProjectModal,
  type ProjectModalState,
} from './project-editing.ts';
import {
  day,
  ProjectFields,
  type ProjectFormValues,
  projectBody,
  projectFieldNames,
} from './project-list-page.tsx';
import { fundSourceLabels, optionsOf } from './project-types.ts';

type MilestoneForm = { name: string; plannedOn: dayjs.Dayjs; actualOn?: dayjs.Dayjs | null };
type ModalProps = { editing: ProjectEditing; modals: ProjectModalState };

/** The props every modal of the page shares: a fresh form at each opening, open while it is the one. */
const modalState = (modals: ProjectModalState, which: ProjectModal) => ({
  key: `${which}-${modals.openings}`,
  open: modals.modal === which,
  onClose: modals.close,
});

/** After a 409 the milestone modal opens afresh on the milestone as it is now (closed if it is gone). */
function reopenWithCurrent(
  modals: ProjectModalState,
  which: 'milestone' | 'milestone-done',
  current: unknown,
) {
  const target = modals.targetMilestone;
  const now = (current as ProjectDetail).milestones.find((milestone) => milestone.id === target?.id);
  if (now) modals.openMilestone(which, now);
  else modals.close();
}

function MilestoneModal({ editing, modals }: ModalProps) {
  const { id, save } = editing;
  const target = modals.targetMilestone;
  return (
    <FormModal<MilestoneForm>
      {...modalState(modals, 'milestone')}
      title={target ? `修改里程碑：${target.name}` : '添加里程碑'}
      testId="milestone-form"
      fieldNames={['name', 'plannedOn', 'actualOn']}
      onStale={(current) => reopenWithCurrent(modals, 'milestone', current)}
      initialValues={
        target
          ? {
              name: target.name,
              plannedOn: dayjs(target.plannedOn),
              actualOn: target.actualOn ? dayjs(target.actualOn) : null,
            }
          : undefined
      }
      onSubmit={(values) => {
        const body = {
          name: values.name,
          plannedOn: values.plannedOn.format('YYYY-MM-DD'),
          actualOn: day(values.actualOn),
        };
        return target
          ? save(
              () =>
                unwrap(
                  apiClient.PUT('/api/projects/{id}/milestones/{milestoneId}', {
                    params: { path: { id, milestoneId: target.id } },
                    body: { ...body, version: target.version },
                  }),
                ),
              `已修改里程碑“${values.name.trim()}”`,
            )
          : save(
              () =>
                unwrap(apiClient.POST('/api/projects/{id}/milestones', { params: { path: { id } }, body })),
              `已添加里程碑“${values.name.trim()}”`,
            );
      }}
    >
      <Form.Item
        name="name"
        label="里程碑"
        rules={[{ required: true, whitespace: true, message: '请填写里程碑名称' }]}
      >
        <Input maxLength={100} placeholder="如：主体完工" data-testid="milestone-name" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="plannedOn"
            label="计划日期"
            rules={[{ required: true, message: '请选择计划日期' }]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="milestone-planned" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="actualOn" label="实际完成日期" extra="未完成的留空">
            <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="milestone-actual" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

function MilestoneDoneModal({ editing, modals }: ModalProps) {
  const { id, save } = editing;
  const target = modals.targetMilestone;
  return (
    <FormModal<{ actualOn: dayjs.Dayjs }>
      {...modalState(modals, 'milestone-done')}
      title={`标记完成：${target?.name ?? ''}`}
      testId="milestone-done-form"
      okText="标记完成"
      fieldNames={['actualOn']}
      onStale={(current) => reopenWithCurrent(modals, 'milestone-done', current)}
      initialValues={{ actualOn: dayjs(todayInShanghai()) }}
      onSubmit={(values) =>
        target
          ? save(
              () =>
                unwrap(
                  apiClient.PUT('/api/projects/{id}/milestones/{milestoneId}', {
                    params: { path: { id, milestoneId: target.id } },
                    body: {
                      name: target.name,
                      plannedOn: target.plannedOn,
                      actualOn: day(values.actualOn),
                      version: target.version,
                    },
                  }),
                ),
              `里程碑“${target.name}”已于 ${day(values.actualOn)} 完成`,
            )
          : Promise.resolve()
      }
    >
      <Form.Item
        name="actualOn"
        label="实际完成日期"
        rules={[{ required: true, message: '请选择实际完成日期' }]}
        extra={target ? `计划 ${target.plannedOn}` : undefined}
      >
        <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="milestone-done-date" />
      </Form.Item>
    </FormModal>
  );
}

/** A status change that records a day: the first start of work, or completion. */
function StatusModal({ editing, modals }: ModalProps) {
  const { project } = editing;
  const action = modals.statusAction;
  return (
    <FormModal<{ on: dayjs.Dayjs }>
      {...modalState(modals, 'status')}
      title={action ? `${action.label}：${project.name}` : ''}
      testId="status-form"
      okText={action?.label ?? '确定'}
      fieldNames={['on']}
      initialValues={{ on: dayjs(todayInShanghai()) }}
      onSubmit={(values) => (action ? changeStatus(editing, action, day(values.on)) : Promise.resolve())}
    >
      <Form.Item
        name="on"
        label={action ? dateLabel(project, action.to) : ''}
        rules={[{ required: true, message: '请选择日期' }]}
        extra={
          action?.to === 'completed' && project.actualStart
            ? `实际开工于 ${project.actualStart}`
            : project.plannedStart || project.plannedEnd
              ? `计划工期 ${project.plannedStart ?? '未定'} 至 ${project.plannedEnd ?? '未定'}`
              : undefined
        }
      >
        <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="status-date" />
      </Form.Item>
    </FormModal>
  );
}

function ProjectEditModal({ editing, modals }: ModalProps) {
  const { id, project, save } = editing;
  return (
    <FormModal<ProjectFormValues>
      {...modalState(modals, 'edit')}
      title="修改项目"
      testId="project-edit-form"
      okText="保存"
      width={600}
      fieldNames={projectFieldNames}
      initialValues={{
        name: project.name,
        ownerEntityId: project.ownerEntityId,
        plannedStart: project.plannedStart ? dayjs(project.plannedStart) : null,
        plannedEnd: project.plannedEnd ? dayjs(project.plannedEnd) : null,
        description: project.description,
      }}
      onSubmit={(values) =>
        save(
          () =>
            unwrap(
              apiClient.PATCH('/api/projects/{id}', {
                params: { path: { id } },
                body: { ...projectBody(values), version: project.version },
              }),
            ),
          '已保存项目信息',
        )
      }
    >
      <Form.Item label="所在e镇">
        <Typography.Text>{project.etownName}</Typography.Text>
      </Form.Item>
      <ProjectFields
        etownCode={project.etownCode}
        currentOwner={
          project.ownerEntityId && project.ownerEntityName
            ? { id: project.ownerEntityId, name: project.ownerEntityName }
            : null
        }
      />
      <Typography.Text type="secondary">实际开工、完工日期在“开工”“完工”时填写。</Typography.Text>
    </FormModal>
  );
}

function ReportModal({ editing, modals }: ModalProps) {
  const { id, save } = editing;
  return (
    <FormModal<{ reportedOn: dayjs.Dayjs; progressPct: number; summary: string }>
      {...modalState(modals, 'report')}
      title="提交进度报告"
      testId="report-form"
      fieldNames={['reportedOn', 'progressPct', 'summary']}
      onSubmit={(values) =>
        save(
          () =>
            unwrap(
              apiClient.POST('/api/projects/{id}/reports', {
                params: { path: { id } },
                body: {
                  reportedOn: values.reportedOn.format('YYYY-MM-DD'),
                  progressPct: values.progressPct,
                  summary: values.summary,
                },
              }),
            ),
          '已提交进度报告，可在报告右侧上传现场照片',
        )
      }
    >
      <Form.Item name="reportedOn" label="报告日期" rules={[{ required: true, message: '请选择报告日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="report-date" />
      </Form.Item>
      <Form.Item
        name="progressPct"
        label="形象进度（%）"
        rules={[{ required: true, message: '请填写形象进度' }]}
      >
        <InputNumber
          min={0}
          max={100}
          precision={0}
          style={{ width: '100%' }}
          data-testid="report-progress"
        />
      </Form.Item>
      <Form.Item
        name="summary"
        label="进度说明"
        rules={[{ required: true, whitespace: true, message: '请填写进度说明' }]}
      >
        <Input.TextArea rows={3} maxLength={2000} data-testid="report-summary" />
      </Form.Item>
    </FormModal>
  );
}

function InvestmentModal({ editing, modals }: ModalProps) {
  const { id, save } = editing;
  return (
    <FormModal<{ source: FundSource; amountYuan: string; investedOn: dayjs.Dayjs }>
      {...modalState(modals, 'investment')}
      title="登记投资"
      testId="investment-form"
      fieldNames={['source', 'amountYuan', 'investedOn']}
      onSubmit={(values) =>
        save(
          () =>
            unwrap(
              apiClient.POST('/api/projects/{id}/investments', {
                params: { path: { id } },
                body: {
                  source: values.source,
                  amountYuan: values.amountYuan,
                  investedOn: values.investedOn.format('YYYY-MM-DD'),
                },
              }),
            ),
          '已登记投资',
        )
      }
    >
      <Form.Item name="source" label="资金来源" rules={[{ required: true, message: '请选择资金来源' }]}>
        <Select options={optionsOf(fundSourceLabels)} placeholder="请选择" data-testid="investment-source" />
      </Form.Item>
      <Form.Item
        name="amountYuan"
        label="金额（元）"
        rules={[
          { required: true, message: '请填写金额' },
          { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: '金额须为不超过两位小数的数字，如 1500000.00' },
        ]}
      >
        <Input inputMode="decimal" suffix="元" data-testid="investment-amount" />
      </Form.Item>
      <Form.Item name="investedOn" label="投资日期" rules={[{ required: true, message: '请选择投资日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="investment-date" />
      </Form.Item>
    </FormModal>
  );
}

/** Every form of the project page; `modals` says which one is open. */
export function ProjectModals({ editing, modals }: ModalProps) {
  return (
    <>
      <MilestoneModal editing={editing} modals={modals} />
      <MilestoneDoneModal editing={editing} modals={modals} />
      <StatusModal editing={editing} modals={modals} />
      <ProjectEditModal editing={editing} modals={modals} />
      <ReportModal editing={editing} modals={modals} />
      <InvestmentModal editing={editing} modals={modals} />
    </>
  );
}
