import { UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { TrainingAttendee, TrainingSessionDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { SessionSignInQr } from './session-sign-in-qr.tsx';

const crumbs = [{ title: '人才培训' }, { title: '培训场次', to: '/trainings' }];
const sourceLabels: Record<TrainingAttendee['source'], string> = {
  manual: '手工签到',
  import: '名单导入',
  qr: '扫码签到',
};

/** Trainees of the session's e-town, searched on the server by name as the person types. */
function TraineePicker({
  etownCode,
  value,
  onChange,
}: {
  etownCode: string;
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const [typed, setTyped] = useState('');
  const [keyword, setKeyword] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setKeyword(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useLoader(
    () =>
      unwrap(
        apiClient.GET('/api/trainees', {
          params: { query: { regionCode: etownCode, keyword: keyword || undefined, pageSize: 50 } },
        }),
      ),
    `${etownCode}|${keyword}`,
  );
  return (
    <Select
      mode="multiple"
      style={{ minWidth: 360 }}
      placeholder="输入姓名查找学员"
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setTyped}
      loading={found.loading}
      data-testid="attendance-picker"
      options={(found.data?.items ?? []).map((trainee) => ({
        value: trainee.id,
        label: `${trainee.name}（${trainee.idNumberMasked}）`,
      }))}
    />
  );
}

/** The sign-in list's columns; with `remove`, a 撤销 button on each row. */
function attendeeColumns(remove: ((traineeId: string) => void) | null): TableColumnsType<TrainingAttendee> {
  return [
    { title: '姓名', dataIndex: 'name' },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 190 },
    {
      title: '所在村',
      dataIndex: 'villageName',
      width: 120,
      render: (value: string | null) => value ?? '—',
    },
    {
      title: '方式',
      dataIndex: 'source',
      width: 100,
      render: (source: TrainingAttendee['source']) => sourceLabels[source],
    },
    { title: '签到时间', dataIndex: 'signedInAt', width: 160, render: formatMinute },
    ...(remove
      ? [
          {
            title: '',
            width: 70,
            render: (_: unknown, attendee: TrainingAttendee) => (
              <Popconfirm title="撤销该学员的签到？" onConfirm={() => remove(attendee.traineeId)}>
                <Button type="link" size="small" danger>
                  撤销
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
}

function AttendanceCard({
  session,
  onChange,
}: {
  session: TrainingSessionDetail;
  onChange: (next: TrainingSessionDetail) => void;
}) {
  const me = useMe();
  const { message } = App.useApp();
  const [picked, setPicked] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const writable = can.writeTrainings(me.role);
  const signIn = async () => {
    setSaving(true);
    try {
      const change = await unwrap(
        apiClient.POST('/api/trainings/sessions/{id}/attendance', {
          params: { path: { id: session.id } },
          body: { traineeIds: picked },
        }),
      );
      onChange(change.session);
      setPicked([]);
      message.success(
        `已签到 ${change.added} 人${change.alreadyPresent ? `，${change.alreadyPresent} 人此前已签到` : ''}`,
      );
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  const importSheet = async (file: File) => {
    setSaving(true);
    try {
      const change = await unwrap(
        apiClient.POST('/api/trainings/sessions/{id}/attendance/import', {
          params: { path: { id: session.id }, query: { fileName: file.name } },
          ...fileBody(file),
        }),
      );
      onChange(change.session);
      message.success(
        `签到表已导入：新签到 ${change.added} 人${change.alreadyPresent ? `，${change.alreadyPresent} 人此前已签到` : ''}`,
      );
    } catch (failure) {
      message.error(errorMessage(failure), 8);
    } finally {
      setSaving(false);
    }
  };
  const remove = async (traineeId: string) => {
    try {
      onChange(
        await unwrap(
          apiClient.DELETE('/api/trainings/sessions/{id}/attendance/{traineeId}', {
            params: { path: { id: session.id, traineeId } },
          }),
        ),
      );
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <Card
      title={`签到名单（${session.attendance} 人次 / 容纳 ${session.capacity} 人）`}
      style={{ marginTop: 16 }}
    >
      {writable && (
        <Space style={{ marginBottom: 16 }} wrap>
          <TraineePicker etownCode={session.etownCode} value={picked} onChange={setPicked} />
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            disabled={picked.length === 0}
            loading={saving}
            onClick={() => void signIn()}
            data-testid="attendance-add"
          >
            签到
          </Button>
          <Upload
            accept=".csv,.xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              void importSheet(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={saving} data-testid="attendance-import">
              导入签到表
            </Button>
          </Upload>
          <SessionSignInQr sessionId={session.id} topic={session.topic} />
          <Typography.Text type="secondary">签到表须有「身份证号」列，人员须已建档</Typography.Text>
        </Space>
      )}
      <Table<TrainingAttendee>
        rowKey="traineeId"
        size="small"
        dataSource={session.attendees}
        data-testid="attendance-table"
        locale={{ emptyText: '还没有人签到' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={attendeeColumns(writable ? (traineeId) => void remove(traineeId) : null)}
      />
    </Card>
  );
}

export function TrainingSessionDetailPage() {
  const { id = '' } = useParams();
  const session = useLoader(
    () => unwrap(apiClient.GET('/api/trainings/sessions/{id}', { params: { path: { id } } })),
    id,
  );
  if (session.loading && !session.data)
    return (
      <>
        <PageHeader title="培训场次" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  if (!session.data)
    return (
      <>
        <PageHeader title="培训场次" crumbs={crumbs} />
        {session.notFound ? (
          <Card>
            <NotFoundState what="培训场次" backTo="/trainings" backLabel="返回培训场次" />
          </Card>
        ) : (
          <ErrorState message={session.error ?? '加载失败'} onRetry={session.reload} />
        )}
      </>
    );
  const detail = session.data;
  return (
    <>
      <PageHeader
        title={
          <Space>
            {detail.topic}
            {detail.crossBorder && <Tag color="purple">跨境电商</Tag>}
          </Space>
        }
        crumbs={[...crumbs, { title: detail.topic }]}
        subtitle={`${detail.etownName} · ${formatDate(detail.heldOn)}`}
      />
      <Card>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="培训机构">{detail.institutionName}</Descriptions.Item>
          <Descriptions.Item label="授课老师">{detail.teacher}</Descriptions.Item>
          <Descriptions.Item label="地点">{detail.place}</Descriptions.Item>
          <Descriptions.Item label="培训人次">
            <Typography.Text strong data-testid="session-attendance">
              {detail.attendance}
            </Typography.Text>{' '}
            （按签到记录计数）
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <AttendanceCard session={detail} onChange={session.setData} />
    </>
  );
}
