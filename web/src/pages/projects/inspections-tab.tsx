import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Inspection, InspectionKind } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import type { dayjs } from '../../time.ts';
import { useEtownOptions } from './project-list-page.tsx';
import { inspectionKindLabels, optionsOf } from './project-types.ts';
import { type EtownOption, inspectionPath, useRegionList } from './supervision-shared.tsx';

type InspectionForm = {
  etownCode: string;
  kind: InspectionKind;
  inspectedOn: dayjs.Dayjs;
  inspectors: string;
  summary: string;
  findings?: { description: string; owner: string; deadline: dayjs.Dayjs }[];
};

function inspectionColumns(regionLink: (path: string) => string): TableColumnsType<Inspection> {
  return [
    { title: '检查日期', dataIndex: 'inspectedOn', width: 110 },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 130,
      render: (kind: InspectionKind, inspection) => (
        <Link to={regionLink(inspectionPath(inspection.id))} data-testid="inspection-link">
          {inspectionKindLabels[kind]}
        </Link>
      ),
    },
    { title: 'e镇', dataIndex: 'etownName', width: 130 },
    { title: '检查人员 / 机构', dataIndex: 'inspectors', width: 200 },
    { title: '检查情况', dataIndex: 'summary' },
    {
      title: '问题',
      width: 230,
      render: (_: unknown, inspection) => (
        <Space size={4} wrap>
          <Tag color="orange">待整改 {inspection.findingCounts.open}</Tag>
          <Tag color="blue">待销号 {inspection.findingCounts.rectified}</Tag>
          <Tag color="green">已销号 {inspection.findingCounts.closed}</Tag>
          {inspection.findingCounts.overdue > 0 && (
            <Tag color="red">逾期 {inspection.findingCounts.overdue}</Tag>
          )}
        </Space>
      ),
    },
  ];
}

/** The findings of a new inspection: description, owner and rectification deadline of each. */
function FindingListFields() {
  return (
    <>
      <Typography.Text strong>发现的问题</Typography.Text>
      <Form.List name="findings">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Space key={field.key} align="start" style={{ display: 'flex', marginTop: 8 }}>
                <Form.Item
                  name={[field.name, 'description']}
                  rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
                >
                  <Input placeholder="问题描述" style={{ width: 280 }} data-testid="finding-description" />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'owner']}
                  rules={[{ required: true, whitespace: true, message: '请填写责任单位' }]}
                >
                  <Input placeholder="责任单位/责任人" style={{ width: 160 }} data-testid="finding-owner" />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'deadline']}
                  rules={[{ required: true, message: '请选择整改期限' }]}
                >
                  <DatePicker placeholder="整改期限" data-testid="finding-deadline" />
                </Form.Item>
                <MinusCircleOutlined style={{ marginTop: 8 }} onClick={() => remove(field.name)} />
              </Space>
            ))}
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              style={{ marginTop: 8 }}
              onClick={() => add()}
              data-testid="finding-add"
            >
              添加问题
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}

function InspectionFormModal({
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  open: boolean;
  etownOptions: EtownOption[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<InspectionForm>
      title="登记检查"
      open={open}
      onClose={onClose}
      testId="inspection-form"
      width={720}
      fieldNames={['etownCode', 'kind', 'inspectedOn', 'inspectors', 'summary', 'findings']}
      initialValues={{
        etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined,
        findings: [],
      }}
      onSubmit={async (values) => {
        const body = {
          etownCode: values.etownCode,
          kind: values.kind,
          inspectedOn: values.inspectedOn.format('YYYY-MM-DD'),
          inspectors: values.inspectors,
          summary: values.summary,
          findings: (values.findings ?? []).map((finding) => ({
            ...finding,
            deadline: finding.deadline.format('YYYY-MM-DD'),
          })),
        };
        await apiClient.POST('/api/inspections', { body });
        message.success('已登记检查');
        await onSaved();
      }}
    >
      <Space.Compact block>
        <Form.Item
          name="etownCode"
          label="e镇"
          style={{ flex: 1, marginRight: 8 }}
          rules={[{ required: true, message: '请选择e镇' }]}
        >
          <Select options={etownOptions} placeholder="请选择" data-testid="inspection-etown" />
        </Form.Item>
        <Form.Item
          name="kind"
          label="检查类型"
          style={{ flex: 1, marginRight: 8 }}
          rules={[{ required: true, message: '请选择检查类型' }]}
        >
          <Select
            options={optionsOf(inspectionKindLabels)}
            placeholder="请选择"
            data-testid="inspection-kind"
          />
        </Form.Item>
        <Form.Item
          name="inspectedOn"
          label="检查日期"
          style={{ flex: 1 }}
          rules={[{ required: true, message: '请选择检查日期' }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="inspection-date" />
        </Form.Item>
      </Space.Compact>
      <Form.Item
        name="inspectors"
        label="检查人员 / 机构"
        rules={[{ required: true, whitespace: true, message: '请填写检查人员或机构' }]}
      >
        <Input maxLength={200} data-testid="inspection-inspectors" />
      </Form.Item>
      <Form.Item
        name="summary"
        label="检查情况"
        rules={[{ required: true, whitespace: true, message: '请填写检查情况' }]}
      >
        <Input.TextArea rows={2} maxLength={5000} data-testid="inspection-summary" />
      </Form.Item>
      <FindingListFields />
    </FormModal>
  );
}

export function InspectionsTab() {
  const me = useMe();
  const regionLink = useRegionLink();
  const [creating, setCreating] = useState(false);
  const mayInspect = can.inspect(me.role);
  const inspections = useRegionList((regionCode) =>
    unwrap(apiClient.GET('/api/inspections', { params: { query: { regionCode } } })),
  );
  const etownOptions = useEtownOptions(mayInspect);
  return (
    <>
      {mayInspect && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => setCreating(true)}
          data-testid="inspection-create"
        >
          登记检查
        </Button>
      )}
      <Table<Inspection>
        rowKey="id"
        size="middle"
        loading={inspections.loading}
        dataSource={inspections.data ?? []}
        pagination={false}
        data-testid="inspection-table"
        locale={{ emptyText: '还没有检查记录' }}
        columns={inspectionColumns(regionLink)}
      />
      <InspectionFormModal
        open={creating}
        etownOptions={etownOptions}
        onClose={() => setCreating(false)}
        onSaved={inspections.reload}
      />
    </>
  );
}
