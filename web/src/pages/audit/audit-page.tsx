import { DownloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { AuditRecord, AuditResult, AuditVerification } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { auditResultColors, auditResultLabels, roleLabels } from '../../labels.ts';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime, shanghaiDayEnd, shanghaiDayStart } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { AuditDiff } from './audit-diff.tsx';
import { actionLabel, targetTypeLabels } from './audit-labels.ts';

type Filters = {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
};

type Query = { page: number; pageSize: number; filters: Filters };

/** The list request for the filter form's values: dates become Beijing day bounds, texts are trimmed. */
function auditQueryOf({ page, pageSize, filters }: Query, regionCode: string | undefined) {
  return {
    page,
    pageSize,
    from: filters.range?.[0] ? shanghaiDayStart(filters.range[0]) : undefined,
    to: filters.range?.[1] ? shanghaiDayEnd(filters.range[1]) : undefined,
    username: filters.username?.trim(),
    action: filters.action,
    targetType: filters.targetType?.trim(),
    targetId: filters.targetId?.trim() || undefined,
    result: filters.result,
    regionCode,
  };
}

/** Checking the hash chain and exporting its anchors, the auditor's two buttons. */
function useChainCheck() {
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerification(await unwrap(apiClient.GET('/api/audit/verify')));
    } catch (failure) {
      setVerifyError(errorMessage(failure));
    } finally {
      setVerifying(false);
    }
  };

  // The anchors live outside the database; the auditor keeps a copy of them elsewhere (ADR 013).
  const exportAnchors = async () => {
    try {
      const { anchors } = await unwrap(apiClient.GET('/api/audit/anchors'));
      const text = anchors.map((anchor) => `${JSON.stringify(anchor)}\n`).join('');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
      link.download = `audit-anchors-${new Date().toISOString().slice(0, 10)}.jsonl`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      setVerifyError(errorMessage(failure));
    }
  };
  return { verifying, verification, setVerification, verifyError, verify, exportAnchors };
}

function VerificationAlert({
  verification,
  onClose,
}: {
  verification: AuditVerification;
  onClose: () => void;
}) {
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type={verification.ok ? 'success' : 'error'}
      showIcon
      data-testid="verify-result"
      closable={{ onClose }}
      title={
        verification.ok
          ? `哈希链完整：已校验 ${verification.records} 条记录，未发现篡改${verification.anchors ? `；链尾与 ${verification.anchors} 个链锚相符` : ''}。`
          : `哈希链断裂：在第 ${verification.brokenAtId ?? '?'} 号记录处校验失败。`
      }
      description={
        verification.ok ? undefined : (verification.reason ?? '记录可能被篡改或删除，请立即上报。')
      }
    />
  );
}

type AuditFilterFormProps = {
  form: FormInstance<Filters>;
  linked: Filters;
  actions: string[];
  onSearch: (filters: Filters) => void;
  onReset: () => void;
};

function AuditFilterForm({ form, linked, actions, onSearch, onReset }: AuditFilterFormProps) {
  return (
    <Form
      form={form}
      initialValues={linked}
      layout="inline"
      onFinish={onSearch}
      style={{ marginBottom: 16, rowGap: 12 }}
      data-testid="audit-filters"
    >
      <Form.Item name="range" label="日期">
        <DatePicker.RangePicker allowEmpty={[true, true]} />
      </Form.Item>
      <Form.Item name="username" label="用户名">
        <Input allowClear placeholder="精确匹配" style={{ width: 150 }} />
      </Form.Item>
      <Form.Item name="action" label="操作">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 190 }}
          showSearch={{ optionFilterProp: 'label' }}
          options={actions.map((action) => ({ value: action, label: actionLabel(action) }))}
        />
      </Form.Item>
      <Form.Item name="targetType" label="对象类型">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 130 }}
          options={Object.entries(targetTypeLabels).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="targetId" label="对象编号">
        <Input allowClear placeholder="精确匹配" style={{ width: 150 }} data-testid="audit-target-id" />
      </Form.Item>
      <Form.Item name="result" label="结果">
        <Select
          allowClear
          placeholder="全部"
          style={{ width: 100 }}
          options={Object.entries(auditResultLabels).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onReset();
            }}
          >
            重置
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}

function AuditRecordDetail({ record }: { record: AuditRecord }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <AuditDiff diff={record.diff} />
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'hash',
            label: '本条哈希（SM3）',
            children: <span className="hash-text">{record.hash}</span>,
          },
          {
            key: 'previous',
            label: '上一条哈希',
            children: <span className="hash-text">{record.previousHash}</span>,
          },
          { key: 'user-id', label: '用户 ID', children: record.userId ?? '—' },
        ]}
      />
    </Space>
  );
}

