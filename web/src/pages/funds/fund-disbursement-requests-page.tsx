import { App, Card, Segmented, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CountyFundSettings, DisbursementRequestItem } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink, useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  type DisbursementRequestStatus,
  disbursementRequestStatusColors,
  disbursementRequestStatusLabels,
  formatYuan,
  newIdempotencyKey,
} from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

/**
 * 拨付需县财政局审批: the county's switch, shown for the county the header points at (or below it).
 * The county operator turns it on or off; everyone else sees how the county pays.
 */
function CountySettingCard({ countyCode }: { countyCode: string }) {
  const me = useMe();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const settings = useLoader<CountyFundSettings>(
    () =>
      unwrap(apiClient.GET('/api/funds/county-settings/{countyCode}', { params: { path: { countyCode } } })),
    countyCode,
  );
  const editable = can.setCountyFundSettings(me.role);
  const change = async (required: boolean) => {
    setSaving(true);
    try {
      const saved = await unwrap(
        apiClient.PUT('/api/funds/county-settings/{countyCode}', {
          params: { path: { countyCode }, header: { 'idempotency-key': newIdempotencyKey() } },
          body: { disbursementApprovalRequired: required, version: settings.data?.version ?? null },
        }),
      );
      message.success(required ? '已开启：拨付须经县财政局审批' : '已关闭：县级直接登记拨付');
      settings.setData(saved);
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale?.current) {
        // Someone switched it meanwhile: show the setting as it is now.
        message.warning(STALE_RECORD_MESSAGE);
        settings.setData(stale.current as CountyFundSettings);
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  if (settings.error) return <ErrorState message={settings.error} onRetry={settings.reload} />;
  const data = settings.data;
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="county-fund-settings">
      <Space wrap>
        <Typography.Text strong>{data?.countyName ?? countyCode}：拨付需县财政局审批</Typography.Text>
        <Switch
          checked={data?.disbursementApprovalRequired ?? false}
          loading={settings.loading || saving}
          disabled={!editable}
          onChange={(checked) => void change(checked)}
          data-testid="county-fund-settings-switch"
        />
        <Typography.Text type="secondary">
          {data?.disbursementApprovalRequired
            ? '县级提交拨付申请，县财政局批准后拨付。'
            : '县级直接登记拨付。'}
          {data?.updatedByName ? `（${data.updatedByName} 于 ${formatDateTime(data.updatedAt)} 设置）` : ''}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/** 拨付审批: the county's disbursement requests; the finance bureau opens each to approve or return it. */
export function FundDisbursementRequestsPage() {
  const me = useMe();
  const regionLink = useRegionLink();
  const { currentCode, loading: regionsLoading } = useRegions();
  const [status, setStatus] = useState<DisbursementRequestStatus | 'all'>(
    can.approveDisbursements(me.role) ? 'pending' : 'all',
  );
  const query = { regionCode: currentCode ?? undefined, status: status === 'all' ? undefined : status };
  const requests = useLoader(
    regionsLoading
      ? null
      : (): Promise<DisbursementRequestItem[]> =>
          unwrap(apiClient.GET('/api/funds/disbursement-requests', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  // The county the header points at, or the one it lies in (an e-town).
  const countyCode = currentCode && currentCode.length >= 6 ? currentCode.slice(0, 6) : null;
  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '拨付审批' }]}
        subtitle="县设置“拨付需县财政局审批”后，每期拨付先由县级提交申请，县财政局批准后拨付、退回则不拨付"
      />
      <FundsNav />
      {countyCode ? (
        <CountySettingCard countyCode={countyCode} />
      ) : (
        <Typography.Paragraph type="secondary">
          在页头选择一个县，可查看该县的拨付审批设置。
        </Typography.Paragraph>
      )}
      <Card>
        <Segmented<DisbursementRequestStatus | 'all'>
          value={status}
          onChange={setStatus}
          style={{ marginBottom: 16 }}
          options={[
            { value: 'pending', label: '待审批' },
            { value: 'approved', label: '已批准' },
            { value: 'returned', label: '已退回' },
            { value: 'all', label: '全部' },
          ]}
          data-testid="disbursement-request-filter"
        />
        {requests.error ? (
          <ErrorState message={requests.error} onRetry={requests.reload} />
        ) : (
          <Table<DisbursementRequestItem>
            rowKey="id"
            size="middle"
            loading={requests.loading || regionsLoading}
            dataSource={requests.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="disbursement-request-table"
            locale={{ emptyText: status === 'pending' ? '没有待审批的拨付申请' : '没有拨付申请' }}
            columns={[
              {
                title: '资金申请',
                dataIndex: 'applicationTitle',
                render: (title: string, item) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={regionLink(`/funds/applications/${item.applicationId}`)}>{title}</Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {item.applicantName} · {item.etownName}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: '拨付金额',
                dataIndex: 'amountYuan',
                align: 'right',
                width: 170,
                render: (value: string) => formatYuan(value),
              },
              { title: '凭证号', dataIndex: 'voucherNumber', width: 140 },
              {
                title: '申请',
                dataIndex: 'requestedAt',
                width: 200,
                render: (at: string, item) => `${item.requestedByName ?? '—'}，${formatDateTime(at)}`,
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 200,
                render: (value: DisbursementRequestStatus, item) => (
                  <Space orientation="vertical" size={0}>
                    <Tag color={disbursementRequestStatusColors[value]}>
                      {disbursementRequestStatusLabels[value]}
                      {item.instalment ? `（第 ${item.instalment} 期）` : ''}
                    </Tag>
                    {item.decidedAt && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {item.decidedByName ?? '—'}，{formatDateTime(item.decidedAt)}
                        {item.decisionNote ? `：${item.decisionNote}` : ''}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: '',
                width: 90,
                render: (_: unknown, item) => (
                  <Link
                    to={regionLink(`/funds/applications/${item.applicationId}`)}
                    data-testid={`disbursement-request-open-${item.id}`}
                  >
                    {item.status === 'pending' && can.approveDisbursements(me.role) ? '审批' : '查看'}
                  </Link>
                ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
