import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type {
  AuthorizationDetail,
  AuthorizationSummary,
  BrandDetail,
  EffectiveAuthorizationStatus,
} from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, formatMinute, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { authorizationActionLabels, effectiveStatusColors, effectiveStatusLabels } from './brand-types.ts';

const day = (value: Dayjs) => value.format('YYYY-MM-DD');
const today = () => dayjs(todayInShanghai());

export function AuthorizationStatusTag({ status }: { status: EffectiveAuthorizationStatus }) {
  return (
    <Tag color={effectiveStatusColors[status]} data-testid="authorization-status">
      {effectiveStatusLabels[status]}
    </Tag>
  );
}

type Action = 'authorize' | 'reject' | 'suspend' | 'reinstate' | 'revoke' | 'renew' | 'supervise';

const reasonActions = {
  reject: { title: '驳回申请', label: '驳回理由', okText: '驳回', danger: true },
  suspend: { title: '暂停授权', label: '暂停理由', okText: '暂停授权', danger: true },
  reinstate: { title: '恢复授权', label: '恢复理由', okText: '恢复授权', danger: false },
  revoke: { title: '撤销授权（退出）', label: '撤销理由', okText: '撤销授权', danger: true },
} as const;

/** The actions an authorization's status allows, as the server's transition table does. */
function actionsFor(row: AuthorizationSummary): Action[] {
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

const actionButtonLabels: Record<Action, string> = {
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

/** The brand's authorizations: apply, review, supervise, suspend, renew, revoke — each with its reason. */
export function AuthorizationPanel({ brand, onChanged }: { brand: BrandDetail; onChanged: () => void }) {
  const me = useMe();
  const { message, modal } = App.useApp();
  const [applying, setApplying] = useState(false);
  const [pending, setPending] = useState<{
    action: Action;
    row: AuthorizationSummary;
    reason?: string;
  } | null>(null);
  const reviewer = can.reviewBrandAuthorizations(me.role);
  const mayApply = can.applyBrandAuthorization(me.role) && brand.kind === 'regional_public';
  const isEnterprise = me.role === 'enterprise';
  const entities = useLoader(
    mayApply && !isEnterprise
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: { query: { regionCode: brand.etownCode.slice(0, 6), status: 'active', pageSize: 200 } },
            }),
          )
      : null,
    brand.id,
  );
  const close = () => setPending(null);
  /** Runs a review action on the authorization the open modal is about. */
  const act = async (
    call: (row: AuthorizationSummary) => Promise<{ data?: AuthorizationDetail; response: Response }>,
    done: string,
  ) => {
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
          columns={[
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
                            onClick={() => setPending({ action, row })}
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
          ]}
        />
      )}

      <FormModal<{ entityId: string; productNames: string[]; applicationNote?: string }>
        title={`申请使用“${brand.name}”`}
        open={applying}
        onClose={() => setApplying(false)}
        testId="apply-modal"
        okText="提交申请"
        fieldNames={['entityId', 'productNames', 'applicationNote']}
        onSubmit={async (values) => {
          // An enterprise user applies for its own entity (the server checks it is theirs).
          const entityId = isEnterprise ? (me.scope.entityId ?? '') : values.entityId;
          const body = {
            brandId: brand.id,
            entityId,
            productNames: values.productNames.map((name) => name.trim()).filter(Boolean),
            applicationNote: values.applicationNote?.trim() || null,
          };
          await apiClient.POST('/api/brand-authorizations', { body });
          message.success('申请已提交，等待县级对照品牌标准审核');
          onChanged();
        }}
      >
        {!isEnterprise && (
          <Form.Item name="entityId" label="申请主体" rules={[{ required: true, message: '请选择申请主体' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={entities.loading}
              options={(entities.data?.items ?? []).map((entity) => ({
                value: entity.id,
                label: entity.name,
              }))}
              placeholder="选择本县的市场主体"
              data-testid="apply-entity"
            />
          </Form.Item>
        )}
        <Form.Item
          name="productNames"
          label="申请使用品牌的产品"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少填写一个产品' }]}
          extra="输入产品名称后按回车，可填写多个"
        >
          <Select mode="tags" open={false} placeholder="如：垣曲猴头菇干品" data-testid="apply-products" />
        </Form.Item>
        <Form.Item name="applicationNote" label="申请说明">
          <Input.TextArea rows={3} maxLength={2000} placeholder="基地、认证、检测等符合品牌标准的情况" />
        </Form.Item>
      </FormModal>

      <FormModal<{ term: [Dayjs, Dayjs]; certificateNumber?: string; reason?: string }>
        title={`审核授权：${pending?.row.entityName ?? ''}`}
        open={pending?.action === 'authorize'}
        onClose={close}
        testId="authorize-modal"
        okText="审核通过并授权"
        fieldNames={['validTo', 'certificateNumber']}
        initialValues={{ term: [today(), today().add(3, 'year').subtract(1, 'day')] }}
        onSubmit={async (values) => {
          const body = {
            validFrom: day(values.term[0]),
            validTo: day(values.term[1]),
            certificateNumber: values.certificateNumber?.trim() || null,
            reason: values.reason?.trim() || null,
          };
          await act(
            (row) =>
              apiClient.POST('/api/brand-authorizations/{id}/authorize', {
                params: { path: { id: row.id } },
                body: { ...body, version: row.version },
              }),
            '已授权，证书编号已生成',
          );
        }}
      >
        {brand.standardText && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16, whiteSpace: 'pre-wrap' }}
            title="请对照品牌标准审核"
            description={brand.standardText}
          />
        )}
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="申请产品">{pending?.row.productNames.join('、')}</Descriptions.Item>
          <Descriptions.Item label="申请说明">{pending?.row.applicationNote ?? '—'}</Descriptions.Item>
        </Descriptions>
        <Form.Item name="term" label="授权有效期" rules={[{ required: true, message: '请选择授权有效期' }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="authorize-term" />
        </Form.Item>
        <Form.Item
          name="certificateNumber"
          label="证书编号"
          extra="不填则按品牌拼音首字母与年份自动生成，如 YQLB-2026-0001"
          rules={[{ pattern: /^[0-9A-Za-z-]{4,40}$/, message: '证书编号须为 4–40 位字母、数字或短横线' }]}
        >
          <Input maxLength={40} placeholder="自动生成" />
        </Form.Item>
        <Form.Item name="reason" label="审核意见">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>

      {(['reject', 'suspend', 'reinstate', 'revoke'] as const).map((action) => (
        <FormModal<{ reason: string }>
          key={action}
          title={`${reasonActions[action].title}：${pending?.row.entityName ?? ''}`}
          open={pending?.action === action}
          onClose={close}
          testId={`${action}-modal`}
          okText={reasonActions[action].okText}
          danger={reasonActions[action].danger}
          fieldNames={['reason']}
          initialValues={{ reason: pending?.reason }}
          onSubmit={async (values) => {
            await act(
              (row) =>
                apiClient.POST(`/api/brand-authorizations/{id}/${action}`, {
                  params: { path: { id: row.id } },
                  body: { version: row.version, reason: values.reason.trim() },
                }),
              `已${reasonActions[action].okText}`,
            );
          }}
        >
          {action === 'revoke' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title="撤销后不可恢复，扫码页立即不再显示该品牌；主体如需再次使用须重新申请。"
            />
          )}
          <Form.Item
            name="reason"
            label={reasonActions[action].label}
            rules={[{ required: true, whitespace: true, message: `请填写${reasonActions[action].label}` }]}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid={`${action}-reason`} />
          </Form.Item>
        </FormModal>
      ))}

      <FormModal<{ validTo: Dayjs; reason?: string }>
        title={`授权续期：${pending?.row.entityName ?? ''}`}
        open={pending?.action === 'renew'}
        onClose={close}
        testId="renew-modal"
        okText="续期"
        fieldNames={['validTo']}
        onSubmit={async (values) => {
          await act(
            (row) =>
              apiClient.POST('/api/brand-authorizations/{id}/renew', {
                params: { path: { id: row.id } },
                body: {
                  version: row.version,
                  validTo: day(values.validTo),
                  reason: values.reason?.trim() || null,
                },
              }),
            '已续期',
          );
        }}
      >
        <Typography.Paragraph type="secondary">
          当前有效期至 {formatDate(pending?.row.validTo)}。
        </Typography.Paragraph>
        <Form.Item
          name="validTo"
          label="新的截止日"
          rules={[
            { required: true, message: '请选择新的截止日' },
            {
              validator: (_, value: Dayjs | undefined) =>
                !value || !pending?.row.validTo || day(value) > pending.row.validTo
                  ? Promise.resolve()
                  : Promise.reject(new Error('新的截止日须晚于当前截止日')),
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="续期说明">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>

      <FormModal<{ checkedOn: Dayjs; result: 'pass' | 'fail'; findings: string }>
        title={`监督检查：${pending?.row.entityName ?? ''}`}
        open={pending?.action === 'supervise'}
        onClose={close}
        testId="supervise-modal"
        okText="记录检查"
        fieldNames={['checkedOn', 'findings']}
        initialValues={{ checkedOn: today(), result: 'pass' }}
        onSubmit={async (values) => {
          const body = {
            checkedOn: day(values.checkedOn),
            result: values.result,
            findings: values.findings.trim(),
          };
          const saved = await act(
            (row) =>
              apiClient.POST('/api/brand-authorizations/{id}/supervision-checks', {
                params: { path: { id: row.id } },
                body,
              }),
            '已记录监督检查',
          );
          onSupervised(saved);
        }}
      >
        <Form.Item name="checkedOn" label="检查日期" rules={[{ required: true, message: '请选择检查日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(value) => value.isAfter(today(), 'day')} />
        </Form.Item>
        <Form.Item name="result" label="检查结论">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'pass', label: '合格' },
              { value: 'fail', label: '不合格' },
            ]}
            data-testid="supervise-result"
          />
        </Form.Item>
        <Form.Item
          name="findings"
          label="检查情况"
          rules={[{ required: true, whitespace: true, message: '请填写检查情况' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="supervise-findings" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
