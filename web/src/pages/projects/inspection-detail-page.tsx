import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import type { dayjs } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FindingsTable } from './finding-table.tsx';
import { inspectionKindLabels } from './project-types.ts';

type FindingForm = { description: string; owner: string; deadline: dayjs.Dayjs };

// The server answers a malformed id with 400; for a person it is a page that does not exist.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One inspection: who inspected what and when, and its findings through rectification to 销号. */
export function InspectionDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const regionLink = useRegionLink();
  const [adding, setAdding] = useState(false);
  const wellFormed = UUID.test(id);
  const loaded = useLoader(
    wellFormed ? () => unwrap(apiClient.GET('/api/inspections/{id}', { params: { path: { id } } })) : null,
    id,
  );
  const mayInspect = can.inspect(me.role);
  const listPath = regionLink('/supervision?tab=inspections');

  if (!wellFormed || loaded.notFound) {
    return <NotFoundState what="检查记录" backTo={listPath} backLabel="返回检查记录" />;
  }
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  const inspection = loaded.data;
  if (!inspection) return <LoadingState />;

  const kind = inspectionKindLabels[inspection.kind];
  const counts = inspection.findingCounts;
  return (
    <>
      <PageHeader
        title={`${kind}（${inspection.inspectedOn}）`}
        crumbs={[
          { title: '监督检查', to: regionLink('/supervision') },
          { title: '检查记录', to: listPath },
          { title: `${inspection.inspectedOn} ${kind}` },
        ]}
        subtitle={`${inspection.etownName} · ${inspection.inspectors}`}
        extra={
          mayInspect && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="finding-append"
            >
              补充问题
            </Button>
          )
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title="检查情况" data-testid="inspection-overview">
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
            <Descriptions.Item label="检查类型">{kind}</Descriptions.Item>
            <Descriptions.Item label="检查日期">{inspection.inspectedOn}</Descriptions.Item>
            <Descriptions.Item label="所在e镇">{inspection.etownName}</Descriptions.Item>
            <Descriptions.Item label="检查人员 / 机构" span={{ xs: 1, md: 2, xl: 3 }}>
              {inspection.inspectors}
            </Descriptions.Item>
            <Descriptions.Item label="检查情况" span={{ xs: 1, md: 2, xl: 3 }}>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{inspection.summary}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card
          title={`发现的问题（${inspection.findings.length}）`}
          extra={
            <Space size={4} wrap data-testid="inspection-finding-counts">
              <Tag color="orange">待整改 {counts.open}</Tag>
              <Tag color="blue">待销号 {counts.rectified}</Tag>
              <Tag color="green">已销号 {counts.closed}</Tag>
              {counts.overdue > 0 && <Tag color="red">逾期 {counts.overdue}</Tag>}
            </Space>
          }
        >
          <FindingsTable
            findings={inspection.findings}
            loading={loaded.loading}
            onChanged={() => void loaded.reload()}
            showInspection={false}
            emptyText="本次检查未发现问题"
          />
        </Card>
      </Space>
      <FormModal<FindingForm>
        title="补充问题"
        open={adding}
        onClose={() => setAdding(false)}
        testId="finding-append-form"
        fieldNames={['description', 'owner', 'deadline']}
        onSubmit={async (values) => {
          const body = {
            description: values.description,
            owner: values.owner,
            deadline: values.deadline.format('YYYY-MM-DD'),
          };
          const next = await unwrap(
            apiClient.POST('/api/inspections/{id}/findings', {
              params: { path: { id: inspection.id } },
              body,
            }),
          );
          loaded.setData(next);
          message.success('已补充问题');
        }}
      >
        <Typography.Paragraph type="secondary">
          {inspection.etownName} · {kind} · {inspection.inspectedOn}
        </Typography.Paragraph>
        <Form.Item
          name="description"
          label="问题描述"
          rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="finding-description" />
        </Form.Item>
        <Form.Item
          name="owner"
          label="责任单位 / 责任人"
          rules={[{ required: true, whitespace: true, message: '请填写责任单位' }]}
        >
          <Input maxLength={200} data-testid="finding-owner" />
        </Form.Item>
        <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(date) => date.format('YYYY-MM-DD') < inspection.inspectedOn}
            data-testid="finding-deadline"
          />
        </Form.Item>
      </FormModal>
    </>
  );
}
