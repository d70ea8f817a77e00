import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { formatFen } from '../../../../src/indicators/exact.ts';
import {
  eligibleBaseLabel,
  eligibleBaseLabels,
  formatRatePercent,
  rateCeilingWorking,
  rateLimitCeilingFen,
  rateLimitProblems,
} from '../../../../src/modules/funds/fund-rate-ceiling.ts';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ApplicationStatus, ApplicationSummary, FundPolicy, SupportMode } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  formatYuan,
  newIdempotencyKey,
  policyRateBp,
  sourceLabels,
  statusColors,
  statusLabels,
  supportModeLabels,
  typedFen,
  typedRateLimit,
  yuanRule,
} from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

export type ApplicationFormValues = {
  policyId: string;
  title: string;
  description: string;
  /** Only under a rate-type policy. */
  eligibleBaseYuan?: string;
  requestedYuan: string;
};

export const applicationFieldNames = [
  'policyId',
  'title',
  'description',
  'eligibleBaseYuan',
  'requestedYuan',
];

/** What to put in as the base, per support mode: the figure the policy's rate applies to, and its proof. */
const eligibleBaseHints: Record<SupportMode, string> = {
  loan_interest_subsidy: '贴息期间贷款实际支付的利息（元），以银行利息回单为准',
  project_subsidy: '项目实际完成、可认定的投资额（元），以合同、发票等凭证为准',
  reward_in_lieu: '经认定的投资额（元），以验收或认定材料为准',
  rent_reduction: '申请期间实际支付的租金（元），以租赁合同和付款凭证为准',
  award: '经认定的金额（元），以认定材料为准',
};

/** The live ceiling of a rate-type policy as the applicant types the base. */
function RateCeilingNote({ policy, baseText }: { policy: FundPolicy; baseText: string | undefined }) {
  const limit = typedRateLimit(policy, baseText);
  const cap = policy.capYuan ? `，单项上限 ${formatYuan(policy.capYuan)}` : '';
  if (!limit) {
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="application-ceiling-note"
        title={`本政策按${eligibleBaseLabels[policy.supportMode].name}的 ${formatRatePercent(policyRateBp(policy))}% 补助${cap}；填写后自动计算可申请上限。`}
      />
    );
  }
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="application-ceiling-note"
      title={
        <span>
          可申请上限{' '}
          <Typography.Text strong data-testid="application-ceiling">
            {formatYuan(formatFen(rateLimitCeilingFen(limit)))}
          </Typography.Text>
        </span>
      }
      description={`${rateCeilingWorking(limit)}${cap}。申请金额与核定金额均不能超过该上限。`}
    />
  );
}

/** The fields of an application, shared by submission and by editing a returned one. */
export function ApplicationFields({ policies }: { policies: FundPolicy[] }) {
  const policyId = Form.useWatch<string | undefined>('policyId');
  const baseText = Form.useWatch<string | undefined>('eligibleBaseYuan');
  const policy = policies.find((item) => item.id === policyId);
  const rateBased = policy?.standardKind === 'rate';
  return (
    <>
      <Form.Item name="policyId" label="资金政策" rules={[{ required: true, message: '请选择资金政策' }]}>
        <Select
          placeholder="选择适用的资金政策"
          data-testid="application-policy"
          options={policies.map((item) => ({
            value: item.id,
            label: `${item.name}（${supportModeLabels[item.supportMode]} · ${sourceLabels[item.source]} · ${item.documentNumber}）`,
          }))}
        />
      </Form.Item>
      <Form.Item name="title" label="申请事项" rules={[{ required: true, message: '请填写申请事项' }]}>
        <Input maxLength={100} data-testid="application-title" />
      </Form.Item>
      <Form.Item name="description" label="申请说明" rules={[{ required: true, message: '请填写申请说明' }]}>
        <Input.TextArea rows={4} maxLength={5000} data-testid="application-description" />
      </Form.Item>
      {policy && rateBased && (
        <>
          <Form.Item
            name="eligibleBaseYuan"
            label={`${eligibleBaseLabel(policy.supportMode)}（元）`}
            extra={eligibleBaseHints[policy.supportMode]}
            rules={[{ required: true, message: `请填写${eligibleBaseLabel(policy.supportMode)}` }, yuanRule]}
          >
            <Input placeholder="如 456789.01" suffix="元" data-testid="application-eligible-base" />
          </Form.Item>
          <RateCeilingNote policy={policy} baseText={baseText} />
        </>
      )}
      <Form.Item
        name="requestedYuan"
        label="申请金额（元）"
        dependencies={['eligibleBaseYuan', 'policyId']}
        rules={[
          { required: true, message: '请填写申请金额' },
          yuanRule,
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              const chosen = policies.find((item) => item.id === getFieldValue('policyId'));
              const limit = typedRateLimit(chosen, getFieldValue('eligibleBaseYuan'));
              const fen = typedFen(value);
              // The same rule the server applies, so the applicant sees it before submitting.
              if (limit && fen !== null) {
                const problems = rateLimitProblems(fen, limit);
                if (problems.length > 0) throw new Error(problems.join('，'));
              }
            },
          }),
        ]}
      >
        <Input placeholder="如 1200000.00" suffix="元" data-testid="application-amount" />
      </Form.Item>
    </>
  );
}

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  return (
    <Tag color={statusColors[status]} data-testid="application-status">
      {statusLabels[status]}
    </Tag>
  );
}

