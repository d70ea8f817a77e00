import { Form, Input, Typography } from 'antd';
import { rateCeilingWorking } from '../../../../src/modules/funds/fund-rate-ceiling.ts';
import { apiClient } from '../../api/client.ts';
import type { ApplicationDetail, FundPolicy } from '../../api/types.ts';
import { ApiError } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import {
  ApplicationFields,
  type ApplicationFormValues,
  applicationFieldNames,
} from './fund-applications-page.tsx';
import { DisbursementModal } from './fund-disbursement-modal.tsx';
import { formatYuan, sourceLabels, typedFen, typedRateLimit, yuanRule } from './fund-types.ts';

export type Dialog = {
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

type Done = (promise: Promise<unknown>, text: string) => Promise<void>;

type DialogProps = {
  application: ApplicationDetail;
  dialog: Dialog;
  close: () => void;
  /** Awaits a write, says `text` and reloads the application. */
  done: Done;
};

function ApproveModal({ application, dialog, close, done }: DialogProps) {
  const id = application.id;
  const rateLimit = typedRateLimit(application.policy, application.eligibleBaseYuan);
  return (
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
  );
}

/** 退回修改 and 不予支持: both ask only for the reason. */
function ReviewReasonModals({ application, dialog, close, done }: DialogProps) {
  const id = application.id;
  return (
    <>
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
    </>
  );
}

function ReturnRequestModal({ dialog, close, done }: Omit<DialogProps, 'application'>) {
  return (
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
  );
}

function SettleModal({ application, dialog, close, done }: DialogProps) {
  const id = application.id;
  return (
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
  );
}

function EditApplicationModal({
  application,
  dialog,
  close,
  done,
  policies,
}: DialogProps & { policies: FundPolicy[] }) {
  const id = application.id;
  return (
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
      <ApplicationFields policies={policies} />
    </FormModal>
  );
}

type ApplicationDialogsProps = DialogProps & {
  /** The disbursement request the finance bureau is deciding on, if any. */
  decidingRequest: ApplicationDetail['disbursementRequests'][number] | undefined;
  /** The policies the applicant may choose when editing. */
  policies: FundPolicy[];
};

/** Every dialog of the page; the one whose kind `dialog` names is open. */
export function ApplicationDialogs({ decidingRequest, policies, ...props }: ApplicationDialogsProps) {
  const { application, dialog, close, done } = props;
  return (
    <>
      <ApproveModal {...props} />
      <ReviewReasonModals {...props} />
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
      <ReturnRequestModal dialog={dialog} close={close} done={done} />
      <SettleModal {...props} />
      <EditApplicationModal {...props} policies={policies} />
    </>
  );
}
