import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  eligibleBaseLabel,
  formatRatePercent,
  rateCeilingWorking,
} from '../../../../src/modules/funds/fund-rate-ceiling.ts';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { ApplicationDetail, FundPolicy, TransactionKind } from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate, formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  ApplicationFields,
  type ApplicationFormValues,
  ApplicationStatusTag,
  applicationFieldNames,
} from './fund-applications-page.tsx';
import { DisbursementModal } from './fund-disbursement-modal.tsx';
import {
  type DisbursementRequestStatus,
  disbursementRequestStatusColors,
  disbursementRequestStatusLabels,
  formatYuan,
  newIdempotencyKey,
  policyRateBp,
  sourceLabels,
  supportModeLabels,
  transactionKindLabels,
  typedFen,
  typedRateLimit,
  yuanRule,
} from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type Dialog = {
  kind:
    | 'approve'
    | 'return'
    | 'reject'
    | 'disburse'
    | 'request'
    | 'approveRequest'
    | 'returnRequest'
    | 'settle'
    | 'edit';
  key: string;
  /** The disbursement request a finance-bureau decision is about. */
  requestId?: string;
} | null;

type DisbursementRequest = ApplicationDetail['disbursementRequests'][number];

/** Writes that move money carry the Idempotency-Key generated when their dialog opened. */
const moneyWrite = (id: string, dialog: Dialog) => ({
  path: { id },
  header: { 'idempotency-key': dialog?.key ?? '' },
});

/** The edit body nests the application, so the server names its fields `application.…`; the form does not. */
async function unnestingFieldPaths<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (failure) {
    if (!(failure instanceof ApiError) || !Array.isArray(failure.details)) throw failure;
    const details = (failure.details as { path?: unknown }[]).map((detail) => ({
      ...detail,
      path:
        typeof detail.path === 'string' ? detail.path.replace(/^(body\.)?application\./, '') : detail.path,
    }));
    throw new ApiError(failure.status, failure.code, failure.message, details);
  }
}

function policyStandard(policy: FundPolicy): string {
  const standard =
    policy.standardKind === 'amount'
      ? `定额 ${formatYuan(policy.amountYuan)}`
      : `按 ${formatRatePercent(policyRateBp(policy))}% 比例`;
  return policy.capYuan ? `${standard}，单项上限 ${formatYuan(policy.capYuan)}` : standard;
}

