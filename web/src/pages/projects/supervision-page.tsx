import { DownloadOutlined, MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { api, errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FormModal } from '../brands/form-modal.tsx';
import { day, useEtownOptions } from './project-list-page.tsx';
import {
  type DocumentKind,
  documentKindLabels,
  type Finding,
  type FindingStatus,
  findingStatusColors,
  findingStatusLabels,
  type Incident,
  type IncidentCategory,
  type Inspection,
  type InspectionKind,
  incidentCategoryLabels,
  inspectionKindLabels,
  optionsOf,
  type PolicyDocument,
} from './project-types.ts';

type FindingAction = { finding: Finding; kind: 'rectify' | 'close' | 'reopen' };

function FindingsTab() {
  const me = useMe();
  const { message } = App.useApp();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [filter, setFilter] = useState<'all' | 'overdue' | FindingStatus>('all');
  const [action, setAction] = useState<FindingAction | null>(null);
  const query = {
    regionCode: currentCode ?? undefined,
    status: filter === 'all' || filter === 'overdue' ? undefined : filter,
    overdue: filter === 'overdue' ? 'true' : undefined,
  };
  const findings = useLoader(
    regionsLoading ? null : () => api.get<Finding[]>('/findings', query),
    JSON.stringify(query) + regionsLoading,
  );
  const mayRectify = can.rectifyFindings(me.role);
  const mayInspect = can.inspect(me.role);
  const actionTitles = { rectify: '提交整改情况', close: '验收销号', reopen: '退回整改 / 重新打开' };
  const actionPaths = { rectify: 'rectify', close: 'close', reopen: 'reopen' };

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
        <Table<Finding>
          rowKey="id"
          size="middle"
          loading={findings.loading || regionsLoading}
          dataSource={findings.data ?? []}
          pagination={false}
          data-testid="finding-table"
          scroll={{ x: 1400 }}
          rowClassName={(finding) => (finding.overdue ? 'finding-overdue' : '')}
          onRow={(finding) =>
            ({
              style: finding.overdue ? { background: '#fff1f0' } : undefined,
              'data-testid': `finding-row-${finding.id}`,
            }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: '问题清单为空' }}
          columns={[
            {
              title: '问题',
              dataIndex: 'description',
              width: 260,
              render: (value: string, finding) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text>{value}</Typography.Text>
                  <Typography.Text type="secondary">
                    {inspectionKindLabels[finding.inspectionKind]} · {finding.inspectedOn} ·{' '}
                    {finding.etownName}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: '责任单位', dataIndex: 'owner', width: 150 },
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
              width: 120,
              render: (value: FindingStatus) => (
                <Tag color={findingStatusColors[value]}>{findingStatusLabels[value]}</Tag>
              ),
            },
            {
              title: '整改与销号',
              width: 340,
              render: (_: unknown, finding) => (
                <Space direction="vertical" size={2}>
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
                  {finding.files.length > 0 && (
                    <Space size={4} wrap>
                      {finding.files.map((file) => (
                        <a key={file.id} href={`/api/findings/${finding.id}/files/${file.id}`}>
                          <DownloadOutlined /> {file.fileName}
                        </a>
                      ))}
                    </Space>
                  )}
                </Space>
              ),
            },
            {
              title: '操作',
              width: 220,
              fixed: 'end',
              render: (_: unknown, finding) => (
                <Space size={4} wrap>
                  {mayRectify && finding.status !== 'closed' && (
                    <>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => setAction({ finding, kind: 'rectify' })}
                        data-testid="finding-rectify"
                      >
                        整改
                      </Button>
                      <Upload
                        showUploadList={false}
                        beforeUpload={(file) => {
                          api
                            .upload<Finding>(`/findings/${finding.id}/files`, file, { fileName: file.name })
                            .then(() => {
                              message.success(`已上传 ${file.name}`);
                              void findings.reload();
                            })
                            .catch((failure) => message.error(errorMessage(failure)));
                          return false;
                        }}
                      >
                        <Button size="small" icon={<UploadOutlined />}>
                          材料
                        </Button>
                      </Upload>
                    </>
                  )}
                  {mayInspect && finding.status === 'rectified' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setAction({ finding, kind: 'close' })}
                      data-testid="finding-close"
                    >
                      销号
                    </Button>
                  )}
                  {mayInspect && finding.status !== 'open' && (
                    <Button
                      size="small"
                      danger
                      onClick={() => setAction({ finding, kind: 'reopen' })}
                      data-testid="finding-reopen"
                    >
                      {finding.status === 'closed' ? '重新打开' : '退回'}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      <FormModal<{ note: string }>
        title={action ? actionTitles[action.kind] : ''}
        open={action !== null}
        onClose={() => setAction(null)}
        testId="finding-action-form"
        fieldNames={['note']}
        onSubmit={async (values) => {
          if (!action) return;
          await api.post<Finding>(`/findings/${action.finding.id}/${actionPaths[action.kind]}`, {
            note: values.note,
            version: action.finding.version,
          });
          message.success('已提交');
          await findings.reload();
        }}
      >
        {action && <Typography.Paragraph type="secondary">{action.finding.description}</Typography.Paragraph>}
        <Form.Item
          name="note"
          label={action?.kind === 'rectify' ? '整改情况' : '意见'}
          rules={[
            {
              required: true,
              whitespace: true,
              message: action?.kind === 'rectify' ? '请填写整改情况' : '请填写意见',
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} data-testid="finding-note" />
        </Form.Item>
      </FormModal>
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
  const { currentCode, loading: regionsLoading } = useRegions();
  const [creating, setCreating] = useState(false);
  const mayInspect = can.inspect(me.role);
  const inspections = useLoader(
    regionsLoading ? null : () => api.get<Inspection[]>('/inspections', { regionCode: currentCode }),
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
            render: (kind: InspectionKind) => inspectionKindLabels[kind],
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
          await api.post('/inspections', {
            etownCode: values.etownCode,
            kind: values.kind,
            inspectedOn: day(values.inspectedOn),
            inspectors: values.inspectors,
            summary: values.summary,
            findings: (values.findings ?? []).map((finding) => ({
              ...finding,
              deadline: day(finding.deadline),
            })),
          });
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

function IncidentsTab() {
  const me = useMe();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [editing, setEditing] = useState<Incident | 'new' | null>(null);
  const writable = can.writeProjects(me.role);
  const incidents = useLoader(
    regionsLoading ? null : () => api.get<Incident[]>('/compliance-incidents', { regionCode: currentCode }),
    `${currentCode}|${regionsLoading}`,
  );
  const etownOptions = useEtownOptions(writable);
  return (
    <>
      <Typography.Paragraph type="secondary">
        用地、生态环保、债务防控、房住不炒、生产安全等方面的违规违法事件；当年发生即指标 20 不达标。
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => setEditing('new')}
          data-testid="incident-create"
        >
          登记事件
        </Button>
      )}
      <Table<Incident>
        rowKey="id"
        size="middle"
        loading={incidents.loading || regionsLoading}
        dataSource={incidents.data ?? []}
        pagination={false}
        data-testid="incident-table"
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
          { title: '事件经过', dataIndex: 'description', render: (value: string | null) => value ?? '—' },
          {
            title: '处置情况',
            dataIndex: 'handling',
            render: (value: string | null, incident) =>
              value ? `${value}（${incident.handledOn ?? '日期未填'}）` : <Tag color="warning">未处置</Tag>,
          },
          ...(writable
            ? [
                {
                  title: '',
                  width: 80,
                  render: (_: unknown, incident: Incident) => (
                    <Button type="link" size="small" onClick={() => setEditing(incident)}>
                      处置/修改
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <IncidentModal
        incident={editing === 'new' ? undefined : (editing ?? undefined)}
        open={editing !== null}
        etownOptions={etownOptions}
        onClose={() => setEditing(null)}
        onSaved={() => void incidents.reload()}
      />
    </>
  );
}

function IncidentModal({
  incident,
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  incident?: Incident;
  open: boolean;
  etownOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  return (
    <FormModal<IncidentForm>
      title={incident ? '处置 / 修改事件' : '登记违规违法事件'}
      open={open}
      onClose={onClose}
      testId="incident-form"
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
          occurredOn: day(values.occurredOn),
          category: values.category,
          description: values.description,
          handling: values.handling,
          handledOn: day(values.handledOn),
        };
        if (incident) await api.put(`/compliance-incidents/${incident.id}`, body);
        else await api.post('/compliance-incidents', { ...body, etownCode: values.etownCode });
        onSaved();
      }}
    >
      {!incident && (
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" />
        </Form.Item>
      )}
      <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true, message: '请选择发生日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select options={optionsOf(incidentCategoryLabels)} placeholder="请选择" />
      </Form.Item>
      <Form.Item name="description" label="事件经过">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="handling" label="处置情况">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="handledOn" label="处置日期">
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}

type DocumentForm = {
  etownCode: string;
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
  const [creating, setCreating] = useState(false);
  const writable = can.writeProjects(me.role);
  const documents = useLoader(
    regionsLoading ? null : () => api.get<PolicyDocument[]>('/policy-documents', { regionCode: currentCode }),
    `${currentCode}|${regionsLoading}`,
  );
  const etownOptions = useEtownOptions(writable);
  return (
    <>
      <Typography.Paragraph type="secondary">
        实施方案、奖励办法、品牌管理制度、“放管服”政策、领导小组文件、资金管理办法（指标
        1、5、9、18、21、22）。
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => setCreating(true)}
          data-testid="document-create"
        >
          登记制度文件
        </Button>
      )}
      <Table<PolicyDocument>
        rowKey="id"
        size="middle"
        loading={documents.loading || regionsLoading}
        dataSource={documents.data ?? []}
        pagination={false}
        data-testid="document-table"
        scroll={{ x: 1100 }}
        locale={{ emptyText: '还没有制度文件' }}
        columns={[
          { title: '文件标题', dataIndex: 'title', width: 300 },
          {
            title: '类别',
            dataIndex: 'kind',
            width: 180,
            render: (kind: DocumentKind) => documentKindLabels[kind],
          },
          { title: '文号', dataIndex: 'docNo', width: 170, render: (value: string | null) => value ?? '—' },
          {
            title: '发文机关',
            dataIndex: 'issuer',
            width: 170,
            render: (value: string | null) => value ?? '—',
          },
          { title: '印发日期', dataIndex: 'issuedOn', width: 110 },
          {
            title: '附件',
            width: 220,
            render: (_: unknown, document) => (
              <Space size={4} wrap>
                {document.fileName && (
                  <a href={`/api/policy-documents/${document.id}/file`} data-testid="document-download">
                    <DownloadOutlined /> {document.fileName}
                  </a>
                )}
                {writable && (
                  <Upload
                    accept=".pdf,.docx,.doc,image/png,image/jpeg"
                    showUploadList={false}
                    beforeUpload={(file) => {
                      api
                        .upload<PolicyDocument>(`/policy-documents/${document.id}/file`, file, {
                          fileName: file.name,
                        })
                        .then(() => {
                          message.success(`已上传 ${file.name}`);
                          void documents.reload();
                        })
                        .catch((failure) => message.error(errorMessage(failure)));
                      return false;
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />}>
                      {document.fileName ? '替换' : '上传'}
                    </Button>
                  </Upload>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<DocumentForm>
        title="登记制度文件"
        open={creating}
        onClose={() => setCreating(false)}
        testId="document-form"
        fieldNames={['etownCode', 'kind', 'title', 'docNo', 'issuer', 'issuedOn']}
        initialValues={{ etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }}
        onSubmit={async (values) => {
          await api.post('/policy-documents', { ...values, issuedOn: day(values.issuedOn) });
          await documents.reload();
        }}
      >
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" />
        </Form.Item>
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
          <Select options={optionsOf(documentKindLabels)} placeholder="请选择" />
        </Form.Item>
        <Form.Item
          name="title"
          label="文件标题"
          rules={[{ required: true, whitespace: true, message: '请填写文件标题' }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="docNo" label="文号">
          <Input maxLength={100} placeholder="如：垣政办发〔2023〕15号" />
        </Form.Item>
        <Form.Item name="issuer" label="发文机关">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="issuedOn" label="印发日期" rules={[{ required: true, message: '请选择印发日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
    </>
  );
}

/** 监督检查: the problem list, inspections, compliance incidents and policy documents. */
export function SupervisionPage() {
  const { current } = useRegions();
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
