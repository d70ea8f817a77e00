import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type {
  CreateTrainingSessionBody,
  TrainingSessionDetail,
  TrainingSessionSummary,
} from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { useEtownOptions } from '../projects/project-list-page.tsx';

const columns: TableColumnsType<TrainingSessionSummary> = [
  { title: '日期', dataIndex: 'heldOn', width: 120, render: formatDate },
  {
    title: '培训主题',
    dataIndex: 'topic',
    render: (topic: string, session) => (
      <Space>
        <Link to={`/trainings/${session.id}`}>{topic}</Link>
        {session.crossBorder && <Tag color="purple">跨境电商</Tag>}
      </Space>
    ),
  },
  { title: '培训机构', dataIndex: 'institutionName', width: 220 },
  { title: '授课老师', dataIndex: 'teacher', width: 100 },
  { title: '地点', dataIndex: 'place', width: 180 },
  { title: '所在e镇', dataIndex: 'etownName', width: 130 },
  {
    title: '人次 / 容纳',
    width: 110,
    render: (_, session) => `${session.attendance} / ${session.capacity}`,
  },
];

type SessionFormValues = Omit<CreateTrainingSessionBody, 'heldOn'> & { heldOn: dayjs.Dayjs };

/** The e-town's entities tagged 培训机构, for the institution field. */
function InstitutionSelect({
  etownCode,
  value,
  onChange,
}: {
  etownCode?: string;
  value?: string;
  onChange?: (value: string) => void;
}) {
  const found = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: { query: { regionCode: etownCode, tag: 'training', status: 'active', pageSize: 200 } },
            }),
          )
      : null,
    etownCode,
  );
  return (
    <Select
      value={value}
      onChange={onChange}
      loading={found.loading}
      placeholder="选择标记为“培训机构”的市场主体"
      notFoundContent="本e镇还没有标记为“培训机构”的市场主体"
      options={(found.data?.items ?? []).map((entity) => ({ value: entity.id, label: entity.name }))}
    />
  );
}

function SessionFormModal({
  open,
  onClose,
  etownOptions,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  etownOptions: { value: string; label: string }[];
  onSaved: (session: TrainingSessionDetail) => void;
}) {
  const submit = async (values: SessionFormValues) => {
    const body = { ...values, heldOn: values.heldOn.format('YYYY-MM-DD') };
    onSaved(await unwrap(apiClient.POST('/api/trainings/sessions', { body })));
  };
  return (
    <FormModal<SessionFormValues>
      title="登记培训场次"
      open={open}
      onClose={onClose}
      onSubmit={submit}
      testId="session-form"
      fieldNames={[
        'etownCode',
        'institutionEntityId',
        'heldOn',
        'place',
        'teacher',
        'topic',
        'crossBorder',
        'capacity',
      ]}
      initialValues={{ etownCode: etownOptions[0]?.value, crossBorder: false, capacity: 50 }}
    >
      <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
        <Select options={etownOptions} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(before, after) => before.etownCode !== after.etownCode}>
        {({ getFieldValue }) => (
          <Form.Item
            name="institutionEntityId"
            label="培训机构"
            rules={[{ required: true, message: '请选择培训机构' }]}
          >
            <InstitutionSelect etownCode={getFieldValue('etownCode')} />
          </Form.Item>
        )}
      </Form.Item>
      <Form.Item
        name="topic"
        label="培训主题"
        rules={[{ required: true, whitespace: true, message: '请填写培训主题' }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="heldOn" label="培训日期" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="place"
        label="培训地点"
        rules={[{ required: true, whitespace: true, message: '请填写培训地点' }]}
      >
        <Input maxLength={100} placeholder="如 皋陶e镇电商培训孵化中心" />
      </Form.Item>
      <Form.Item
        name="teacher"
        label="授课老师"
        rules={[{ required: true, whitespace: true, message: '请填写授课老师' }]}
      >
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="capacity" label="容纳人数" rules={[{ required: true, message: '请填写容纳人数' }]}>
        <InputNumber min={1} max={10000} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="crossBorder" label="跨境电商培训" valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

export function TrainingSessionListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const etownOptions = useEtownOptions(true);
  const query = { regionCode: currentCode ?? undefined, page, pageSize: 20 };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/trainings/sessions', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  return (
    <>
      <PageHeader
        title="培训场次"
        crumbs={[{ title: '人才培训' }, { title: '培训场次' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="培训人次按签到记录计数（每人每场一次），不手工填写；指标 11 与跨境电商培训人次据此计算"
        extra={
          can.writeTrainings(me.role) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="session-create"
            >
              登记培训场次
            </Button>
          )
        }
      />
      <Card>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<TrainingSessionSummary>
            rowKey="id"
            size="middle"
            loading={list.loading || regionsLoading}
            dataSource={list.data?.items ?? []}
            columns={columns}
            data-testid="session-table"
            locale={{ emptyText: '还没有培训场次' }}
            pagination={{
              current: page,
              pageSize: 20,
              total: list.data?.total ?? 0,
              onChange: setPage,
              showTotal: (total) => `共 ${total} 场`,
            }}
          />
        )}
      </Card>
      <SessionFormModal
        open={creating}
        onClose={() => setCreating(false)}
        etownOptions={etownOptions}
        onSaved={(session) => navigate(`/trainings/${session.id}`)}
      />
    </>
  );
}
