import { Alert, App, Button, Form, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { MonthlyReport, MonthlyValues } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { formatDateTime } from '../../time.ts';
import { monthlyFieldLabels, monthlyStatusLabels } from './monthly-types.ts';

type FormValues = MonthlyValues & { outlierExplanation?: string | null };

const moneyFields = ['outputYuan', 'onlineRetailYuan', 'crossBorderYuan'] as const;
const countFields = ['orders', 'employees', 'ecommerceEmployees'] as const;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;

/** The report's status, deadline, submission time and how often it was reopened. */
function ReportStatusLine({ report }: { report: MonthlyReport }) {
  return (
    <Space wrap>
      <Tag color={monthlyStatusLabels[report.status].color} data-testid="monthly-status">
        {monthlyStatusLabels[report.status].label}
      </Tag>
      <Typography.Text type="secondary">
        截止日期 {report.deadline}
        {report.submittedAt ? ` · 提交于 ${formatDateTime(report.submittedAt)}` : ''}
        {report.late ? '（逾期）' : ''}
        {report.reopenCount > 0 ? ` · 已重新打开 ${report.reopenCount} 次` : ''}
      </Typography.Text>
    </Space>
  );
}

/** The three amounts (yuan, two decimals at most) and three counts of the month. */
function FigureFields() {
  return (
    <div className="monthly-grid">
      {moneyFields.map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={monthlyFieldLabels[field]}
          rules={[
            {
              validator: (_, value) =>
                value === null || value === undefined || value === '' || MONEY.test(String(value).trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error('须为不小于 0、最多两位小数的金额')),
            },
          ]}
        >
          <Input inputMode="decimal" placeholder="如 1234567.89" data-testid={`field-${field}`} />
        </Form.Item>
      ))}
      {countFields.map((field) => (
        <Form.Item key={field} name={field} label={monthlyFieldLabels[field]}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`field-${field}`} />
        </Form.Item>
      ))}
    </div>
  );
}

/** Asked for when a figure moved more than its threshold since last month; lists those moves. */
function OutlierExplanationField({ outliers }: { outliers: MonthlyReport['outliers'] }) {
  return (
    <Form.Item
      name="outlierExplanation"
      label="异常说明（较上月波动超过阈值时必填）"
      extra={outliers
        .map(
          (outlier) =>
            `${outlier.label}：上月 ${outlier.previous}，本月 ${outlier.current}（${outlier.changePct}%）`,
        )
        .join('；')}
    >
      <Input.TextArea rows={2} maxLength={500} showCount data-testid="field-outlierExplanation" />
    </Form.Item>
  );
}

/**
 * One entity's figures for one month: fill, save, submit; read-only once submitted or approved.
 * The server checks everything again; this form only spares a round trip for typing slips.
 */
export function MonthlyReportForm({
  entityId,
  month,
  report,
  onChange,
}: {
  entityId: string;
  month: string;
  report: MonthlyReport | null;
  onChange: (report: MonthlyReport) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [needsExplanation, setNeedsExplanation] = useState<string | null>(null);
  const locked = report !== null && (report.status === 'submitted' || report.status === 'approved');

  useEffect(() => {
    form.setFieldsValue(
      report
        ? { ...report.values, outlierExplanation: report.outlierExplanation }
        : {
            outputYuan: null,
            onlineRetailYuan: null,
            crossBorderYuan: null,
            orders: null,
            employees: null,
            ecommerceEmployees: null,
            outlierExplanation: null,
          },
    );
    setNeedsExplanation(null);
  }, [form, report]);

  const save = async (): Promise<MonthlyReport | null> => {
    if (busy) return null;
    const values = await form.validateFields();
    setBusy(true);
    try {
      const saved = await unwrap(
        apiClient.PUT('/api/stats/monthly/{entityId}/{month}', {
          params: { path: { entityId, month } },
          // The version loaded (none for a month not yet saved): a stale one answers 409.
          body: {
            ...values,
            outlierExplanation: values.outlierExplanation ?? null,
            version: report?.version ?? null,
          },
        }),
      );
      onChange(saved);
      return saved;
    } catch (error) {
      const stale = staleRecord(error);
      if (stale?.current) {
        message.warning(STALE_RECORD_MESSAGE);
        onChange(stale.current as MonthlyReport);
      } else message.error(errorMessage(error));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const saved = await save();
    if (!saved) return;
    setBusy(true);
    try {
      onChange(
        await unwrap(
          apiClient.POST('/api/stats/monthly/{entityId}/{month}/submit', {
            params: { path: { entityId, month } },
          }),
        ),
      );
      message.success('已提交县级审核');
    } catch (error) {
      const text = errorMessage(error);
      if (text.includes('异常说明')) setNeedsExplanation(text);
      else message.error(text);
    } finally {
      setBusy(false);
    }
  };

  const outliers = report?.outliers ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="monthly-form">
      {report && <ReportStatusLine report={report} />}
      {report?.status === 'returned' && report.returnReason && (
        <Alert type="warning" showIcon message="县级退回" description={report.returnReason} />
      )}
      {report?.warnings.map((warning) => (
        <Alert key={warning} type="info" showIcon message={warning} />
      ))}
      {needsExplanation && (
        <Alert type="error" showIcon message={needsExplanation} data-testid="outlier-alert" />
      )}
      <Form form={form} layout="vertical" disabled={locked || busy}>
        <FigureFields />
        {(outliers.length > 0 || needsExplanation || report?.outlierExplanation) && (
          <OutlierExplanationField outliers={outliers} />
        )}
      </Form>
      {!locked && (
        <Space>
          <Button
            onClick={() => void save().then((saved) => saved && message.success('已保存草稿'))}
            loading={busy}
          >
            保存草稿
          </Button>
          <Button type="primary" onClick={submit} loading={busy} data-testid="monthly-submit">
            提交审核
          </Button>
        </Space>
      )}
    </Space>
  );
}
