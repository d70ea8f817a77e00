import { SaveOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { MonthDeadline, MonthlyField, MonthlyRules, MonthlyRulesWithChange } from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { dayjs, displayTimeZone, formatDate, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { monthlyFieldLabels } from './monthly-types.ts';

const fieldOrder: MonthlyField[] = [
  'outputYuan',
  'onlineRetailYuan',
  'crossBorderYuan',
  'orders',
  'employees',
  'ecommerceEmployees',
];

const monthLabel = (month: string) => dayjs(`${month}-01`).format('YYYY年M月');
const monthEnd = (month: string) => dayjs(`${month}-01`).endOf('month');

function DeadlineModal({
  month,
  onClose,
  onSaved,
  onStale,
}: {
  month: MonthDeadline | null;
  onClose: () => void;
  onSaved: (saved: MonthDeadline) => void;
  /** Someone changed the month meanwhile: `current` is the month as it is now, edited from here on. */
  onStale: (current: MonthDeadline) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ deadline: Dayjs }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!month || !values) return;
    setSaving(true);
    try {
      const saved = await unwrap(
        apiClient.PUT('/api/stats/deadlines/{month}', {
          params: { path: { month: month.month } },
          body: { deadline: values.deadline.format('YYYY-MM-DD'), version: month.version },
        }),
      );
      message.success(`${monthLabel(month.month)}的报送截止日期已改为 ${formatDate(saved.deadline)}`);
      onSaved(saved);
      onClose();
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale?.current) {
        const current = stale.current as MonthDeadline;
        message.warning(STALE_RECORD_MESSAGE);
        onStale(current);
        form.setFieldsValue({ deadline: dayjs(current.deadline) });
        return;
      }
      const onField =
        failure instanceof ApiError && Array.isArray(failure.details)
          ? (failure.details as { path?: string; message?: string }[]).find((d) =>
              d.path?.endsWith('deadline'),
            )
          : undefined;
      if (onField?.message) form.setFields([{ name: 'deadline', errors: [onField.message] }]);
      else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title={month ? `调整 ${monthLabel(month.month)} 的报送截止日期` : '调整截止日期'}
      open={Boolean(month)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      okButtonProps={{ loading: saving, 'data-testid': 'deadline-save' }}
      destroyOnHidden
      data-testid="deadline-modal"
    >
      {month && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ deadline: dayjs(month.deadline) }}
        >
          <Typography.Paragraph type="secondary">
            默认截止日期为 {formatDate(month.defaultDeadline)}。截止日期须晚于该月月末（
            {formatDate(monthEnd(month.month).format('YYYY-MM-DD'))}）；逾期提交的数据标记为“逾期”。
          </Typography.Paragraph>
          <Form.Item
            name="deadline"
            label="报送截止日期"
            rules={[{ required: true, message: '请选择截止日期' }]}
          >
            <DatePicker
              style={{ width: '100%' }}
              allowClear={false}
              disabledDate={(day) => !day.isAfter(monthEnd(month.month), 'day')}
              data-testid="deadline-date"
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function deadlineColumns(
  onEdit: (row: MonthDeadline) => void,
  onReset: (row: MonthDeadline) => Promise<void>,
): TableColumnsType<MonthDeadline> {
  return [
    { title: '统计月份', dataIndex: 'month', width: 120, render: monthLabel },
    {
      title: '报送截止日期',
      dataIndex: 'deadline',
      width: 220,
      render: (deadline: string, row) => (
        <Space>
          <span data-testid="deadline-value">{formatDate(deadline)}</span>
          {row.isDefault ? <Tag>默认</Tag> : <Tag color="orange">已调整</Tag>}
        </Space>
      ),
    },
    {
      title: '默认截止日期',
      dataIndex: 'defaultDeadline',
      width: 160,
      render: (value: string) => <Typography.Text type="secondary">{formatDate(value)}</Typography.Text>,
    },
    {
      title: '调整人',
      key: 'setBy',
      render: (_: unknown, row) =>
        row.isDefault ? (
          '—'
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.setByName} · {formatMinute(row.updatedAt)}
          </Typography.Text>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 170,
      render: (_: unknown, row) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onEdit(row)} data-testid="deadline-edit">
            调整
          </Button>
          {!row.isDefault && (
            <Popconfirm
              title={`${monthLabel(row.month)}恢复默认截止日期 ${formatDate(row.defaultDeadline)}？`}
              okText="恢复默认"
              onConfirm={() => onReset(row)}
            >
              <Button type="link" size="small" data-testid="deadline-reset">
                恢复默认
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];
}

/** `rulesVersion` changes when the rules (and so perhaps the default day) were saved. */
function DeadlinesCard({ rulesVersion }: { rulesVersion: number }) {
  const { message } = App.useApp();
  const [year, setYear] = useState(() => dayjs().tz(displayTimeZone).year());
  const deadlines = useLoader(
    () => unwrap(apiClient.GET('/api/stats/deadlines', { params: { query: { year } } })),
    `${year}/${rulesVersion}`,
  );
  const [editing, setEditing] = useState<MonthDeadline | null>(null);
  const replace = (saved: MonthDeadline) =>
    deadlines.setData((deadlines.data ?? []).map((row) => (row.month === saved.month ? saved : row)));
  const reset = async (row: MonthDeadline) => {
    try {
      replace(
        await unwrap(
          apiClient.DELETE('/api/stats/deadlines/{month}', { params: { path: { month: row.month } } }),
        ),
      );
      message.success(`${monthLabel(row.month)}已恢复默认截止日期 ${formatDate(row.defaultDeadline)}`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <Card
      title="报送截止日期"
      data-testid="deadlines-card"
      extra={
        <Space>
          <Typography.Text type="secondary">年度</Typography.Text>
          <DatePicker
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            onChange={(value) => value && setYear(value.year())}
            data-testid="deadline-year"
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        企业须在截止日期前提交上月数据。默认为次月的规定日（见下方校验规则中的“默认截止日”），可为节假日等逐月调整。
      </Typography.Paragraph>
      {deadlines.error && !deadlines.data ? (
        <ErrorState message={deadlines.error} onRetry={deadlines.reload} />
      ) : (
        <Table<MonthDeadline>
          rowKey="month"
          size="small"
          pagination={false}
          loading={deadlines.loading}
          dataSource={deadlines.data ?? []}
          data-testid="deadline-table"
          onRow={(row) =>
            ({ 'data-testid': `deadline-row-${row.month}` }) as React.HTMLAttributes<HTMLElement>
          }
          columns={deadlineColumns(setEditing, reset)}
        />
      )}
      <DeadlineModal
        month={editing}
        onClose={() => setEditing(null)}
        onSaved={replace}
        onStale={(current) => {
          replace(current);
          setEditing(current);
        }}
      />
    </Card>
  );
}

/** Per field: whether it is required, and the month-on-month change that must be explained. */
const ruleColumns: TableColumnsType<MonthlyField> = [
  { title: '填报项', key: 'label', render: (_: unknown, field) => monthlyFieldLabels[field] },
  {
    title: '必填',
    key: 'required',
    width: 100,
    render: (_: unknown, field) => (
      <Form.Item name={['fields', field, 'required']} valuePropName="checked" noStyle>
        <Switch checkedChildren="必填" unCheckedChildren="选填" data-testid={`rule-required-${field}`} />
      </Form.Item>
    ),
  },
  {
    title: '环比异常阈值',
    key: 'threshold',
    width: 260,
    render: (_: unknown, field) => (
      <Form.Item
        name={['fields', field, 'momThresholdPct']}
        style={{ margin: 0 }}
        rules={[{ type: 'integer', min: 1, max: 10000, message: '阈值为 1–10000 的整数' }]}
      >
        <InputNumber
          min={1}
          max={10000}
          precision={0}
          suffix="%"
          placeholder="不检查"
          style={{ width: 140 }}
          data-testid={`rule-threshold-${field}`}
        />
      </Form.Item>
    ),
  },
];

function RulesCard({ onSaved }: { onSaved: () => void }) {
  const { message, modal } = App.useApp();
  const rules = useLoader(() => unwrap(apiClient.GET('/api/stats/rules')), 'rules');
  const [form] = Form.useForm<MonthlyRules>();
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (rules.data) {
      const { lastChange: _lastChange, ...values } = rules.data;
      form.setFieldsValue(values);
      setDirty(false);
    }
  }, [rules.data, form]);

  const save = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    modal.confirm({
      title: '保存月度统计校验规则？',
      content:
        '新规则立即用于全省企业的月度填报与提交：必填项、环比异常须说明的阈值、警告规则和默认截止日。本次修改记入审计日志。',
      okText: '保存',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'rules-confirm' } as ButtonProps,
      onOk: async () => {
        setSaving(true);
        try {
          // The version loaded: a save by someone else since then answers 409 with the rules as they are.
          const body = { ...values, version: rules.data?.version ?? null };
          const saved = await unwrap(apiClient.PUT('/api/stats/rules', { body }));
          rules.setData(saved);
          onSaved();
          message.success('校验规则已保存');
        } catch (failure) {
          const stale = staleRecord(failure);
          if (stale?.current) {
            message.warning(STALE_RECORD_MESSAGE);
            rules.setData(stale.current as MonthlyRulesWithChange);
            onSaved(); // their rules may have moved the default deadlines too
          } else message.error(errorMessage(failure));
        } finally {
          setSaving(false);
        }
      },
    });
  };

  if (rules.loading && !rules.data) return <LoadingState />;
  if (!rules.data) return <ErrorState message={rules.error ?? '加载失败'} onRetry={rules.reload} />;
  const lastChange = rules.data.lastChange;
  return (
    <Card
      title="校验规则"
      data-testid="rules-card"
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="rules-last-change">
          {lastChange
            ? `最近修改：${lastChange.byName}，${formatMinute(lastChange.at)}`
            : '尚未修改，使用系统默认规则'}
        </Typography.Text>
      }
    >
      <Form<MonthlyRules> form={form} layout="vertical" onValuesChange={() => setDirty(true)}>
        <Table<MonthlyField>
          rowKey={(field) => field}
          size="small"
          pagination={false}
          dataSource={fieldOrder}
          columns={ruleColumns}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 20px', fontSize: 12 }}>
          较上月增减超过阈值（按百分比，增减均计）的数据须由填报人说明原因后才能提交；留空表示不检查该项。
        </Typography.Paragraph>
        <Form.Item
          name="warnOnlineRetailAboveOutput"
          label="警告规则"
          valuePropName="checked"
          extra="开启后，网络零售额高于总产值时提示填报人核实（仅提示，不阻止提交）。"
        >
          <Switch checkedChildren="开启" unCheckedChildren="关闭" data-testid="rule-warn-online-retail" />
        </Form.Item>
        <Form.Item
          name="deadlineDay"
          label="默认截止日"
          rules={[{ required: true, type: 'integer', min: 1, max: 28, message: '截止日须在 1—28 日' }]}
          extra="每月数据默认于次月该日前报送；个别月份可在上方单独调整。"
        >
          <InputNumber min={1} max={28} precision={0} prefix="次月" suffix="日" style={{ width: 160 }} />
        </Form.Item>
        <Space>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={saving}
            disabled={!dirty}
            onClick={() => void save()}
            data-testid="rules-save"
          >
            保存校验规则
          </Button>
          {dirty && (
            <Button
              onClick={() => {
                const { lastChange: _lastChange, ...values } = rules.data as MonthlyRulesWithChange;
                form.setFieldsValue(values);
                setDirty(false);
              }}
            >
              放弃修改
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}

/** 统计设置: the province sets the monthly reports' deadlines and validation rules. */
export function StatsSettingsPage() {
  const [rulesVersion, setRulesVersion] = useState(0);
  return (
    <>
      <PageHeader
        title="统计设置"
        crumbs={[{ title: '月度统计', to: '/stats/monthly' }, { title: '统计设置' }]}
        subtitle="月度统计的报送截止日期和校验规则，对全省生效"
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="修改立即生效，并记入审计日志。" />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <DeadlinesCard rulesVersion={rulesVersion} />
        <RulesCard onSaved={() => setRulesVersion((version) => version + 1)} />
      </Space>
    </>
  );
}
