import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  type FormInstance,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { FundPolicy, FundSource, SupportMode } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { formatYuan, newIdempotencyKey, sourceLabels, supportModeLabels, yuanRule } from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type PolicyFormValues = {
  name: string;
  supportMode: SupportMode;
  source: FundSource;
  standardKind: 'amount' | 'rate';
  amountYuan?: string;
  ratePercent?: string;
  capYuan?: string;
  conditions: string;
  documentTitle: string;
  documentNumber: string;
  issuedOn: Dayjs;
  validRange: [Dayjs, Dayjs | null];
};

const day = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);

const toBody = (values: PolicyFormValues) => ({
  name: values.name,
  supportMode: values.supportMode,
  source: values.source,
  standardKind: values.standardKind,
  amountYuan: values.standardKind === 'amount' ? values.amountYuan : null,
  ratePercent: values.standardKind === 'rate' ? values.ratePercent : null,
  capYuan: values.capYuan || null,
  conditions: values.conditions,
  documentTitle: values.documentTitle,
  documentNumber: values.documentNumber,
  issuedOn: values.issuedOn.format('YYYY-MM-DD'),
  validFrom: values.validRange[0].format('YYYY-MM-DD'),
  validTo: day(values.validRange[1]),
});

const fromPolicy = (policy: FundPolicy): Partial<PolicyFormValues> => ({
  name: policy.name,
  supportMode: policy.supportMode,
  source: policy.source,
  standardKind: policy.standardKind,
  amountYuan: policy.amountYuan ?? undefined,
  ratePercent: policy.ratePercent ?? undefined,
  capYuan: policy.capYuan ?? undefined,
  conditions: policy.conditions,
  documentTitle: policy.documentTitle,
  documentNumber: policy.documentNumber,
  issuedOn: dayjs(policy.issuedOn),
  validRange: [dayjs(policy.validFrom), policy.validTo ? dayjs(policy.validTo) : null],
});

export function standardText(policy: FundPolicy): string {
  const standard =
    policy.standardKind === 'amount' ? `定额 ${formatYuan(policy.amountYuan)}` : `${policy.ratePercent}%`;
  return policy.capYuan ? `${standard}（上限 ${formatYuan(policy.capYuan)}）` : standard;
}

