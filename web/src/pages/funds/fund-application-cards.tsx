import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Flex,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import {
  eligibleBaseLabel,
  formatRatePercent,
  rateCeilingWorking,
} from '../../../../src/modules/funds/fund-rate-ceiling.ts';
import type { ApplicationDetail, FundPolicy, TransactionKind } from '../../api/types.ts';
import { formatDate, formatDateTime } from '../../time.ts';
import {
  type DisbursementRequestStatus,
  disbursementRequestStatusColors,
  disbursementRequestStatusLabels,
  formatYuan,
  policyRateBp,
  sourceLabels,
  supportModeLabels,
  transactionKindLabels,
  typedRateLimit,
} from './fund-types.ts';

type DisbursementRequest = ApplicationDetail['disbursementRequests'][number];

/** The finance bureau's two decisions on a pending disbursement request. */
export type RequestDecision = 'approveRequest' | 'returnRequest';

function policyStandard(policy: FundPolicy): string {
  const standard =
    policy.standardKind === 'amount'
      ? `定额 ${formatYuan(policy.amountYuan)}`
      : `按 ${formatRatePercent(policyRateBp(policy))}% 比例`;
  return policy.capYuan ? `${standard}，单项上限 ${formatYuan(policy.capYuan)}` : standard;
}

export function ApplicationInfoCard({ application }: { application: ApplicationDetail }) {
  const rateLimit = typedRateLimit(application.policy, application.eligibleBaseYuan);
  const pendingRequest = application.disbursementRequests.some((request) => request.status === 'pending');
  return (
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
              <span data-testid="application-eligible-base">{formatYuan(application.eligibleBaseYuan)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="可申请上限" span={2}>
              <span>
                <span data-testid="application-ceiling" style={{ whiteSpace: 'nowrap' }}>
                  {application.ceilingYuan === null ? '未填写计算基数' : formatYuan(application.ceilingYuan)}
                </span>
                {rateLimit && (
                  <Typography.Text type="secondary">
                    （{rateCeilingWorking(rateLimit)}
                    {application.policy.capYuan ? `；单项上限 ${formatYuan(application.policy.capYuan)}` : ''}
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
  );
}

function evidenceColumns(applicationId: string): TableColumnsType<ApplicationDetail['files'][number]> {
  return [
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
        <a href={`/api/funds/applications/${applicationId}/files/${file.id}`} download={file.fileName}>
          <DownloadOutlined /> 下载
        </a>
      ),
    },
  ];
}

type EvidenceCardProps = {
  application: ApplicationDetail;
  editable: boolean;
  uploading: boolean;
  onUpload: (file: File) => Promise<void>;
};

export function EvidenceCard({ application, editable, uploading, onUpload }: EvidenceCardProps) {
  return (
    <Card
      title="证明材料"
      extra={
        editable && (
          <Upload
            showUploadList={false}
            accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
            beforeUpload={(file) => {
              void onUpload(file);
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
        columns={evidenceColumns(application.id)}
      />
    </Card>
  );
}

function disbursementRequestColumns(
  decidable: boolean,
  onDecide: (kind: RequestDecision, requestId: string) => void,
): TableColumnsType<DisbursementRequest> {
  return [
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
          <Tag color={disbursementRequestStatusColors[value]} data-testid="disbursement-request-status">
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
                    onClick={() => onDecide('approveRequest', request.id)}
                    data-testid="disbursement-request-approve"
                  >
                    批准拨付
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    danger
                    onClick={() => onDecide('returnRequest', request.id)}
                    data-testid="disbursement-request-return"
                  >
                    退回
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];
}

type DisbursementRequestsCardProps = {
  application: ApplicationDetail;
  viaFinance: boolean;
  decidable: boolean;
  onDecide: (kind: RequestDecision, requestId: string) => void;
};

export function DisbursementRequestsCard({
  application,
  viaFinance,
  decidable,
  onDecide,
}: DisbursementRequestsCardProps) {
  return (
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
        columns={disbursementRequestColumns(decidable, onDecide)}
      />
    </Card>
  );
}

const instalmentColumns: TableColumnsType<ApplicationDetail['disbursements'][number]> = [
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
];

export function InstalmentsCard({ application }: { application: ApplicationDetail }) {
  return (
    <Card title="分期拨付" data-testid="instalments-card">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={application.disbursements}
        data-testid="instalment-table"
        locale={{ emptyText: '尚未拨付' }}
        columns={instalmentColumns}
      />
    </Card>
  );
}

const movementColumns: TableColumnsType<ApplicationDetail['movements'][number]> = [
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
];

export function MovementsCard({ application }: { application: ApplicationDetail }) {
  return (
    <Card title="账户变动（复式记账，每笔借贷合计为零）" data-testid="movements-card">
      <Table
        rowKey="transactionId"
        size="small"
        pagination={false}
        dataSource={application.movements}
        data-testid="movement-table"
        locale={{ emptyText: '暂无资金变动' }}
        columns={movementColumns}
      />
    </Card>
  );
}
