import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Row,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EntryApplication, EntryApplicationStatus, EntryConditions } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useMe } from '../../session.tsx';
import { formatDate, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  EntityFields,
  type EntityFormValues,
  entityBody,
  entityFieldNames,
  showFieldErrors,
} from './entity-form-drawer.tsx';
import {
  applicationStatusColors,
  applicationStatusLabels,
  canEntities,
  entityTypeLabels,
} from './entity-types.ts';

export function ConditionsCard({ conditions }: { conditions: EntryConditions }) {
  return (
    <Card title={`${conditions.etownName}入驻条件`} size="small" data-testid="entry-conditions">
      <List
        size="small"
        dataSource={conditions.conditions}
        renderItem={(condition, index) => (
          <List.Item>
            <Typography.Text>
              {index + 1}. {condition}
            </Typography.Text>
          </List.Item>
        )}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {conditions.basis}
      </Typography.Paragraph>
    </Card>
  );
}

function ProposalDescriptions({ application }: { application: EntryApplication }) {
  const { proposal } = application;
  return (
    <Descriptions size="small" column={2} bordered>
      <Descriptions.Item label="主体名称" span={2}>
        {proposal.name}
      </Descriptions.Item>
      <Descriptions.Item label="统一社会信用代码">{proposal.creditCode}</Descriptions.Item>
      <Descriptions.Item label="类型">
        {entityTypeLabels[proposal.entityType]}
        {proposal.legalEntity ? '（法人）' : '（非法人）'}
      </Descriptions.Item>
      <Descriptions.Item label="注册日期">{formatDate(proposal.registeredOn)}</Descriptions.Item>
      <Descriptions.Item label="联系人">
        {proposal.contactName ?? '—'} {proposal.contactPhoneMasked ?? ''}
      </Descriptions.Item>
      <Descriptions.Item label="地址" span={2}>
        {proposal.address ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label="入驻说明" span={2}>
        <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
          {application.statement ?? '—'}
        </Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}

function StatusTag({ status }: { status: EntryApplicationStatus }) {
  return <Tag color={applicationStatusColors[status]}>{applicationStatusLabels[status]}</Tag>;
}

type ApplicationForm = EntityFormValues & { statement: string; conditionsAccepted: boolean };

function MyApplicationsCard({
  applications,
  loading,
}: {
  applications: EntryApplication[] | undefined;
  loading: boolean;
}) {
  return (
    <Card title="我的申请" size="small" data-testid="my-applications">
      {applications && applications.length === 0 ? (
        <Empty description="尚未提交申请" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          loading={loading}
          dataSource={applications ?? []}
          renderItem={(application) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space>
                    {application.proposal.name}
                    <StatusTag status={application.status} />
                  </Space>
                }
                description={
                  <>
                    提交于 {formatMinute(application.createdAt)}
                    {application.reviewReason && (
                      <div>
                        审核意见：{application.reviewReason}
                        {application.reviewedByName ? `（${application.reviewedByName}）` : ''}
                      </div>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** The enterprise's side: the e-town's conditions, the application form, and its applications so far. */
export function EnterpriseEntryPanel() {
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplicationForm>();
  const [submitting, setSubmitting] = useState(false);
  const etownCode = me.scope.regionCodes[0];
  const conditions = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/entities/entry-conditions/{etownCode}', { params: { path: { etownCode } } }),
          )
      : null,
    etownCode,
  );
  const mine = useLoader(() => unwrap(apiClient.GET('/api/entities/applications')), 'mine');
  const pending = mine.data?.some((application) => application.status === 'submitted');

  const submit = async () => {
    const values = await form.validateFields();
    if (!etownCode) return;
    setSubmitting(true);
    try {
      const body = {
        etownCode,
        proposal: entityBody(values),
        statement: values.statement.trim(),
        // validateFields() has refused an unticked box, so the conditions are accepted here.
        conditionsAccepted: true as const,
      };
      await apiClient.POST('/api/entities/applications', { body });
      message.success('入驻申请已提交，请等待县级审核');
      form.resetFields();
      await mine.reload();
    } catch (failure) {
      if (!showFieldErrors(form, failure, [...entityFieldNames, 'statement', 'conditionsAccepted']))
        message.error(errorMessage(failure));
    } finally {
      setSubmitting(false);
    }
  };

  if (!etownCode) return <Alert type="warning" showIcon title="您的账号尚未分配e镇，请联系县级管理员" />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card title="提交入驻申请" data-testid="entry-form-card">
          {pending ? (
            <Alert
              type="info"
              showIcon
              title="您的入驻申请正在审核中"
              description="县级审核后会在右侧显示结果；审核期间不能重复提交。"
            />
          ) : (
            <Form
              form={form}
              layout="vertical"
              initialValues={{ entityType: 'enterprise', legalEntity: true }}
              data-testid="entry-form"
            >
              <EntityFields />
              <Form.Item
                name="statement"
                label="入驻说明"
                rules={[{ required: true, whitespace: true, message: '请填写入驻说明' }]}
                extra="主营业务、网店经营情况、与e镇主导产业的关系等"
              >
                <Input.TextArea rows={4} maxLength={2000} showCount data-testid="entry-statement" />
              </Form.Item>
              <Form.Item
                name="conditionsAccepted"
                valuePropName="checked"
                rules={[
                  {
                    validator: (_, value) =>
                      value ? Promise.resolve() : Promise.reject(new Error('请确认已阅读并符合入驻条件')),
                  },
                ]}
              >
                <Checkbox data-testid="entry-accept">我已阅读并符合右侧所列入驻条件</Checkbox>
              </Form.Item>
              <Button
                type="primary"
                loading={submitting}
                onClick={() => void submit()}
                data-testid="entry-submit"
              >
                提交申请
              </Button>
            </Form>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {conditions.data ? (
            <ConditionsCard conditions={conditions.data} />
          ) : conditions.error ? (
            <ErrorState message={conditions.error} onRetry={conditions.reload} />
          ) : (
            <LoadingState />
          )}
          <MyApplicationsCard applications={mine.data} loading={mine.loading} />
        </Space>
      </Col>
    </Row>
  );
}

function ReviewModal({
  application,
  action,
  onClose,
  onDone,
}: {
  application: EntryApplication | null;
  action: 'admit' | 'reject';
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ reason?: string }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const conditions = useLoader(
    application
      ? () =>
          unwrap(
            apiClient.GET('/api/entities/entry-conditions/{etownCode}', {
              params: { path: { etownCode: application.etownCode } },
            }),
          )
      : null,
    application?.id,
  );
  const submit = async () => {
    if (!application) return;
    const values = await form.validateFields();
    setSaving(true);
    try {
      const reason = values.reason?.trim() || null;
      const params = { path: { id: application.id } };
      if (action === 'admit')
        await apiClient.POST('/api/entities/applications/{id}/admit', { params, body: { reason } });
      else
        await apiClient.POST('/api/entities/applications/{id}/reject', {
          params,
          body: { reason: reason ?? '' },
        });
      message.success(action === 'admit' ? `已准予 ${application.proposal.name} 入驻` : '已退回申请');
      onDone();
      onClose();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={Boolean(application)}
      title={action === 'admit' ? '准予入驻' : '退回入驻申请'}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={action === 'admit' ? '准予入驻并登记' : '退回'}
      okButtonProps={{ danger: action === 'reject', loading: saving, 'data-testid': 'review-confirm' }}
      width={760}
      destroyOnHidden
    >
      {application && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <ProposalDescriptions application={application} />
          {conditions.data && <ConditionsCard conditions={conditions.data} />}
          {action === 'admit' && (
            <Alert
              type="info"
              showIcon
              title="准予后将在该e镇登记此市场主体，并把申请企业的账号关联到该主体。"
            />
          )}
          <Form form={form} layout="vertical" preserve={false}>
            <Form.Item
              name="reason"
              label={action === 'admit' ? '审核意见（可选）' : '退回理由'}
              rules={
                action === 'reject' ? [{ required: true, whitespace: true, message: '请填写退回理由' }] : []
              }
            >
              <Input.TextArea rows={3} maxLength={500} data-testid="review-reason" />
            </Form.Item>
          </Form>
        </Space>
      )}
    </Modal>
  );
}

/** The columns every reader sees; the review buttons are added for reviewers. */
const applicationColumns: TableColumnsType<EntryApplication> = [
  {
    title: '申请主体',
    render: (_, application) =>
      application.entityId ? (
        <Link to={`/entities/${application.entityId}`}>{application.proposal.name}</Link>
      ) : (
        application.proposal.name
      ),
  },
  {
    title: '统一社会信用代码',
    width: 200,
    render: (_, application) => application.proposal.creditCode,
  },
  { title: '申请入驻e镇', dataIndex: 'etownName', width: 150 },
  { title: '申请人', dataIndex: 'applicantName', width: 160 },
  { title: '提交时间', dataIndex: 'createdAt', width: 170, render: formatMinute },
  {
    title: '状态',
    dataIndex: 'status',
    width: 200,
    render: (value: EntryApplicationStatus, application) => (
      <Space orientation="vertical" size={0}>
        <StatusTag status={value} />
        {application.reviewReason && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {application.reviewReason}
          </Typography.Text>
        )}
      </Space>
    ),
  },
];

export function EntryApplicationsPage() {
  const me = useMe();
  const [status, setStatus] = useState<EntryApplicationStatus | 'all'>('submitted');
  const [reviewing, setReviewing] = useState<{
    application: EntryApplication;
    action: 'admit' | 'reject';
  } | null>(null);
  const list = useLoader(
    canEntities.apply(me.role)
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/entities/applications', {
              params: { query: { status: status === 'all' ? undefined : status } },
            }),
          ),
    status,
  );
  const crumbs = [{ title: '市场主体', to: '/entities' }, { title: '入驻申请' }];
  if (canEntities.apply(me.role)) {
    return (
      <>
        <PageHeader title="入驻申请" crumbs={crumbs} />
        <EnterpriseEntryPanel />
      </>
    );
  }
  const reviewer = canEntities.review(me.role);
  return (
    <>
      <PageHeader title="入驻申请" crumbs={crumbs} subtitle="企业提交的入驻申请，县级审核后准予入驻或退回" />
      <Card>
        <Segmented
          style={{ marginBottom: 16 }}
          value={status}
          onChange={(value) => setStatus(value as EntryApplicationStatus | 'all')}
          options={[
            { value: 'submitted', label: '待审核' },
            { value: 'admitted', label: '已准入' },
            { value: 'rejected', label: '已退回' },
            { value: 'all', label: '全部' },
          ]}
        />
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<EntryApplication>
            rowKey="id"
            loading={list.loading}
            dataSource={list.data ?? []}
            data-testid="application-table"
            locale={{ emptyText: status === 'submitted' ? '没有待审核的入驻申请' : '暂无入驻申请' }}
            expandable={{
              expandedRowRender: (application) => <ProposalDescriptions application={application} />,
            }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              ...applicationColumns,
              ...(reviewer
                ? [
                    {
                      title: '操作',
                      width: 170,
                      render: (_: unknown, application: EntryApplication) =>
                        application.status === 'submitted' ? (
                          <Space>
                            <Button
                              type="primary"
                              size="small"
                              icon={<CheckOutlined />}
                              onClick={() => setReviewing({ application, action: 'admit' })}
                              data-testid={`admit-${application.proposal.creditCode}`}
                            >
                              准予
                            </Button>
                            <Button
                              danger
                              size="small"
                              icon={<CloseOutlined />}
                              onClick={() => setReviewing({ application, action: 'reject' })}
                            >
                              退回
                            </Button>
                          </Space>
                        ) : (
                          '—'
                        ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <ReviewModal
        application={reviewing?.application ?? null}
        action={reviewing?.action ?? 'admit'}
        onClose={() => setReviewing(null)}
        onDone={() => void list.reload()}
      />
    </>
  );
}
