import { DatePicker, Form, Input, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { apiClient } from '../../api/client.ts';
import type { ApplicationDetail } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { displayTimeZone, todayInShanghai } from '../../time.ts';
import { formatYuan, yuanRule } from './fund-types.ts';

/**
 * The three ways money leaves for an instalment: the county pays directly (`disburse`), or, where the
 * county requires the finance bureau's approval, the county asks (`request`) and the bureau approves the
 * request (`approveRequest`), which pays the amount asked for.
 */
export type DisbursementStep = 'disburse' | 'request' | 'approveRequest';

type DisbursementValues = { amountYuan?: string; paidOn?: Dayjs; voucherNumber?: string; note?: string };
type DisbursementField = keyof DisbursementValues;

const steps: Record<
  DisbursementStep,
  { testId: string; okText: string; fields: DisbursementField[]; noteLabel?: string; done: string }
> = {
  disburse: {
    testId: 'disburse',
    okText: '确认拨付',
    fields: ['amountYuan', 'paidOn', 'voucherNumber'],
    done: '已登记拨付',
  },
  request: {
    testId: 'request-disbursement',
    okText: '提交县财政局审批',
    fields: ['amountYuan', 'voucherNumber', 'note'],
    noteLabel: '拨付说明',
    done: '已提交拨付申请，待县财政局审批',
  },
  approveRequest: {
    testId: 'approve-request',
    okText: '批准并拨付',
    fields: ['paidOn', 'note'],
    noteLabel: '审批意见',
    done: '已批准，资金已拨付',
  },
};

type DisbursementRequest = ApplicationDetail['disbursementRequests'][number];

/** The title and the explanation above the fields: what is left to pay, or the request being approved. */
function stepTexts(step: DisbursementStep, application: ApplicationDetail, request?: DisbursementRequest) {
  const next = application.disbursements.length + 1;
  const pending = application.disbursementRequests.some((entry) => entry.status === 'pending');
  if (step === 'disburse') {
    return { title: `拨付第 ${next} 期`, room: `核定未拨付余额 ${formatYuan(application.committedYuan)}` };
  }
  if (step === 'request') {
    const inApproval = pending ? `，其中 ${formatYuan(application.pendingDisbursementYuan)} 已在审批中` : '';
    return {
      title: '提交拨付申请',
      room: `本县拨付须经县财政局审批。核定未拨付余额 ${formatYuan(application.committedYuan)}${inApproval}。`,
    };
  }
  return {
    title: `批准拨付 ${formatYuan(request?.amountYuan)}`,
    room: `凭证号 ${request?.voucherNumber}；批准后按申请金额拨付，记为第 ${next} 期。`,
  };
}

/** The request of one step; the form has validated the fields the step shows. */
function submitStep(
  step: DisbursementStep,
  values: DisbursementValues,
  target: { applicationId: string; requestId?: string; idempotencyKey: string },
) {
  const header = { 'idempotency-key': target.idempotencyKey };
  const amountYuan = values.amountYuan ?? '';
  const voucherNumber = values.voucherNumber ?? '';
  const paidOn = values.paidOn?.format('YYYY-MM-DD') ?? '';
  if (step === 'disburse') {
    return apiClient.POST('/api/funds/applications/{id}/disbursements', {
      params: { path: { id: target.applicationId }, header },
      body: { amountYuan, paidOn, voucherNumber },
    });
  }
  if (step === 'request') {
    return apiClient.POST('/api/funds/applications/{id}/disbursement-requests', {
      params: { path: { id: target.applicationId }, header },
      body: { amountYuan, voucherNumber, note: values.note },
    });
  }
  return apiClient.POST('/api/funds/disbursement-requests/{id}/approve', {
    params: { path: { id: target.requestId ?? '' }, header },
    body: { paidOn, note: values.note },
  });
}

const afterToday = (day: Dayjs) => day.format('YYYY-MM-DD') > todayInShanghai();

/** One instalment's payment, request or approval: the fields of `step`, and its request on submit. */
export function DisbursementModal({
  step,
  open,
  application,
  request,
  idempotencyKey,
  onClose,
  done,
}: {
  step: DisbursementStep;
  open: boolean;
  application: ApplicationDetail;
  /** The request being approved (`approveRequest`). */
  request?: DisbursementRequest;
  idempotencyKey: string;
  onClose: () => void;
  done: (promise: Promise<unknown>, text: string) => Promise<void>;
}) {
  const { testId, okText, fields, noteLabel, done: doneText } = steps[step];
  const texts = stepTexts(step, application, request);
  const shows = (field: DisbursementField) => fields.includes(field);
  return (
    <FormModal<DisbursementValues>
      title={texts.title}
      open={open}
      onClose={onClose}
      okText={okText}
      testId={`${testId}-form`}
      fieldNames={fields}
      initialValues={shows('paidOn') ? { paidOn: dayjs().tz(displayTimeZone) } : undefined}
      onSubmit={(values) =>
        done(
          submitStep(step, values, { applicationId: application.id, requestId: request?.id, idempotencyKey }),
          doneText,
        )
      }
    >
      <Typography.Paragraph
        type="secondary"
        data-testid={step === 'approveRequest' ? undefined : `${testId}-room`}
      >
        {texts.room}
      </Typography.Paragraph>
      {shows('amountYuan') && (
        <Form.Item
          name="amountYuan"
          label="拨付金额（元）"
          rules={[{ required: true, message: '请填写拨付金额' }, yuanRule]}
        >
          <Input suffix="元" data-testid={`${testId}-amount`} />
        </Form.Item>
      )}
      {shows('paidOn') && (
        <Form.Item name="paidOn" label="拨付日期" rules={[{ required: true, message: '请选择拨付日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid={`${testId}-date`} />
        </Form.Item>
      )}
      {shows('voucherNumber') && (
        <Form.Item name="voucherNumber" label="凭证号" rules={[{ required: true, message: '请填写凭证号' }]}>
          <Input maxLength={100} data-testid={`${testId}-voucher`} />
        </Form.Item>
      )}
      {shows('note') && (
        <Form.Item name="note" label={noteLabel}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      )}
    </FormModal>
  );
}
