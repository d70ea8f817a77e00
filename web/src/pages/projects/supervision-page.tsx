import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type {
  DocumentKind,
  Finding,
  FindingStatus,
  Incident,
  IncidentCategory,
  Inspection,
  InspectionKind,
  PolicyDocument,
  StoredFile,
} from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink, useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { day, useEtownOptions } from './project-list-page.tsx';
import {
  documentKindLabels,
  findingStatusColors,
  findingStatusLabels,
  incidentCategoryLabels,
  inspectionKindLabels,
  optionsOf,
} from './project-types.ts';

/**
 * What a modal form works on, with a key that is new at every opening: the form is built afresh from
 * that target's values even when it reopens while the last one is still fading out.
 */
function useModalTarget<T>() {
  const [state, setState] = useState<{ target: T | null; opening: number }>({ target: null, opening: 0 });
  return {
    target: state.target,
    key: state.opening,
    open: (target: T) => setState((previous) => ({ target, opening: previous.opening + 1 })),
    close: () => setState((previous) => ({ ...previous, target: null })),
  };
}

/** Overdue findings are tinted red on every cell, since fixed and hovered cells paint their own background. */
const overdueTint = (finding: Finding) => ({
  style: finding.overdue ? { background: '#fff1f0' } : undefined,
});

type FindingActionKind = 'rectify' | 'close' | 'reopen';
type FindingAction = { finding: Finding; kind: FindingActionKind };

/** The address of one inspection's page. */
export const inspectionPath = (id: string) => `/supervision/inspections/${id}`;

const actionTexts = (action: FindingAction) => {
  if (action.kind === 'rectify') {
    return { title: '提交整改情况', label: '整改情况', required: '请填写整改情况', done: '已提交整改情况' };
  }
  if (action.kind === 'close') {
    return { title: '验收销号', label: '销号意见', required: '请填写销号意见', done: '已验收销号' };
  }
  return action.finding.status === 'closed'
    ? { title: '重新打开问题', label: '重新打开的原因', required: '请填写重新打开的原因', done: '已重新打开' }
    : { title: '退回整改', label: '退回意见', required: '请填写退回意见', done: '已退回整改' };
};