export function FundApplicationDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [uploading, setUploading] = useState(false);
  const detail = useLoader(
    () => unwrap(apiClient.GET('/api/funds/applications/{id}', { params: { path: { id } } })),
    id,
  );
  const policies = useLoader(
    can.applyFunds(me.role) ? () => unwrap(apiClient.GET('/api/funds/policies')) : null,
    'policies',
  );
  const open = (kind: NonNullable<Dialog>['kind'], requestId?: string) =>
    setDialog({ kind, key: newIdempotencyKey(), requestId });
  const close = () => setDialog(null);

  if (detail.loading && !detail.data) return <LoadingState />;
  if (detail.notFound)
    return <NotFoundState what="资金申请" backTo="/funds/applications" backLabel="返回申请列表" />;
  if (detail.error || !detail.data)
    return <ErrorState message={detail.error ?? '加载失败'} onRetry={detail.reload} />;
  const application = detail.data;
  const rateLimit = typedRateLimit(application.policy, application.eligibleBaseYuan);
  const applicantSide =
    can.applyFunds(me.role) &&
    (me.role === 'enterprise' ? application.entityId !== null : application.entityId === null);
  const editable = applicantSide && (application.status === 'submitted' || application.status === 'returned');
  const reviewable = can.reviewFunds(me.role) && application.status === 'submitted';
  const payable = can.disburseFunds(me.role) && application.status === 'approved';
  // Where the county requires it, the county asks for each instalment and the finance bureau approves it.
  const viaFinance = application.disbursementApprovalRequired;
  const decidable = can.approveDisbursements(me.role) && application.status === 'approved';
  const pendingRequest = application.disbursementRequests.some((request) => request.status === 'pending');
  const decidingRequest = application.disbursementRequests.find(
    (request) => request.id === dialog?.requestId,
  );
  const done = async (promise: Promise<unknown>, text: string) => {
    await promise;
    message.success(text);
    await detail.reload();
  };

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await apiClient.POST('/api/funds/applications/{id}/files', {
        params: { path: { id }, query: { fileName: file.name } },
        ...fileBody(file),
      });
      message.success(`已上传 ${file.name}`);
      await detail.reload();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setUploading(false);
    }
  };

  const actions: ReactNode[] = [];
  if (can.readAudit(me.role)) {
    // 县纪委监委: the application's audit trail, every step with who and when.
    actions.push(
      <Link
        key="audit"
        to={`/audit?targetType=fund_application&targetId=${id}`}
        data-testid="application-audit"
      >
        <Button>审计记录</Button>
      </Link>,
    );
  }
  if (editable) {
    actions.push(
      <Button key="edit" onClick={() => open('edit')} data-testid="application-edit">
        {application.status === 'returned' ? '修改并重新提交' : '修改申请'}
      </Button>,
    );
  }
  if (reviewable) {
    actions.push(
      <Button key="return" onClick={() => open('return')} data-testid="application-return">
        退回修改
      </Button>,
      <Button key="reject" danger onClick={() => open('reject')} data-testid="application-reject">
        不予支持
      </Button>,
      <Button key="approve" type="primary" onClick={() => open('approve')} data-testid="application-approve">
        审核通过并核定金额
      </Button>,
    );
  }
  if (payable) {
    actions.push(
      <Button key="settle" onClick={() => open('settle')} data-testid="application-settle">
        结算
      </Button>,
      viaFinance ? (
        <Button
          key="request"
          type="primary"
          onClick={() => open('request')}
          data-testid="application-request-disbursement"
        >
          提交拨付申请
        </Button>
      ) : (
        <Button
          key="disburse"
          type="primary"
          onClick={() => open('disburse')}
          data-testid="application-disburse"
        >
          拨付
        </Button>
      ),
    );
  }

  return (
    <>
      <PageHeader
        title={application.title}
        crumbs={[
          { title: '资金管理', to: '/funds/applications' },
          { title: '资金申请', to: '/funds/applications' },
          { title: application.title },
        ]}
        subtitle={
          <Space>
            <ApplicationStatusTag status={application.status} />
            <span>{application.applicantName}</span>
          </Space>
        }
        extra={actions}
      />
      <FundsNav />
      <Flex vertical gap={16}>
        <Card title="申请信息" data-testid="application-info">
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
            <Descriptions.Item label="申请主体">{application.applicantName}</Descriptions.Item>
            <Descriptions.Item label="统一社会信用代码">{application.creditCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="e镇">{application.etownName}</Descriptions.Item>
            <Descriptions.Item label="资金政策">
              {application.policy.name}（{application.policy.documentNumber}）
            </Descriptions.Item>
            <Descriptions.Item label="支持方式">
              {supportModeLabels[application.policy.supportMode]} · {sourceLabels[application.policy.source]}
            </Descriptions.Item>
            <Descriptions.Item label="补助标准">{policyStandard(application.policy)}</Descriptions.Item>
            {application.policy.standardKind === 'rate' && (
              <>
                <Descriptions.Item label={eligibleBaseLabel(application.policy.supportMode)}>
                  <span data-testid="application-eligible-base">
                    {formatYuan(application.eligibleBaseYuan)}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label="可申请上限" span={2}>
                  <span>
                    <span data-testid="application-ceiling" style={{ whiteSpace: 'nowrap' }}>
                      {application.ceilingYuan === null
                        ? '未填写计算基数'
                        : formatYuan(application.ceilingYuan)}
                    </span>
                    {rateLimit && (
                      <Typography.Text type="secondary">
                        （{rateCeilingWorking(rateLimit)}
                        {application.policy.capYuan
                          ? `；单项上限 ${formatYuan(application.policy.capYuan)}`
                          : ''}
                        ）
                      </Typography.Text>
                    )}
                  </span>
                </Descriptions.Item>
              </>
            )}
            <Descriptions.Item label="申请金额">
              <span data-testid="application-requested">{formatYuan(application.requestedYuan)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="核定金额">
              <span data-testid="application-approved">{formatYuan(application.approvedYuan)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="已拨付">
              <span data-testid="application-paid">{formatYuan(application.paidYuan)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="待拨付">
              <span data-testid="application-committed">{formatYuan(application.committedYuan)}</span>
              {pendingRequest && (
                <Typography.Text type="secondary">
                  （其中 {formatYuan(application.pendingDisbursementYuan)} 待县财政局审批）
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="提交人">{application.applicantUserName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="提交时间">{formatDateTime(application.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="申请说明" span={3}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {application.description}
              </Typography.Paragraph>
            </Descriptions.Item>
            {application.reviewedAt && (
              <Descriptions.Item label="审核" span={3}>
                {application.reviewedByName ?? '—'}，{formatDateTime(application.reviewedAt)}
                {application.reviewReason ? `：${application.reviewReason}` : ''}
              </Descriptions.Item>
            )}
            {application.settledAt && (
              <Descriptions.Item label="结算时间">{formatDateTime(application.settledAt)}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>

        <Card
          title="证明材料"
          extra={
            editable && (
              <Upload
                showUploadList={false}
                accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={uploading} data-testid="evidence-upload">
                  上传材料
                </Button>
              </Upload>
            )
          }
        >
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={application.files}
            data-testid="evidence-table"
            locale={{ emptyText: '尚未上传证明材料（核定前须至少上传一份）' }}
            columns={[
              { title: '文件名', dataIndex: 'fileName' },
              { title: '类型', dataIndex: 'mediaType', width: 220 },
              {
                title: '大小',
                dataIndex: 'sizeBytes',
                width: 110,
                render: (size: number) => (size < 1024 ? `${size} 字节` : `${(size / 1024).toFixed(1)} KB`),
              },
              { title: '上传时间', dataIndex: 'uploadedAt', width: 180, render: formatDateTime },
              {
                title: '',
                width: 80,
                render: (_, file) => (
                  <a href={`/api/funds/applications/${id}/files/${file.id}`} download={file.fileName}>
                    <DownloadOutlined /> 下载
                  </a>
                ),
              },
            ]}
          />
        </Card>

        {(viaFinance || application.disbursementRequests.length > 0) && (
          <Card
            title="拨付申请（县财政局审批）"
            data-testid="disbursement-requests-card"
            extra={viaFinance && <Tag color="blue">本县拨付须经县财政局审批</Tag>}
          >
            <Table<DisbursementRequest>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={application.disbursementRequests}
              data-testid="disbursement-request-table"
              locale={{ emptyText: '尚无拨付申请' }}
              columns={[
                {
                  title: '金额',
                  dataIndex: 'amountYuan',
                  align: 'right',
                  width: 160,
                  render: (value: string) => formatYuan(value),
                },
                { title: '凭证号', dataIndex: 'voucherNumber', width: 140 },
                {
                  title: '申请',
                  dataIndex: 'requestedAt',
                  render: (at: string, request) => (
                    <Space orientation="vertical" size={0}>
                      <span>
                        {request.requestedByName ?? '—'}，{formatDateTime(at)}
                      </span>
                      {request.note && <Typography.Text type="secondary">{request.note}</Typography.Text>}
                    </Space>
                  ),
                },
                {
                  title: '审批',
                  dataIndex: 'status',
                  render: (value: DisbursementRequestStatus, request) => (
                    <Space orientation="vertical" size={0}>
                      <Tag
                        color={disbursementRequestStatusColors[value]}
                        data-testid="disbursement-request-status"
                      >
                        {disbursementRequestStatusLabels[value]}
                        {request.instalment ? `（第 ${request.instalment} 期）` : ''}
                      </Tag>
                      {request.decidedAt && (
                        <Typography.Text type="secondary">
                          {request.decidedByName ?? '—'}，{formatDateTime(request.decidedAt)}
                          {request.decisionNote ? `：${request.decisionNote}` : ''}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                ...(decidable
                  ? [
                      {
                        title: '',
                        width: 150,
                        render: (_: unknown, request: DisbursementRequest) =>
                          request.status === 'pending' && (
                            <Space size={0}>
                              <Button
                                type="link"
                                size="small"
                                onClick={() => open('approveRequest', request.id)}
                                data-testid="disbursement-request-approve"
                              >
                                批准拨付
                              </Button>
                              <Button
                                type="link"
                                size="small"
                                danger
                                onClick={() => open('returnRequest', request.id)}
                                data-testid="disbursement-request-return"
                              >
                                退回
                              </Button>
                            </Space>
                          ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        )}

        <Card title="分期拨付" data-testid="instalments-card">
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={application.disbursements}
            data-testid="instalment-table"
            locale={{ emptyText: '尚未拨付' }}
            columns={[
              { title: '期次', dataIndex: 'instalment', width: 80, render: (n: number) => `第 ${n} 期` },
              {
                title: '金额',
                dataIndex: 'amountYuan',
                align: 'right',
                width: 180,
                render: (value: string) => formatYuan(value),
              },
              { title: '拨付日期', dataIndex: 'paidOn', width: 140, render: formatDate },
              { title: '凭证号', dataIndex: 'voucherNumber' },
              { title: '经办人', dataIndex: 'createdByName', width: 200 },
              {
                title: '县财政局审批',
                dataIndex: 'approvedByName',
                width: 200,
                render: (name: string | null) => name ?? '—',
              },
              { title: '登记时间', dataIndex: 'createdAt', width: 180, render: formatDateTime },
            ]}
          />
        </Card>

        <Card title="账户变动（复式记账，每笔借贷合计为零）" data-testid="movements-card">
          <Table
            rowKey="transactionId"
            size="small"
            pagination={false}
            dataSource={application.movements}
            data-testid="movement-table"
            locale={{ emptyText: '暂无资金变动' }}
            columns={[
              { title: '时间', dataIndex: 'createdAt', width: 180, render: formatDateTime },
              {
                title: '业务',
                dataIndex: 'kind',
                width: 100,
                render: (kind: TransactionKind) => transactionKindLabels[kind],
              },
              { title: '摘要', dataIndex: 'memo' },
              {
                title: '文号/凭证号',
                dataIndex: 'reference',
                width: 180,
                render: (ref: string | null) => ref ?? '—',
              },
              {
                title: '分录',
                dataIndex: 'entries',
                width: 420,
                render: (entries: ApplicationDetail['movements'][number]['entries']) => (
                  <Flex vertical>
                    {entries.map((entry) => (
                      <Flex key={entry.account} justify="space-between" gap={16}>
                        <span>{entry.account}</span>
                        <Typography.Text type={entry.amountYuan.startsWith('-') ? 'danger' : 'success'}>
                          {entry.amountYuan.startsWith('-') ? '' : '+'}
                          {formatYuan(entry.amountYuan)}
                        </Typography.Text>
                      </Flex>
                    ))}
                  </Flex>
                ),
              },
            ]}
          />
        </Card>
      </Flex>

      <FormModal<{ approvedYuan: string; reason?: string }>
        title="审核通过并核定金额"
        open={dialog?.kind === 'approve'}
        onClose={close}
        okText="核定"
        testId="approve-form"
        fieldNames={['approvedYuan', 'reason']}
        initialValues={{ approvedYuan: application.requestedYuan }}
        onSubmit={(values) =>
          done(
            apiClient.POST('/api/funds/applications/{id}/approve', {
              params: moneyWrite(id, dialog),
              body: values,
            }),
            '已核定，资金已从e镇预算转入待拨付',
          )
        }
      >
        <Typography.Paragraph type="secondary" data-testid="approve-limits">
          核定金额不超过申请金额 {formatYuan(application.requestedYuan)}
          {application.ceilingYuan !== null
            ? `和可申请上限 ${formatYuan(application.ceilingYuan)}`
            : application.policy.capYuan
              ? `和政策单项上限 ${formatYuan(application.policy.capYuan)}`
              : ''}
          ，从{application.etownName}的{sourceLabels[application.policy.source]}预算中支出。
        </Typography.Paragraph>
        {rateLimit && (
          <Typography.Paragraph type="secondary">
            可申请上限：{rateCeilingWorking(rateLimit)}
            {application.policy.capYuan ? `，单项上限 ${formatYuan(application.policy.capYuan)}` : ''}。
          </Typography.Paragraph>
        )}
        <Form.Item
          name="approvedYuan"
          label="核定金额（元）"
          rules={[
            { required: true, message: '请填写核定金额' },
            yuanRule,
            {
              validator: async (_, value: string | undefined) => {
                const fen = typedFen(value);
                const ceiling = typedFen(application.ceilingYuan);
                if (fen !== null && ceiling !== null && fen > ceiling) {
                  throw new Error(`不能超过可申请上限 ${formatYuan(application.ceilingYuan)}`);
                }
              },
            },
          ]}
        >
          <Input suffix="元" data-testid="approve-amount" />
        </Form.Item>
        <Form.Item name="reason" label="审核意见">
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </FormModal>

      {(['return', 'reject'] as const).map((kind) => (
        <FormModal<{ reason: string }>
          key={kind}
          title={kind === 'return' ? '退回修改' : '不予支持'}
          open={dialog?.kind === kind}
          onClose={close}
          danger={kind === 'reject'}
          okText={kind === 'return' ? '退回' : '不予支持'}
          testId={`${kind}-form`}
          fieldNames={['reason']}
          onSubmit={(values) =>
            done(
              apiClient.POST(`/api/funds/applications/{id}/${kind}`, {
                params: moneyWrite(id, dialog),
                body: values,
              }),
              kind === 'return' ? '已退回申请人修改' : '已作出不予支持的决定',
            )
          }
        >
          <Form.Item name="reason" label="理由" rules={[{ required: true, message: '请说明理由' }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid={`${kind}-reason`} />
          </Form.Item>
        </FormModal>
      ))}

      {(['disburse', 'request', 'approveRequest'] as const).map((step) => (
        <DisbursementModal
          key={step}
          step={step}
          open={dialog?.kind === step}
          application={application}
          request={decidingRequest}
          idempotencyKey={dialog?.key ?? ''}
          onClose={close}
          done={done}
        />
      ))}

      <FormModal<{ reason: string }>
        title="退回拨付申请"
        open={dialog?.kind === 'returnRequest'}
        onClose={close}
        okText="退回"
        danger
        testId="return-request-form"
        fieldNames={['reason']}
        onSubmit={(values) =>
          done(
            apiClient.POST('/api/funds/disbursement-requests/{id}/return', {
              params: moneyWrite(dialog?.requestId ?? '', dialog),
              body: values,
            }),
            '已退回拨付申请',
          )
        }
      >
        <Form.Item name="reason" label="理由" rules={[{ required: true, message: '请说明理由' }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="return-request-reason" />
        </Form.Item>
      </FormModal>

      <FormModal<{ note?: string }>
        title="结算"
        open={dialog?.kind === 'settle'}
        onClose={close}
        okText="确认结算"
        danger
        testId="settle-form"
        fieldNames={['note']}
        onSubmit={(values) =>
          done(
            apiClient.POST('/api/funds/applications/{id}/settle', {
              params: moneyWrite(id, dialog),
              body: values,
            }),
            '已结算，未拨付部分已退回预算',
          )
        }
      >
        <Typography.Paragraph data-testid="settle-summary">
          已拨付 {formatYuan(application.paidYuan)}；未拨付的 {formatYuan(application.committedYuan)} 将退回
          {application.etownName}的{sourceLabels[application.policy.source]}预算。结算后不能再拨付。
        </Typography.Paragraph>
        <Form.Item name="note" label="结算说明">
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </FormModal>

      <FormModal<ApplicationFormValues>
        title={application.status === 'returned' ? '修改并重新提交' : '修改申请'}
        open={dialog?.kind === 'edit'}
        onClose={close}
        okText="提交"
        testId="edit-form"
        width={640}
        fieldNames={applicationFieldNames}
        initialValues={{
          policyId: application.policyId,
          title: application.title,
          description: application.description,
          eligibleBaseYuan: application.eligibleBaseYuan ?? undefined,
          requestedYuan: application.requestedYuan,
        }}
        onSubmit={(values) =>
          done(
            unnestingFieldPaths(
              apiClient.PUT('/api/funds/applications/{id}', {
                params: moneyWrite(id, dialog),
                body: { application: values, version: application.version },
              }),
            ),
            '申请已提交',
          )
        }
      >
        <ApplicationFields policies={(policies.data ?? []).filter((policy) => policy.validToday)} />
      </FormModal>
    </>
  );
}