function auditColumns(regionName: (code: string) => string): TableColumnsType<AuditRecord> {
  return [
    { title: '编号', dataIndex: 'id', width: 80 },
    {
      title: '时间',
      dataIndex: 'at',
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: '用户',
      dataIndex: 'username',
      width: 150,
      render: (username: string | null, record) => (
        <Tooltip
          title={
            record.role ? (roleLabels[record.role as keyof typeof roleLabels] ?? record.role) : undefined
          }
        >
          {username ?? <Typography.Text type="secondary">匿名</Typography.Text>}
        </Tooltip>
      ),
    },
    { title: 'IP', dataIndex: 'ip', width: 130, render: (value: string | null) => value ?? '—' },
    {
      title: '操作',
      dataIndex: 'action',
      width: 140,
      render: (action: string) => (
        <Tooltip title={action}>
          <span>{actionLabel(action)}</span>
        </Tooltip>
      ),
    },
    {
      title: '对象',
      key: 'target',
      render: (_v, record) =>
        record.targetType
          ? `${targetTypeLabels[record.targetType] ?? record.targetType}${record.targetId ? ` · ${record.targetId}` : ''}`
          : '—',
    },
    {
      title: '区划',
      dataIndex: 'regionCode',
      width: 130,
      render: (code: string | null) => (code ? regionName(code) : '—'),
    },
    {
      title: '结果',
      dataIndex: 'result',
      width: 80,
      render: (result: AuditResult) => (
        <Tag color={auditResultColors[result] ?? 'default'}>{auditResultLabels[result] ?? result}</Tag>
      ),
    },
    {
      title: '哈希',
      dataIndex: 'hash',
      width: 120,
      render: (hash: string) => (
        <Tooltip title={hash}>
          <span className="hash-text">{hash.slice(0, 10)}…</span>
        </Tooltip>
      ),
    },
  ];
}

/**
 * The audit log: the auditor reads all of it and verifies the chain; 县纪委监委 reads the records that
 * concern its county (the header's region narrows them), e.g. the trail of one fund application
 * (`?targetType=fund_application&targetId=…`).
 */
export function AuditPage() {
  const me = useMe();
  const [searchParams] = useSearchParams();
  const { currentCode, byCode, loading: regionsLoading } = useRegions();
  const wholeLog = can.verifyAudit(me.role);
  const linked: Filters = {
    targetType: searchParams.get('targetType') ?? undefined,
    targetId: searchParams.get('targetId') ?? undefined,
  };
  const [form] = Form.useForm<Filters>();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20, filters: linked });
  const regionCode = wholeLog ? undefined : (currentCode ?? undefined);
  const [actions, setActions] = useState<string[]>([]);
  const { verifying, verification, setVerification, verifyError, verify, exportAnchors } = useChainCheck();

  useEffect(() => {
    unwrap(apiClient.GET('/api/audit/actions'))
      .then(setActions)
      .catch(() => setActions([]));
  }, []);

  const records = useLoader(
    !wholeLog && regionsLoading
      ? null
      : () => unwrap(apiClient.GET('/api/audit', { params: { query: auditQueryOf(query, regionCode) } })),
    `${JSON.stringify(query)}|${regionCode}|${regionsLoading}`,
  );

  return (
    <>
      <PageHeader
        title="审计日志"
        crumbs={[{ title: '审计日志' }]}
        subtitle={
          wholeLog
            ? '所有写操作与登录记录，只增不改，以 SM3 哈希链串联防篡改。时间均为北京时间。'
            : '本县（页头所选区划）资金、评价、统计、项目、市场主体等业务记录的审计记录，只读；只增不改，以 SM3 哈希链串联防篡改。时间均为北京时间。'
        }
        extra={
          wholeLog && (
            <Space>
              <Button
                icon={<SafetyCertificateOutlined />}
                loading={verifying}
                onClick={() => void verify()}
                data-testid="verify-chain"
              >
                校验哈希链
              </Button>
              <Button
                icon={<DownloadOutlined />}
                onClick={() => void exportAnchors()}
                data-testid="export-anchors"
              >
                导出链锚
              </Button>
            </Space>
          )
        }
      />
      {verification && (
        <VerificationAlert verification={verification} onClose={() => setVerification(null)} />
      )}
      {verifyError && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={verifyError} />}
      <Card>
        <AuditFilterForm
          form={form}
          linked={linked}
          actions={actions}
          onSearch={(filters) => setQuery({ page: 1, pageSize: query.pageSize, filters })}
          onReset={() => setQuery({ page: 1, pageSize: query.pageSize, filters: {} })}
        />
        {records.error ? (
          <ErrorState message={records.error} onRetry={records.reload} />
        ) : (
          <Table<AuditRecord>
            rowKey="id"
            size="small"
            loading={records.loading}
            dataSource={records.data?.items ?? []}
            data-testid="audit-table"
            locale={{ emptyText: '没有符合条件的审计记录' }}
            scroll={{ x: 1100 }}
            pagination={{
              current: query.page,
              pageSize: query.pageSize,
              total: records.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (total) => `共 ${total} 条`,
              onChange: (page, pageSize) =>
                setQuery({ ...query, page: pageSize === query.pageSize ? page : 1, pageSize }),
            }}
            expandable={{
              expandedRowRender: (record) => <AuditRecordDetail record={record} />,
            }}
            columns={auditColumns((code) => byCode.get(code)?.name ?? code)}
          />
        )}
      </Card>
    </>
  );
}