/** Rectify, close (销号) or reopen one finding with a note; the server refuses a finding changed meanwhile. */
function FindingActionModal({
  action,
  onClose,
  onDone,
}: {
  action: FindingAction | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const texts = action ? actionTexts(action) : null;
  return (
    <FormModal<{ note: string }>
      title={texts?.title ?? ''}
      open={action !== null}
      onClose={onClose}
      testId="finding-action-form"
      fieldNames={['note']}
      onSubmit={async (values) => {
        if (!action || !texts) return;
        await apiClient.POST(`/api/findings/{id}/${action.kind}`, {
          params: { path: { id: action.finding.id } },
          body: { note: values.note, version: action.finding.version },
        });
        message.success(texts.done);
        onDone();
      }}
    >
      {action && <Typography.Paragraph type="secondary">{action.finding.description}</Typography.Paragraph>}
      <Form.Item
        name="note"
        label={texts?.label}
        rules={[{ required: true, whitespace: true, message: texts?.required ?? '请填写' }]}
      >
        <Input.TextArea rows={4} maxLength={2000} data-testid="finding-note" />
      </Form.Item>
    </FormModal>
  );
}

/**
 * Findings with their deadline (overdue in red), rectification, evidence files and the actions the
 * user's role allows; shared by the problem list and an inspection's page.
 */
export function FindingsTable({
  findings,
  loading,
  onChanged,
  showInspection,
  emptyText,
}: {
  findings: Finding[];
  loading: boolean;
  /** Called after any change, so the caller reloads what it shows. */
  onChanged: () => void;
  /** Show the inspection each finding came from, linked to its page (the problem list). */
  showInspection: boolean;
  emptyText: string;
}) {
  const me = useMe();
  const { message } = App.useApp();
  const regionLink = useRegionLink();
  const action = useModalTarget<FindingAction>();
  const [uploading, setUploading] = useState<string | null>(null);
  const mayRectify = can.rectifyFindings(me.role);
  const mayInspect = can.inspect(me.role);

  const uploadEvidence = (finding: Finding, file: File) => {
    setUploading(finding.id);
    apiClient
      .POST('/api/findings/{id}/files', {
        params: { path: { id: finding.id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(`已上传 ${file.name}`);
        onChanged();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploading(null));
    return false;
  };
  const removeEvidence = (finding: Finding, file: StoredFile) =>
    apiClient
      .DELETE('/api/findings/{id}/files/{fileId}', { params: { path: { id: finding.id, fileId: file.id } } })
      .then(() => {
        message.success(`已删除 ${file.fileName}`);
        onChanged();
      })
      .catch((failure) => message.error(errorMessage(failure)));

  const columns: TableColumnsType<Finding> = [
    {
      title: '问题',
      dataIndex: 'description',
      width: 240,
      render: (value: string, finding) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{value}</Typography.Text>
          {showInspection && (
            <Typography.Text type="secondary">
              <Link
                to={regionLink(inspectionPath(finding.inspectionId))}
                data-testid="finding-inspection-link"
              >
                {inspectionKindLabels[finding.inspectionKind]} · {finding.inspectedOn}
              </Link>{' '}
              · {finding.etownName}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: '责任单位', dataIndex: 'owner', width: 130 },
    {
      title: '整改期限',
      dataIndex: 'deadline',
      width: 150,
      render: (value: string, finding) => (
        <Space size={4}>
          <span>{value}</span>
          {finding.overdue && (
            <Tag color="red" data-testid="finding-overdue">
              已逾期
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (value: FindingStatus) => (
        <Tag color={findingStatusColors[value]} data-testid="finding-status">
          {findingStatusLabels[value]}
        </Tag>
      ),
    },
    {
      title: '整改与销号',
      render: (_: unknown, finding) => {
        const mayRemoveFiles = mayRectify && finding.status !== 'closed';
        return (
          <Space orientation="vertical" size={2}>
            {finding.rectificationNote && (
              <Typography.Text>
                整改：{finding.rectificationNote}
                <Typography.Text type="secondary">
                  （{finding.rectifiedByName}，{formatMinute(finding.rectifiedAt)}）
                </Typography.Text>
              </Typography.Text>
            )}
            {finding.closeNote && (
              <Typography.Text>
                {finding.status === 'closed' ? '销号' : '退回'}意见：{finding.closeNote}
                {finding.closedByName && (
                  <Typography.Text type="secondary">
                    （{finding.closedByName}，{formatMinute(finding.closedAt)}）
                  </Typography.Text>
                )}
              </Typography.Text>
            )}
            {finding.files.map((file) => (
              <Space key={file.id} size={4} data-testid="finding-file">
                <a href={`/api/findings/${finding.id}/files/${file.id}`} download={file.fileName}>
                  <DownloadOutlined /> {file.fileName}
                </a>
                {mayRemoveFiles && (
                  <Popconfirm
                    title={`删除整改材料“${file.fileName}”？`}
                    description="删除后不可恢复。"
                    okText="删除"
                    okButtonProps={
                      { danger: true, 'data-testid': 'finding-file-delete-confirm' } as ButtonProps
                    }
                    cancelText="取消"
                    onConfirm={() => removeEvidence(finding, file)}
                  >
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除 ${file.fileName}`}
                      data-testid="finding-file-delete"
                    />
                  </Popconfirm>
                )}
              </Space>
            ))}
            {!finding.rectificationNote && !finding.closeNote && finding.files.length === 0 && (
              <Typography.Text type="secondary">尚未提交整改</Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      title: '操作',
      width: 190,
      fixed: 'end',
      render: (_: unknown, finding) => (
        <Space size={4} wrap>
          {mayRectify && finding.status !== 'closed' && (
            <>
              <Button
                size="small"
                type="primary"
                onClick={() => action.open({ finding, kind: 'rectify' })}
                data-testid="finding-rectify"
              >
                整改
              </Button>
              <Upload
                accept=".pdf,.doc,.docx,.xls,.xlsx,image/png,image/jpeg"
                showUploadList={false}
                beforeUpload={(file) => uploadEvidence(finding, file)}
              >
                <Button
                  size="small"
                  icon={<UploadOutlined />}
                  loading={uploading === finding.id}
                  data-testid="finding-upload"
                >
                  材料
                </Button>
              </Upload>
            </>
          )}
          {mayInspect && finding.status === 'rectified' && (
            <Button
              size="small"
              type="primary"
              onClick={() => action.open({ finding, kind: 'close' })}
              data-testid="finding-close"
            >
              销号
            </Button>
          )}
          {mayInspect && finding.status !== 'open' && (
            <Button
              size="small"
              danger
              onClick={() => action.open({ finding, kind: 'reopen' })}
              data-testid="finding-reopen"
            >
              {finding.status === 'closed' ? '重新打开' : '退回'}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Table<Finding>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={findings}
        pagination={false}
        data-testid="finding-table"
        scroll={{ x: 1080 }}
        rowClassName={(finding) => (finding.overdue ? 'finding-overdue' : '')}
        onRow={(finding) =>
          ({ 'data-testid': `finding-row-${finding.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText }}
        columns={columns.map((column) => ({ ...column, onCell: overdueTint }))}
      />
      <FindingActionModal key={action.key} action={action.target} onClose={action.close} onDone={onChanged} />
    </>
  );
}

function FindingsTab() {
  const { currentCode, loading: regionsLoading } = useRegions();
  const [filter, setFilter] = useState<'all' | 'overdue' | FindingStatus>('all');
  const query = {
    regionCode: currentCode ?? undefined,
    status: filter === 'all' || filter === 'overdue' ? undefined : filter,
    overdue: filter === 'overdue' ? ('true' as const) : undefined,
  };
  const findings = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/findings', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );

  return (
    <>
      <Segmented<'all' | 'overdue' | FindingStatus>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: '全部' },
          { value: 'overdue', label: '已逾期' },
          ...optionsOf(findingStatusLabels),
        ]}
        data-testid="finding-filter"
      />
      {findings.error ? (
        <ErrorState message={findings.error} onRetry={findings.reload} />
      ) : (
        <FindingsTable
          findings={findings.data ?? []}
          loading={findings.loading || regionsLoading}
          onChanged={() => void findings.reload()}
          showInspection
          emptyText="问题清单为空"
        />
      )}
    </>
  );
}

type InspectionForm = {
  etownCode: string;
  kind: InspectionKind;
  inspectedOn: dayjs.Dayjs;
  inspectors: string;
  summary: string;
  findings?: { description: string; owner: string; deadline: dayjs.Dayjs }[];
};

function InspectionsTab() {
  const me = useMe();
  const { message } = App.useApp();
  const regionLink = useRegionLink();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [creating, setCreating] = useState(false);
  const mayInspect = can.inspect(me.role);
  const inspections = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/inspections', {
              params: { query: { regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const etownOptions = useEtownOptions(mayInspect);
  return (
    <>
      {mayInspect && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => setCreating(true)}
          data-testid="inspection-create"
        >
          登记检查
        </Button>
      )}
      <Table<Inspection>
        rowKey="id"
        size="middle"
        loading={inspections.loading || regionsLoading}
        dataSource={inspections.data ?? []}
        pagination={false}
        data-testid="inspection-table"
        locale={{ emptyText: '还没有检查记录' }}
        columns={[
          { title: '检查日期', dataIndex: 'inspectedOn', width: 110 },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 130,
            render: (kind: InspectionKind, inspection) => (
              <Link to={regionLink(inspectionPath(inspection.id))} data-testid="inspection-link">
                {inspectionKindLabels[kind]}
              </Link>
            ),
          },
          { title: 'e镇', dataIndex: 'etownName', width: 130 },
          { title: '检查人员 / 机构', dataIndex: 'inspectors', width: 200 },
          { title: '检查情况', dataIndex: 'summary' },
          {
            title: '问题',
            width: 230,
            render: (_: unknown, inspection) => (
              <Space size={4} wrap>
                <Tag color="orange">待整改 {inspection.findingCounts.open}</Tag>
                <Tag color="blue">待销号 {inspection.findingCounts.rectified}</Tag>
                <Tag color="green">已销号 {inspection.findingCounts.closed}</Tag>
                {inspection.findingCounts.overdue > 0 && (
                  <Tag color="red">逾期 {inspection.findingCounts.overdue}</Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<InspectionForm>
        title="登记检查"
        open={creating}
        onClose={() => setCreating(false)}
        testId="inspection-form"
        width={720}
        fieldNames={['etownCode', 'kind', 'inspectedOn', 'inspectors', 'summary', 'findings']}
        initialValues={{
          etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined,
          findings: [],
        }}
        onSubmit={async (values) => {
          const body = {
            etownCode: values.etownCode,
            kind: values.kind,
            inspectedOn: values.inspectedOn.format('YYYY-MM-DD'),
            inspectors: values.inspectors,
            summary: values.summary,
            findings: (values.findings ?? []).map((finding) => ({
              ...finding,
              deadline: finding.deadline.format('YYYY-MM-DD'),
            })),
          };
          await apiClient.POST('/api/inspections', { body });
          message.success('已登记检查');
          await inspections.reload();
        }}
      >
        <Space.Compact block>
          <Form.Item
            name="etownCode"
            label="e镇"
            style={{ flex: 1, marginRight: 8 }}
            rules={[{ required: true, message: '请选择e镇' }]}
          >
            <Select options={etownOptions} placeholder="请选择" data-testid="inspection-etown" />
          </Form.Item>
          <Form.Item
            name="kind"
            label="检查类型"
            style={{ flex: 1, marginRight: 8 }}
            rules={[{ required: true, message: '请选择检查类型' }]}
          >
            <Select
              options={optionsOf(inspectionKindLabels)}
              placeholder="请选择"
              data-testid="inspection-kind"
            />
          </Form.Item>
          <Form.Item
            name="inspectedOn"
            label="检查日期"
            style={{ flex: 1 }}
            rules={[{ required: true, message: '请选择检查日期' }]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="inspection-date" />
          </Form.Item>
        </Space.Compact>
        <Form.Item
          name="inspectors"
          label="检查人员 / 机构"
          rules={[{ required: true, whitespace: true, message: '请填写检查人员或机构' }]}
        >
          <Input maxLength={200} data-testid="inspection-inspectors" />
        </Form.Item>
        <Form.Item
          name="summary"
          label="检查情况"
          rules={[{ required: true, whitespace: true, message: '请填写检查情况' }]}
        >
          <Input.TextArea rows={2} maxLength={5000} data-testid="inspection-summary" />
        </Form.Item>
        <Typography.Text strong>发现的问题</Typography.Text>
        <Form.List name="findings">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item
                    name={[field.name, 'description']}
                    rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
                  >
                    <Input placeholder="问题描述" style={{ width: 280 }} data-testid="finding-description" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'owner']}
                    rules={[{ required: true, whitespace: true, message: '请填写责任单位' }]}
                  >
                    <Input placeholder="责任单位/责任人" style={{ width: 160 }} data-testid="finding-owner" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'deadline']}
                    rules={[{ required: true, message: '请选择整改期限' }]}
                  >
                    <DatePicker placeholder="整改期限" data-testid="finding-deadline" />
                  </Form.Item>
                  <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                style={{ marginTop: 8 }}
                onClick={() => add()}
                data-testid="finding-add"
              >
                添加问题
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </>
  );
}

type IncidentForm = {
  etownCode?: string;
  occurredOn: dayjs.Dayjs;
  category: IncidentCategory;
  description?: string;
  handling?: string;
  handledOn?: dayjs.Dayjs | null;
};

type EtownOption = { value: string; label: string };

/** A delete button behind a confirmation that names what goes; the server's refusal shows as a message. */
function DeleteButton({
  title,
  description,
  remove,
  testId,
  onDeleted,
}: {
  title: string;
  description: string;
  remove: () => Promise<unknown>;
  testId: string;
  onDeleted: () => void;
}) {
  const { message } = App.useApp();
  return (
    <Popconfirm
      title={title}
      description={description}
      okText="删除"
      okButtonProps={{ danger: true, 'data-testid': `${testId}-confirm` } as ButtonProps}
      cancelText="取消"
      onConfirm={() =>
        remove()
          .then(() => {
            message.success('已删除');
            onDeleted();
          })
          .catch((failure) => message.error(errorMessage(failure)))
      }
    >
      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={testId}>
        删除
      </Button>
    </Popconfirm>
  );
}

/**
 * Incidents decide #20, so the e-town never records them: the county (city, province) records, edits
 * and deletes; the e-town sees the incidents about it and answers them (情况说明 / 整改说明).
 */
function IncidentsTab() {
  const me = useMe();
  const { currentCode, loading: regionsLoading } = useRegions();
  const editing = useModalTarget<Incident | 'new'>();
  const answering = useModalTarget<Incident>();
  const writable = can.recordIncidents(me.role);
  const answerable = can.answerIncidents(me.role);
  const incidents = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/compliance-incidents', {
              params: { query: { regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const etownOptions = useEtownOptions(writable);
  return (
    <>
      <Typography.Paragraph type="secondary">
        用地、生态环保、债务防控、房住不炒、生产安全等方面的违规违法事件；当年发生即指标 20 不达标。
        {answerable
          ? '事件由县级（或市级、省级）登记，e镇不能登记、修改或删除；请对本e镇的事件作出答复（情况说明或整改情况）。'
          : '事件由县级（或市级、省级）登记，e镇可查看并答复。'}
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => editing.open('new')}
          data-testid="incident-create"
        >
          登记事件
        </Button>
      )}
      {incidents.error ? (
        <ErrorState message={incidents.error} onRetry={incidents.reload} />
      ) : (
        <Table<Incident>
          rowKey="id"
          size="middle"
          loading={incidents.loading || regionsLoading}
          dataSource={incidents.data ?? []}
          pagination={false}
          data-testid="incident-table"
          onRow={(incident) =>
            ({ 'data-testid': `incident-row-${incident.id}` }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: '没有违规违法事件' }}
          columns={[
            { title: '发生日期', dataIndex: 'occurredOn', width: 110 },
            {
              title: '类别',
              dataIndex: 'category',
              width: 110,
              render: (value: IncidentCategory) => <Tag color="red">{incidentCategoryLabels[value]}</Tag>,
            },
            { title: 'e镇', dataIndex: 'etownName', width: 130 },
            {
              title: '事件经过',
              dataIndex: 'description',
              render: (value: string | null) => value ?? '—',
            },
            {
              title: '处置情况',
              dataIndex: 'handling',
              render: (value: string | null, incident) =>
                value ? `${value}（${incident.handledOn ?? '日期未填'}）` : <Tag color="warning">未处置</Tag>,
            },
            {
              title: 'e镇答复',
              dataIndex: 'answer',
              render: (value: string | null, incident) =>
                value ? (
                  <Space orientation="vertical" size={0} data-testid="incident-answer">
                    <Typography.Text>{value}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {incident.answeredByName ?? '—'} · {formatMinute(incident.answeredAt)}
                    </Typography.Text>
                  </Space>
                ) : (
                  <Tag color="default">未答复</Tag>
                ),
            },
            {
              title: '登记人',
              dataIndex: 'recordedByName',
              width: 120,
              render: (value: string | null) => value ?? '台账导入',
            },
            ...(answerable
              ? [
                  {
                    title: '操作',
                    width: 100,
                    render: (_: unknown, incident: Incident) => (
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => answering.open(incident)}
                        data-testid="incident-answer-open"
                      >
                        {incident.answer ? '修改答复' : '答复'}
                      </Button>
                    ),
                  },
                ]
              : []),
            ...(writable
              ? [
                  {
                    title: '操作',
                    width: 170,
                    render: (_: unknown, incident: Incident) => (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          icon={<EditOutlined />}
                          onClick={() => editing.open(incident)}
                          data-testid="incident-edit"
                        >
                          处置/修改
                        </Button>
                        <DeleteButton
                          title="删除这条违规违法事件？"
                          description="删除后不可恢复，指标 20 将按其余事件重新评估。"
                          remove={() =>
                            apiClient.DELETE('/api/compliance-incidents/{id}', {
                              params: { path: { id: incident.id } },
                            })
                          }
                          testId="incident-delete"
                          onDeleted={() => void incidents.reload()}
                        />
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <IncidentModal
        key={editing.key}
        incident={editing.target === 'new' ? undefined : (editing.target ?? undefined)}
        open={editing.target !== null}
        etownOptions={etownOptions}
        onClose={editing.close}
        onSaved={() => void incidents.reload()}
      />
      {answering.target && (
        <IncidentAnswerModal
          key={answering.key}
          incident={answering.target}
          onClose={answering.close}
          onSaved={() => void incidents.reload()}
        />
      )}
    </>
  );
}

/** The e-town's answer to an incident about it: an explanation or the rectification made. */
function IncidentAnswerModal({
  incident,
  onClose,
  onSaved,
}: {
  incident: Incident;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<{ answer: string }>
      title="答复违规违法事件"
      open
      onClose={onClose}
      testId="incident-answer-form"
      fieldNames={['answer']}
      initialValues={{ answer: incident.answer ?? undefined }}
      onSubmit={async (values) => {
        await unwrap(
          apiClient.POST('/api/compliance-incidents/{id}/answer', {
            params: { path: { id: incident.id } },
            body: { answer: values.answer },
          }),
        );
        message.success('已答复');
        onSaved();
      }}
    >
      <Form.Item label="事件">
        <Typography.Text>
          {incident.occurredOn} · {incidentCategoryLabels[incident.category]} · {incident.description ?? '—'}
        </Typography.Text>
      </Form.Item>
      <Form.Item
        name="answer"
        label="答复（情况说明或整改情况）"
        rules={[{ required: true, whitespace: true, message: '请填写答复' }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="incident-answer-text" />
      </Form.Item>
    </FormModal>
  );
}

function IncidentModal({
  incident: loadedIncident,
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  incident?: Incident;
  open: boolean;
  etownOptions: EtownOption[];
  onClose: () => void;
  onSaved: () => void;
}) {
  // The version this form edits; a 409 replaces it with the current record.
  const [incident, setIncident] = useState(loadedIncident);
  const { message } = App.useApp();
  return (
    <FormModal<IncidentForm>
      title={incident ? '处置 / 修改事件' : '登记违规违法事件'}
      open={open}
      onClose={onClose}
      testId="incident-form"
      onStale={(current) => {
        setIncident(current as Incident);
        onSaved();
      }}
      fieldNames={['etownCode', 'occurredOn', 'category', 'description', 'handling', 'handledOn']}
      initialValues={
        incident
          ? {
              occurredOn: dayjs(incident.occurredOn),
              handledOn: incident.handledOn ? dayjs(incident.handledOn) : null,
              category: incident.category,
              description: incident.description ?? undefined,
              handling: incident.handling ?? undefined,
            }
          : { etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }
      }
      onSubmit={async (values) => {
        const body = {
          occurredOn: values.occurredOn.format('YYYY-MM-DD'),
          category: values.category,
          description: values.description,
          handling: values.handling,
          handledOn: day(values.handledOn),
        };
        if (incident) {
          await apiClient.PUT('/api/compliance-incidents/{id}', {
            params: { path: { id: incident.id } },
            body: { ...body, version: incident.version },
          });
        } else {
          // The e-town is a required field of the create form.
          await apiClient.POST('/api/compliance-incidents', {
            body: { ...body, etownCode: values.etownCode ?? '' },
          });
        }
        message.success(incident ? '已保存' : '已登记事件');
        onSaved();
      }}
    >
      {incident ? (
        <Form.Item label="e镇">
          <Typography.Text>{incident.etownName}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="incident-etown" />
        </Form.Item>
      )}
      <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true, message: '请选择发生日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="incident-occurred-on" />
      </Form.Item>
      <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select
          options={optionsOf(incidentCategoryLabels)}
          placeholder="请选择"
          data-testid="incident-category"
        />
      </Form.Item>
      <Form.Item name="description" label="事件经过">
        <Input.TextArea rows={2} maxLength={2000} data-testid="incident-description" />
      </Form.Item>
      <Form.Item name="handling" label="处置情况">
        <Input.TextArea rows={2} maxLength={2000} data-testid="incident-handling" />
      </Form.Item>
      <Form.Item name="handledOn" label="处置日期">
        <DatePicker style={{ width: '100%' }} data-testid="incident-handled-on" />
      </Form.Item>
    </FormModal>
  );
}

type DocumentForm = {
  etownCode?: string;
  kind: DocumentKind;
  title: string;
  docNo?: string;
  issuer?: string;
  issuedOn: dayjs.Dayjs;
};

function DocumentsTab() {
  const me = useMe();
  const { message } = App.useApp();
  const { currentCode, loading: regionsLoading } = useRegions();
  const editing = useModalTarget<PolicyDocument | 'new'>();
  const [uploading, setUploading] = useState<string | null>(null);
  const writable = can.writeProjects(me.role);
  const documents = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/policy-documents', {
              params: { query: { regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const etownOptions = useEtownOptions(writable);
  const attach = (document: PolicyDocument, file: File) => {
    setUploading(document.id);
    apiClient
      .POST('/api/policy-documents/{id}/file', {
        params: { path: { id: document.id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(document.fileName ? `已将附件替换为 ${file.name}` : `已上传 ${file.name}`);
        void documents.reload();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploading(null));
    return false;
  };
  return (
    <>
      <Typography.Paragraph type="secondary">
        实施方案、奖励办法、品牌管理制度、“放管服”政策、资金管理办法（指标 1、5、9、18、22）。
        指标21的领导小组文件以<Link to="/leading-groups">领导小组</Link>登记的文号和成立日期为准，不在此登记。
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => editing.open('new')}
          data-testid="document-create"
        >
          登记制度文件
        </Button>
      )}
      {documents.error ? (
        <ErrorState message={documents.error} onRetry={documents.reload} />
      ) : (
        <Table<PolicyDocument>
          rowKey="id"
          size="middle"
          loading={documents.loading || regionsLoading}
          dataSource={documents.data ?? []}
          pagination={false}
          data-testid="document-table"
          scroll={{ x: writable ? 1120 : 980 }}
          onRow={(document) =>
            ({ 'data-testid': `document-row-${document.id}` }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: '还没有制度文件' }}
          columns={[
            {
              title: '文件标题',
              dataIndex: 'title',
              render: (title: string, document) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{title}</Typography.Text>
                  <Typography.Text type="secondary">{document.etownName}</Typography.Text>
                </Space>
              ),
            },
            {
              title: '类别',
              dataIndex: 'kind',
              width: 150,
              render: (kind: DocumentKind) => documentKindLabels[kind],
            },
            { title: '文号', dataIndex: 'docNo', width: 170, render: (value: string | null) => value ?? '—' },
            {
              title: '发文机关',
              dataIndex: 'issuer',
              width: 150,
              render: (value: string | null) => value ?? '—',
            },
            { title: '印发日期', dataIndex: 'issuedOn', width: 100 },
            {
              title: '附件',
              width: 210,
              render: (_: unknown, document) => (
                <Space size={4} wrap>
                  {document.fileName ? (
                    <a
                      href={`/api/policy-documents/${document.id}/file`}
                      download={document.fileName}
                      data-testid="document-download"
                    >
                      <DownloadOutlined /> {document.fileName}
                    </a>
                  ) : (
                    <Typography.Text type="secondary">未上传</Typography.Text>
                  )}
                  {writable && (
                    <Upload
                      accept=".pdf,.docx,.doc,image/png,image/jpeg"
                      showUploadList={false}
                      beforeUpload={(file) => attach(document, file)}
                    >
                      <Button
                        size="small"
                        icon={<UploadOutlined />}
                        loading={uploading === document.id}
                        data-testid="document-upload"
                      >
                        {document.fileName ? '替换' : '上传'}
                      </Button>
                    </Upload>
                  )}
                </Space>
              ),
            },
            ...(writable
              ? [
                  {
                    title: '操作',
                    width: 140,
                    fixed: 'end' as const,
                    render: (_: unknown, document: PolicyDocument) => (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          icon={<EditOutlined />}
                          onClick={() => editing.open(document)}
                          data-testid="document-edit"
                        >
                          修改
                        </Button>
                        <DeleteButton
                          title="删除这份制度文件？"
                          description="文件登记及其附件一并删除，不可恢复。"
                          remove={() =>
                            apiClient.DELETE('/api/policy-documents/{id}', {
                              params: { path: { id: document.id } },
                            })
                          }
                          testId="document-delete"
                          onDeleted={() => void documents.reload()}
                        />
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <DocumentModal
        key={editing.key}
        document={editing.target === 'new' ? undefined : (editing.target ?? undefined)}
        open={editing.target !== null}
        etownOptions={etownOptions}
        onClose={editing.close}
        onSaved={() => void documents.reload()}
      />
    </>
  );
}

function DocumentModal({
  document: loadedDocument,
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  document?: PolicyDocument;
  open: boolean;
  etownOptions: EtownOption[];
  onClose: () => void;
  onSaved: () => void;
}) {
  // The version this form edits; a 409 replaces it with the current record.
  const [document, setDocument] = useState(loadedDocument);
  const { message } = App.useApp();
  return (
    <FormModal<DocumentForm>
      title={document ? '修改制度文件' : '登记制度文件'}
      open={open}
      onClose={onClose}
      testId="document-form"
      onStale={(current) => {
        setDocument(current as PolicyDocument);
        onSaved();
      }}
      fieldNames={['etownCode', 'kind', 'title', 'docNo', 'issuer', 'issuedOn']}
      initialValues={
        document
          ? {
              kind: document.kind,
              title: document.title,
              docNo: document.docNo ?? undefined,
              issuer: document.issuer ?? undefined,
              issuedOn: dayjs(document.issuedOn),
            }
          : { etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }
      }
      onSubmit={async (values) => {
        const body = {
          kind: values.kind,
          title: values.title,
          docNo: values.docNo,
          issuer: values.issuer,
          issuedOn: values.issuedOn.format('YYYY-MM-DD'),
        };
        if (document) {
          await apiClient.PUT('/api/policy-documents/{id}', {
            params: { path: { id: document.id } },
            body: { ...body, version: document.version },
          });
        } else {
          // The e-town is a required field of the create form.
          await apiClient.POST('/api/policy-documents', {
            body: { ...body, etownCode: values.etownCode ?? '' },
          });
        }
        message.success(document ? '已保存' : '已登记制度文件');
        onSaved();
      }}
    >
      {document ? (
        <Form.Item label="e镇">
          <Typography.Text>{document.etownName}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="document-etown" />
        </Form.Item>
      )}
      <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select
          options={optionsOf(documentKindLabels).filter((option) => option.value !== 'leading_group')}
          placeholder="请选择"
          data-testid="document-kind"
        />
      </Form.Item>
      <Form.Item
        name="title"
        label="文件标题"
        rules={[{ required: true, whitespace: true, message: '请填写文件标题' }]}
      >
        <Input maxLength={300} data-testid="document-title" />
      </Form.Item>
      <Form.Item name="docNo" label="文号">
        <Input maxLength={100} placeholder="如：垣政办发〔2023〕15号" data-testid="document-doc-no" />
      </Form.Item>
      <Form.Item name="issuer" label="发文机关">
        <Input maxLength={200} data-testid="document-issuer" />
      </Form.Item>
      <Form.Item name="issuedOn" label="印发日期" rules={[{ required: true, message: '请选择印发日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="document-issued-on" />
      </Form.Item>
    </FormModal>
  );
}

const tabKeys = ['findings', 'inspections', 'incidents', 'documents'] as const;
type TabKey = (typeof tabKeys)[number];
const isTabKey = (value: string | null): value is TabKey => tabKeys.includes(value as TabKey);

/** 监督检查: the problem list, inspections, compliance incidents and policy documents. */
export function SupervisionPage() {
  const { current } = useRegions();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  // The open tab lives in the address (`?tab=`), so a breadcrumb or a reload comes back to it.
  const activeTab: TabKey = isTabKey(requested) ? requested : 'findings';
  const openTab = (key: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set('tab', key);
        return next;
      },
      { replace: true },
    );
  return (
    <>
      <PageHeader
        title="监督检查"
        crumbs={[{ title: '监督检查' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="日常监督检查、现场检查和第三方核查发现的问题清单，整改销号；违规违法事件与制度文件"
      />
      <Card>
        <Tabs
          data-testid="supervision-tabs"
          destroyOnHidden
          activeKey={activeTab}
          onChange={openTab}
          items={[
            { key: 'findings', label: '问题清单', children: <FindingsTab /> },
            { key: 'inspections', label: '检查记录', children: <InspectionsTab /> },
            { key: 'incidents', label: '违规违法事件', children: <IncidentsTab /> },
            { key: 'documents', label: '制度文件', children: <DocumentsTab /> },
          ]}
        />
      </Card>
    </>
  );
}
