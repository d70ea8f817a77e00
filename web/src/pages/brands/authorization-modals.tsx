import { Alert, App, DatePicker, Descriptions, Form, Input, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { apiClient, unwrap } from '../../api/client.ts';
import type { AuthorizationDetail, AuthorizationSummary, BrandDetail } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';

const day = (value: Dayjs) => value.format('YYYY-MM-DD');
const today = () => dayjs(todayInShanghai());

export type AuthorizationAction =
  | 'authorize'
  | 'reject'
  | 'suspend'
  | 'reinstate'
  | 'revoke'
  | 'renew'
  | 'supervise';

/** The action a reviewer chose on one authorization, with a reason to start from when one is suggested. */
export type PendingAction = { action: AuthorizationAction; row: AuthorizationSummary; reason?: string };

/** Runs a review action on the pending authorization and reports it; answers the authorization as saved. */
export type ActOnPending = (
  call: (row: AuthorizationSummary) => Promise<{ data?: AuthorizationDetail; response: Response }>,
  done: string,
) => Promise<AuthorizationDetail>;

type ReviewModalProps = { pending: PendingAction | null; onClose: () => void; act: ActOnPending };

const reasonActions = {
  reject: { title: '驳回申请', label: '驳回理由', okText: '驳回', danger: true },
  suspend: { title: '暂停授权', label: '暂停理由', okText: '暂停授权', danger: true },
  reinstate: { title: '恢复授权', label: '恢复理由', okText: '恢复授权', danger: false },
  revoke: { title: '撤销授权（退出）', label: '撤销理由', okText: '撤销授权', danger: true },
} as const;

export function ApplyModal({
  brand,
  mayApply,
  open,
  onClose,
  onChanged,
}: {
  brand: BrandDetail;
  mayApply: boolean;
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const me = useMe();
  const { message } = App.useApp();
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
  return (
    <FormModal<{ entityId: string; productNames: string[]; applicationNote?: string }>
      title={`申请使用“${brand.name}”`}
      open={open}
      onClose={onClose}
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
  );
}

export function AuthorizeModal({ brand, pending, onClose, act }: ReviewModalProps & { brand: BrandDetail }) {
  return (
    <FormModal<{ term: [Dayjs, Dayjs]; certificateNumber?: string; reason?: string }>
      title={`审核授权：${pending?.row.entityName ?? ''}`}
      open={pending?.action === 'authorize'}
      onClose={onClose}
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
  );
}

/** One modal per action that needs only a reason: reject, suspend, reinstate, revoke. */
export function ReasonModals({ pending, onClose, act }: ReviewModalProps) {
  return (
    <>
      {(['reject', 'suspend', 'reinstate', 'revoke'] as const).map((action) => (
        <FormModal<{ reason: string }>
          key={action}
          title={`${reasonActions[action].title}：${pending?.row.entityName ?? ''}`}
          open={pending?.action === action}
          onClose={onClose}
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
    </>
  );
}

export function RenewModal({ pending, onClose, act }: ReviewModalProps) {
  return (
    <FormModal<{ validTo: Dayjs; reason?: string }>
      title={`授权续期：${pending?.row.entityName ?? ''}`}
      open={pending?.action === 'renew'}
      onClose={onClose}
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
  );
}

export function SuperviseModal({
  pending,
  onClose,
  act,
  onSupervised,
}: ReviewModalProps & { onSupervised: (saved: AuthorizationDetail) => void }) {
  return (
    <FormModal<{ checkedOn: Dayjs; result: 'pass' | 'fail'; findings: string }>
      title={`监督检查：${pending?.row.entityName ?? ''}`}
      open={pending?.action === 'supervise'}
      onClose={onClose}
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
  );
}
