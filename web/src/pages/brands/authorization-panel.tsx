import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type {
  AuthorizationDetail,
  AuthorizationSummary,
  BrandDetail,
  EffectiveAuthorizationStatus,
} from '../../api/types.ts';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  type ActOnPending,
  ApplyModal,
  type AuthorizationAction,
  AuthorizeModal,
  type PendingAction,
  ReasonModals,
  RenewModal,
  SuperviseModal,
} from './authorization-modals.tsx';
import { authorizationActionLabels, effectiveStatusColors, effectiveStatusLabels } from './brand-types.ts';

export function AuthorizationStatusTag({ status }: { status: EffectiveAuthorizationStatus }) {
  return (
    <Tag color={effectiveStatusColors[status]} data-testid="authorization-status">
      {effectiveStatusLabels[status]}
    </Tag>
  );
}

/** The actions an authorization's status allows, as the server's transition table does. */
function actionsFor(row: AuthorizationSummary): AuthorizationAction[] {
  switch (row.status) {
    case 'applied':
      return ['authorize', 'reject'];
    case 'authorized':
      return ['supervise', 'suspend', 'renew', 'revoke'];
    case 'suspended':
      return ['supervise', 'reinstate', 'revoke'];
    default:
      return [];
  }
}

const actionButtonLabels: Record<AuthorizationAction, string> = {
  authorize: '审核授权',
  reject: '驳回',
  suspend: '暂停',
  reinstate: '恢复',
  revoke: '撤销',
  renew: '续期',
  supervise: '监督检查',
};

