import { EditOutlined, PlusOutlined } from '@ant-design/icons';
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
import { apiClient, unwrap } from '../../api/client.ts';
import type { Incident, IncidentCategory } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs, formatMinute } from '../../time.ts';
import { day, useEtownOptions } from './project-list-page.tsx';
import { incidentCategoryLabels, optionsOf } from './project-types.ts';
import { DeleteButton, type EtownOption, useModalTarget, useRegionList } from './supervision-shared.tsx';

type IncidentForm = {
  etownCode?: string;
  occurredOn: dayjs.Dayjs;
  category: IncidentCategory;
  description?: string;
  handling?: string;
  handledOn?: dayjs.Dayjs | null;
};

type IncidentRowActions = {
  answerable: boolean;
  writable: boolean;
  onAnswer: (incident: Incident) => void;
  onEdit: (incident: Incident) => void;
  onDeleted: () => void;
};

/** The e-town's answer, with who answered and when. */
function IncidentAnswerCell({ incident }: { incident: Incident }) {
  return incident.answer ? (
    <Space orientation="vertical" size={0} data-testid="incident-answer">
      <Typography.Text>{incident.answer}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {incident.answeredByName ?? '—'} · {formatMinute(incident.answeredAt)}
      </Typography.Text>
    </Space>
  ) : (
    <Tag color="default">未答复</Tag>
  );
}

/** The table's columns; the e-town gets an answer column, the recording levels edit and delete. */
function incidentColumns({ answerable, writable, onAnswer, onEdit, onDeleted }: IncidentRowActions) {
  const answerColumn: TableColumnsType<Incident>[number] = {
    title: '操作',
    width: 100,
    render: (_: unknown, incident: Incident) => (
      <Button
        type="link"
        size="small"
        icon={<EditOutlined />}
        onClick={() => onAnswer(incident)}
        data-testid="incident-answer-open"
      >
        {incident.answer ? '修改答复' : '答复'}
      </Button>
    ),
  };
  const recordColumn: TableColumnsType<Incident>[number] = {
    title: '操作',
    width: 170,
    render: (_: unknown, incident: Incident) => (
      <Space size={0}>
        <Button
          type="link"
          size="small"
          icon={<EditOutlined />}
          onClick={() => onEdit(incident)}
          data-testid="incident-edit"
        >
          处置/修改
        </Button>
        <DeleteButton
          title="删除这条违规违法事件？"
          description="删除后不可恢复，指标 20 将按其余事件重新评估。"
          remove={() =>
            apiClient.DELETE('/api/compliance-incidents/{id}', {
              params: { path: { id: incident.id } },
            })
          }
          testId="incident-delete"
          onDeleted={onDeleted}
        />
      </Space>
    ),
  };
  const columns: TableColumnsType<Incident> = [
    { title: '发生日期', dataIndex: 'occurredOn', width: 110 },
    {
      title: '类别',
      dataIndex: 'category',
      width: 110,
      render: (value: IncidentCategory) => <Tag color="red">{incidentCategoryLabels[value]}</Tag>,
    },
    { title: 'e镇', dataIndex: 'etownName', width: 130 },
    {
      title: '事件经过',
      dataIndex: 'description',
      render: (value: string | null) => value ?? '—',
    },
    {
      title: '处置情况',
      dataIndex: 'handling',
      render: (value: string | null, incident) =>
        value ? `${value}（${incident.handledOn ?? '日期未填'}）` : <Tag color="warning">未处置</Tag>,
    },
    {
      title: 'e镇答复',
      dataIndex: 'answer',
      render: (_: string | null, incident) => <IncidentAnswerCell incident={incident} />,
    },
    {
      title: '登记人',
      dataIndex: 'recordedByName',
      width: 120,
      render: (value: string | null) => value ?? '台账导入',
    },
  ];
  return [...columns, ...(answerable ? [answerColumn] : []), ...(writable ? [recordColumn] : [])];
}

/**
 * Incidents decide #20, so the e-town never records them: the county (city, province) records, edits
 * and deletes; the e-town sees the incidents about it and answers them (情况说明 / 整改说明).
 */