function policyColumns(
  writable: boolean,
  onEdit: (policy: FundPolicy) => void,
): TableColumnsType<FundPolicy> {
  return [
    { title: '政策名称', dataIndex: 'name', width: 240 },
    { title: '发布', dataIndex: 'regionName', width: 110 },
    {
      title: '支持方式',
      dataIndex: 'supportMode',
      width: 100,
      render: (mode: SupportMode) => supportModeLabels[mode],
    },
    {
      title: '资金来源',
      dataIndex: 'source',
      width: 100,
      render: (s: FundSource) => sourceLabels[s],
    },
    { title: '补助标准', key: 'standard', width: 260, render: (_, policy) => standardText(policy) },
    { title: '文号', dataIndex: 'documentNumber', width: 180 },
    {
      title: '有效期',
      key: 'validity',
      width: 240,
      render: (_, policy) => (
        <>
          {formatDate(policy.validFrom)} 至 {policy.validTo ? formatDate(policy.validTo) : '长期'}{' '}
          {policy.validToday ? <Tag color="success">有效</Tag> : <Tag>不在有效期</Tag>}
        </>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 80,
      fixed: 'end',
      render: (_, policy) =>
        policy.editable && writable ? (
          <Button type="link" onClick={() => onEdit(policy)}>
            修改
          </Button>
        ) : null,
    },
  ];
}

/** The policy form's fields; the standard asks for an amount or a rate, as its kind says. */
function PolicyFields({ form }: { form: FormInstance<PolicyFormValues> }) {
  return (
    <>
      <Form.Item name="name" label="政策名称" rules={[{ required: true, message: '请填写政策名称' }]}>
        <Input maxLength={100} data-testid="policy-name" />
      </Form.Item>
      <Form.Item name="supportMode" label="支持方式" rules={[{ required: true, message: '请选择支持方式' }]}>
        <Select
          data-testid="policy-mode"
          options={Object.entries(supportModeLabels).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="source" label="资金来源" rules={[{ required: true, message: '请选择资金来源' }]}>
        <Select options={Object.entries(sourceLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="standardKind" label="补助标准" rules={[{ required: true }]}>
        <Select
          options={[
            { value: 'amount', label: '定额（每项固定金额）' },
            { value: 'rate', label: '按比例（占投资额或贷款利息的百分比）' },
          ]}
        />
      </Form.Item>
      <Form.Item noStyle shouldUpdate>
        {() =>
          form.getFieldValue('standardKind') === 'rate' ? (
            <Form.Item
              name="ratePercent"
              label="补助比例（%）"
              rules={[{ required: true, message: '请填写补助比例' }]}
            >
              <Input suffix="%" />
            </Form.Item>
          ) : (
            <Form.Item
              name="amountYuan"
              label="补助金额（元）"
              rules={[{ required: true, message: '请填写补助金额' }, yuanRule]}
            >
              <Input suffix="元" data-testid="policy-amount" />
            </Form.Item>
          )
        }
      </Form.Item>
      <Form.Item name="capYuan" label="单项上限（元，可不填）" rules={[yuanRule]}>
        <Input suffix="元" />
      </Form.Item>
      <Form.Item name="conditions" label="支持条件" rules={[{ required: true, message: '请填写支持条件' }]}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="policy-conditions" />
      </Form.Item>
      <Form.Item
        name="documentTitle"
        label="发文标题"
        rules={[{ required: true, message: '请填写发文标题' }]}
      >
        <Input maxLength={200} data-testid="policy-document-title" />
      </Form.Item>
      <Form.Item name="documentNumber" label="文号" rules={[{ required: true, message: '请填写文号' }]}>
        <Input maxLength={100} data-testid="policy-document-number" />
      </Form.Item>
      <Form.Item name="issuedOn" label="印发日期" rules={[{ required: true, message: '请选择印发日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="policy-issued-on" />
      </Form.Item>
      <Form.Item
        name="validRange"
        label="有效期（止日期可空，表示长期）"
        rules={[{ required: true, message: '请选择有效期' }]}
      >
        <DatePicker.RangePicker allowEmpty={[false, true]} style={{ width: '100%' }} />
      </Form.Item>
    </>
  );
}

export function FundPoliciesPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<{ key: string; policy: FundPolicy | null } | null>(null);
  const list = useLoader(() => unwrap(apiClient.GET('/api/funds/policies')), 'policies');

  const save = async (values: PolicyFormValues) => {
    const policy = editing?.policy;
    const header = { 'idempotency-key': editing?.key ?? newIdempotencyKey() };
    if (policy) {
      await apiClient.PUT('/api/funds/policies/{id}', {
        params: { path: { id: policy.id }, header },
        body: { policy: toBody(values), version: policy.version },
      });
    } else {
      await apiClient.POST('/api/funds/policies', { params: { header }, body: toBody(values) });
    }
    message.success('政策已保存');
    await list.reload();
  };

  return (
    <>
      <PageHeader
        title="资金管理"
        crumbs={[{ title: '资金管理' }, { title: '资金政策' }]}
        extra={
          can.writeFundPolicies(me.role) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ key: newIdempotencyKey(), policy: null })}
              data-testid="policy-create"
            >
              发布资金政策
            </Button>
          )
        }
      />
      <FundsNav />
      <Card>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<FundPolicy>
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data ?? []}
            data-testid="policy-table"
            locale={{ emptyText: '暂无资金政策' }}
            scroll={{ x: 1300 }}
            expandable={{
              expandedRowRender: (policy) => (
                <div style={{ whiteSpace: 'pre-wrap' }}>
                  <b>支持条件：</b>
                  {policy.conditions}
                  <br />
                  <b>发文：</b>《{policy.documentTitle}》（{policy.documentNumber}），
                  {formatDate(policy.issuedOn)}印发
                </div>
              ),
            }}
            columns={policyColumns(can.writeFundPolicies(me.role), (policy) =>
              setEditing({ key: newIdempotencyKey(), policy }),
            )}
          />
        )}
      </Card>
      <FormModal<PolicyFormValues>
        key={editing?.key ?? 'closed'}
        title={editing?.policy ? '修改资金政策' : '发布资金政策'}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSubmit={save}
        okText="保存"
        testId="policy-form"
        width={720}
        fieldNames={['name', 'supportMode', 'source', 'amountYuan', 'ratePercent', 'capYuan', 'conditions']}
        initialValues={
          editing?.policy ? fromPolicy(editing.policy) : { standardKind: 'amount', source: 'provincial' }
        }
      >
        {(form) => <PolicyFields form={form} />}
      </FormModal>
    </>
  );
}