const applicationColumns: TableColumnsType<ApplicationSummary> = [
  {
    title: '申请事项',
    dataIndex: 'title',
    width: 220,
    fixed: 'start',
    render: (title: string, row) => (
      <Link to={`/funds/applications/${row.id}`} data-testid={`application-link-${row.id}`}>
        {title}
      </Link>
    ),
  },
  { title: '申请主体', dataIndex: 'applicantName', width: 240 },
  { title: 'e镇', dataIndex: 'etownName', width: 140 },
  { title: '资金政策', dataIndex: 'policyName', width: 220 },
  {
    title: '来源',
    dataIndex: 'source',
    width: 100,
    render: (source: keyof typeof sourceLabels) => sourceLabels[source],
  },
  {
    title: '申请金额',
    dataIndex: 'requestedYuan',
    width: 150,
    align: 'right',
    render: (value: string) => formatYuan(value),
  },
  {
    title: '核定金额',
    dataIndex: 'approvedYuan',
    width: 150,
    align: 'right',
    render: (value: string | null) => formatYuan(value),
  },
  {
    title: '已拨付',
    dataIndex: 'paidYuan',
    width: 150,
    align: 'right',
    render: (value: string) => formatYuan(value),
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (value: ApplicationStatus) => <ApplicationStatusTag status={value} />,
  },
  { title: '提交时间', dataIndex: 'createdAt', width: 170, render: formatDateTime },
];

type ApplicationFiltersProps = {
  status: ApplicationStatus | undefined;
  policyId: string | undefined;
  policies: FundPolicy[];
  onKeywordChange: (keyword: string) => void;
  onStatusChange: (status: ApplicationStatus | undefined) => void;
  onPolicyChange: (policyId: string | undefined) => void;
};

function ApplicationFilters({
  status,
  policyId,
  policies,
  onKeywordChange,
  onStatusChange,
  onPolicyChange,
}: ApplicationFiltersProps) {
  return (
    <Space style={{ marginBottom: 16 }} wrap size={[12, 12]}>
      <Input.Search
        placeholder="按申请事项或主体名称搜索"
        allowClear
        onSearch={onKeywordChange}
        style={{ width: 260 }}
        data-testid="application-search"
      />
      <Select
        allowClear
        placeholder="全部状态"
        style={{ width: 140 }}
        value={status}
        onChange={onStatusChange}
        options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))}
        data-testid="application-filter-status"
      />
      <Select
        allowClear
        placeholder="全部政策"
        style={{ width: 260 }}
        value={policyId}
        onChange={onPolicyChange}
        options={policies.map((policy) => ({ value: policy.id, label: policy.name }))}
      />
    </Space>
  );
}

type ApplicationModalProps = {
  /** The idempotency key of the open form, or null when it is closed. */
  applying: string | null;
  onClose: () => void;
  /** The policies one may apply under today. */
  policies: FundPolicy[];
};

function ApplicationModal({ applying, onClose, policies }: ApplicationModalProps) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const submit = async (values: ApplicationFormValues) => {
    const created = await unwrap(
      apiClient.POST('/api/funds/applications', {
        params: { header: { 'idempotency-key': applying ?? newIdempotencyKey() } },
        body: values,
      }),
    );
    message.success('申请已提交，请上传证明材料');
    navigate(`/funds/applications/${created.id}`);
  };
  return (
    <FormModal<ApplicationFormValues>
      key={applying ?? 'closed'}
      title="提交资金申请"
      open={applying !== null}
      onClose={onClose}
      onSubmit={submit}
      okText="提交申请"
      testId="application-form"
      fieldNames={applicationFieldNames}
      width={640}
    >
      <ApplicationFields policies={policies} />
    </FormModal>
  );
}

export function FundApplicationsPage() {
  const me = useMe();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [status, setStatus] = useState<ApplicationStatus | undefined>();
  const [policyId, setPolicyId] = useState<string | undefined>();
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [applying, setApplying] = useState<string | null>(null);

  const policies = useLoader(() => unwrap(apiClient.GET('/api/funds/policies')), 'policies');
  const query = {
    regionCode: me.role === 'enterprise' ? undefined : (currentCode ?? undefined),
    status,
    policyId,
    keyword: keyword.trim() || undefined,
    page,
    pageSize,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/funds/applications', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  const resetPage =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPage(1);
    };

  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '资金申请' }]}
        subtitle="企业或e镇运营主体按政策申请 → 县级审核核定 → 分期拨付 → 结算"
        extra={
          can.applyFunds(me.role) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setApplying(newIdempotencyKey())}
              data-testid="application-create"
            >
              提交资金申请
            </Button>
          )
        }
      />
      <FundsNav />
      <Card>
        <ApplicationFilters
          status={status}
          policyId={policyId}
          policies={policies.data ?? []}
          onKeywordChange={resetPage(setKeyword)}
          onStatusChange={resetPage(setStatus)}
          onPolicyChange={resetPage(setPolicyId)}
        />
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<ApplicationSummary>
            rowKey="id"
            size="middle"
            loading={list.loading || regionsLoading}
            dataSource={list.data?.items ?? []}
            data-testid="application-table"
            locale={{ emptyText: '暂无资金申请' }}
            scroll={{ x: 1200 }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => `共 ${total} 项申请`,
              onChange: (next, size) => {
                setPage(size === pageSize ? next : 1);
                setPageSize(size);
              },
            }}
            columns={applicationColumns}
          />
        )}
      </Card>
      <ApplicationModal
        applying={applying}
        onClose={() => setApplying(null)}
        policies={(policies.data ?? []).filter((policy) => policy.validToday)}
      />
    </>
  );
}