export function IncidentsTab() {
  const me = useMe();
  const editing = useModalTarget<Incident | 'new'>();
  const answering = useModalTarget<Incident>();
  const writable = can.recordIncidents(me.role);
  const answerable = can.answerIncidents(me.role);
  const incidents = useRegionList((regionCode) =>
    unwrap(apiClient.GET('/api/compliance-incidents', { params: { query: { regionCode } } })),
  );
  const etownOptions = useEtownOptions(writable);
  return (
    <>
      <Typography.Paragraph type="secondary">
        用地、生态环保、债务防控、房住不炒、生产安全等方面的违规违法事件；当年发生即指标 20 不达标。
        {answerable
          ? '事件由县级（或市级、省级）登记，e镇不能登记、修改或删除；请对本e镇的事件作出答复（情况说明或整改情况）。'
          : '事件由县级（或市级、省级）登记，e镇可查看并答复。'}
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => editing.open('new')}
          data-testid="incident-create"
        >
          登记事件
        </Button>
      )}
      {incidents.error ? (
        <ErrorState message={incidents.error} onRetry={incidents.reload} />
      ) : (
        <Table<Incident>
          rowKey="id"
          size="middle"
          loading={incidents.loading}
          dataSource={incidents.data ?? []}
          pagination={false}
          data-testid="incident-table"
          onRow={(incident) =>
            ({ 'data-testid': `incident-row-${incident.id}` }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: '没有违规违法事件' }}
          columns={incidentColumns({
            answerable,
            writable,
            onAnswer: answering.open,
            onEdit: editing.open,
            onDeleted: () => void incidents.reload(),
          })}
        />
      )}
      <IncidentModal
        key={editing.key}
        incident={editing.target === 'new' ? undefined : (editing.target ?? undefined)}
        open={editing.target !== null}
        etownOptions={etownOptions}
        onClose={editing.close}
        onSaved={() => void incidents.reload()}
      />
      {answering.target && (
        <IncidentAnswerModal
          key={answering.key}
          incident={answering.target}
          onClose={answering.close}
          onSaved={() => void incidents.reload()}
        />
      )}
    </>
  );
}

/** The e-town's answer to an incident about it: an explanation or the rectification made. */
function IncidentAnswerModal({
  incident,
  onClose,
  onSaved,
}: {
  incident: Incident;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<{ answer: string }>
      title="答复违规违法事件"
      open
      onClose={onClose}
      testId="incident-answer-form"
      fieldNames={['answer']}
      initialValues={{ answer: incident.answer ?? undefined }}
      onSubmit={async (values) => {
        await unwrap(
          apiClient.POST('/api/compliance-incidents/{id}/answer', {
            params: { path: { id: incident.id } },
            body: { answer: values.answer },
          }),
        );
        message.success('已答复');
        onSaved();
      }}
    >
      <Form.Item label="事件">
        <Typography.Text>
          {incident.occurredOn} · {incidentCategoryLabels[incident.category]} · {incident.description ?? '—'}
        </Typography.Text>
      </Form.Item>
      <Form.Item
        name="answer"
        label="答复（情况说明或整改情况）"
        rules={[{ required: true, whitespace: true, message: '请填写答复' }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="incident-answer-text" />
      </Form.Item>
    </FormModal>
  );
}

function IncidentModal({
  incident: loadedIncident,
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  incident?: Incident;
  open: boolean;
  etownOptions: EtownOption[];
  onClose: () => void;
  onSaved: () => void;
}) {
  // The version this form edits; a 409 replaces it with the current record.
  const [incident, setIncident] = useState(loadedIncident);
  const { message } = App.useApp();
  return (
    <FormModal<IncidentForm>
      title={incident ? '处置 / 修改事件' : '登记违规违法事件'}
      open={open}
      onClose={onClose}
      testId="incident-form"
      onStale={(current) => {
        setIncident(current as Incident);
        onSaved();
      }}
      fieldNames={['etownCode', 'occurredOn', 'category', 'description', 'handling', 'handledOn']}
      initialValues={
        incident
          ? {
              occurredOn: dayjs(incident.occurredOn),
              handledOn: incident.handledOn ? dayjs(incident.handledOn) : null,
              category: incident.category,
              description: incident.description ?? undefined,
              handling: incident.handling ?? undefined,
            }
          : { etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }
      }
      onSubmit={async (values) => {
        const body = {
          occurredOn: values.occurredOn.format('YYYY-MM-DD'),
          category: values.category,
          description: values.description,
          handling: values.handling,
          handledOn: day(values.handledOn),
        };
        if (incident) {
          await apiClient.PUT('/api/compliance-incidents/{id}', {
            params: { path: { id: incident.id } },
            body: { ...body, version: incident.version },
          });
        } else {
          // The e-town is a required field of the create form.
          await apiClient.POST('/api/compliance-incidents', {
            body: { ...body, etownCode: values.etownCode ?? '' },
          });
        }
        message.success(incident ? '已保存' : '已登记事件');
        onSaved();
      }}
    >
      {incident ? (
        <Form.Item label="e镇">
          <Typography.Text>{incident.etownName}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="incident-etown" />
        </Form.Item>
      )}
      <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true, message: '请选择发生日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="incident-occurred-on" />
      </Form.Item>
      <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select
          options={optionsOf(incidentCategoryLabels)}
          placeholder="请选择"
          data-testid="incident-category"
        />
      </Form.Item>
      <Form.Item name="description" label="事件经过">
        <Input.TextArea rows={2} maxLength={2000} data-testid="incident-description" />
      </Form.Item>
      <Form.Item name="handling" label="处置情况">
        <Input.TextArea rows={2} maxLength={2000} data-testid="incident-handling" />
      </Form.Item>
      <Form.Item name="handledOn" label="处置日期">
        <DatePicker style={{ width: '100%' }} data-testid="incident-handled-on" />
      </Form.Item>
    </FormModal>
  );
}