function AuthorizationHistory({ id, version }: { id: string; version: number }) {
  const detail = useLoader(
    () => unwrap(apiClient.GET('/api/brand-authorizations/{id}', { params: { path: { id } } })),
    `${id}|${version}`,
  );
  if (detail.loading && !detail.data) return <LoadingState />;
  if (!detail.data) return <ErrorState message={detail.error ?? '加载失败'} onRetry={detail.reload} />;
  const data = detail.data;
  return (
    <div style={{ display: 'flex', gap: 32, flexWrap: 'wrap' }} data-testid={`authorization-history-${id}`}>
      <div style={{ flex: '1 1 320px' }}>
        <Typography.Title level={5}>过程记录</Typography.Title>
        <Timeline
          items={data.events.map((event) => ({
            key: event.id,
            color:
              event.action === 'revoked' || event.action === 'rejected'
                ? 'red'
                : event.action === 'suspended'
                  ? 'orange'
                  : 'green',
            content: (
              <>
                <Typography.Text strong>
                  {authorizationActionLabels[event.action] ?? event.action}
                </Typography.Text>
                {event.reason && <div>{event.reason}</div>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {event.actorName ?? '—'} · {formatMinute(event.at)}
                </Typography.Text>
              </>
            ),
          }))}
        />
      </div>
      <div style={{ flex: '1 1 320px' }}>
        <Typography.Title level={5}>监督检查</Typography.Title>
        {data.supervisionChecks.length === 0 ? (
          <Typography.Text type="secondary">尚无监督检查记录；授权后应定期对照品牌标准检查。</Typography.Text>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {data.supervisionChecks.map((check) => (
              <div key={check.id}>
                <Space>
                  <Tag color={check.result === 'pass' ? 'green' : 'red'}>
                    {check.result === 'pass' ? '合格' : '不合格'}
                  </Tag>
                  <Typography.Text>{formatDate(check.checkedOn)}</Typography.Text>
                  <Typography.Text type="secondary">{check.inspectorName ?? ''}</Typography.Text>
                </Space>
                <div>{check.findings}</div>
              </div>
            ))}
          </Space>
        )}
      </div>
    </div>
  );
}

/** Entity, products, status, certificate and last check; the review buttons are added for reviewers. */
function authorizationColumns({
  reviewer,
  onAction,
}: {
  reviewer: boolean;
  onAction: (pending: PendingAction) => void;
}): TableColumnsType<AuthorizationSummary> {
  return [
    {
      title: '市场主体',
      dataIndex: 'entityName',
      width: 220,
      render: (name: string, row) => <span data-testid={`authorization-row-${row.id}`}>{name}</span>,
    },
    {
      title: '申请产品',
      dataIndex: 'productNames',
      render: (names: string[]) => (
        <Space size={[0, 4]} wrap>
          {names.map((name) => (
            <Tag key={name}>{name}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: '状态',
      dataIndex: 'effectiveStatus',
      width: 110,
      render: (status: EffectiveAuthorizationStatus, row) => (
        <Space orientation="vertical" size={0}>
          <AuthorizationStatusTag status={status} />
          {row.statusReason && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.statusReason}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: '证书编号 / 有效期',
      width: 220,
      render: (_: unknown, row) =>
        row.certificateNumber ? (
          <>
            <Typography.Text copyable data-testid="certificate-number">
              {row.certificateNumber}
            </Typography.Text>
            <div>
              <Typography.Text
                type={row.effectiveStatus === 'expired' ? 'warning' : 'secondary'}
                style={{ fontSize: 12 }}
              >
                {formatDate(row.validFrom)} 至 {formatDate(row.validTo)}
              </Typography.Text>
            </div>
          </>
        ) : (
          '—'
        ),
    },
    {
      title: '最近检查',
      dataIndex: 'lastCheck',
      width: 130,
      render: (check: AuthorizationSummary['lastCheck']) =>
        check ? (
          <Tag color={check.result === 'pass' ? 'green' : 'red'}>
            {formatDate(check.checkedOn)} {check.result === 'pass' ? '合格' : '不合格'}
          </Tag>
        ) : (
          '—'
        ),
    },
    ...(reviewer
      ? [
          {
            title: '操作',
            width: 230,
            render: (_: unknown, row: AuthorizationSummary) => (
              <Space size={0} wrap>
                {actionsFor(row).map((action) => (
                  <Button
                    key={action}
                    size="small"
                    type="link"
                    danger={action === 'reject' || action === 'revoke' || action === 'suspend'}
                    onClick={() => onAction({ action, row })}
                    data-testid={`authorization-${action}`}
                  >
                    {actionButtonLabels[action]}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]
      : []),
  ];
}

/** The brand's authorizations: apply, review, supervise, suspend, renew, revoke — each with its reason. */
export function AuthorizationPanel({ brand, onChanged }: { brand: BrandDetail; onChanged: () => void }) {
  const me = useMe();
  const { message, modal } = App.useApp();
  const [applying, setApplying] = useState(false);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const reviewer = can.reviewBrandAuthorizations(me.role);
  const mayApply = can.applyBrandAuthorization(me.role) && brand.kind === 'regional_public';
  const isEnterprise = me.role === 'enterprise';
  const close = () => setPending(null);
  /** Runs a review action on the authorization the open modal is about. */
  const act: ActOnPending = async (call, done) => {
    if (!pending) throw new Error('请先选择要处理的授权');
    const saved = await unwrap(call(pending.row));
    message.success(done);
    onChanged();
    return saved;
  };

  const onSupervised = (saved: AuthorizationDetail) => {
    if (!saved.suspensionSuggested) return;
    modal.confirm({
      title: '监督检查不合格',
      content: `${saved.entityName}未通过本次检查。是否暂停其“${saved.brandName}”授权？暂停后扫码页立即不再显示该品牌。`,
      okText: '暂停授权',
      okButtonProps: { danger: true },
      cancelText: '暂不处理',
      onOk: () => setPending({ action: 'suspend', row: saved, reason: '监督检查不合格' }),
    });
  };

  return (
    <Card
      title="品牌授权"
      data-testid="authorizations-card"
      extra={
        mayApply && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setApplying(true)}
            data-testid="authorization-apply"
          >
            {isEnterprise ? '申请使用本品牌' : '代为申请授权'}
          </Button>
        )
      }
    >
      {brand.kind !== 'regional_public' ? (
        <Typography.Text type="secondary">自主品牌由权利人自行使用，无须授权。</Typography.Text>
      ) : (
        <Table<AuthorizationSummary>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={brand.authorizations}
          data-testid="authorization-table"
          scroll={{ x: 900 }}
          expandable={{
            expandedRowRender: (row) => <AuthorizationHistory id={row.id} version={row.version} />,
          }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  mayApply
                    ? `还没有主体申请使用“${brand.name}”。点击右上角“${isEnterprise ? '申请使用本品牌' : '代为申请授权'}”提交申请。`
                    : `还没有主体申请使用“${brand.name}”。`
                }
              />
            ),
          }}
          columns={authorizationColumns({ reviewer, onAction: setPending })}
        />
      )}

      <ApplyModal
        brand={brand}
        mayApply={mayApply}
        open={applying}
        onClose={() => setApplying(false)}
        onChanged={onChanged}
      />

      <AuthorizeModal brand={brand} pending={pending} onClose={close} act={act} />

      <ReasonModals pending={pending} onClose={close} act={act} />

      <RenewModal pending={pending} onClose={close} act={act} />

      <SuperviseModal pending={pending} onClose={close} act={act} onSupervised={onSupervised} />
    </Card>
  );
}
