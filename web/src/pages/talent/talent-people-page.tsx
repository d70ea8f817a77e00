import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { TalentPerson, TalentRole } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { useEtownOptions } from '../projects/project-list-page.tsx';
import { DeleteButton, useModalTarget } from '../projects/supervision-shared.tsx';
import { TalentPersonFormModal, talentRoleLabels } from './talent-person-form-modal.tsx';

const roleColors: Record<TalentRole, string> = {
  expert: 'blue',
  business_leader: 'gold',
  influencer: 'magenta',
};

/** The role's details in one line: field and employer; the entity led; platform, account, fans, sales. */
function details(person: TalentPerson) {
  if (person.role === 'expert')
    return [
      person.expertise,
      person.employer,
      person.engagedFrom ? `聘期 ${person.engagedFrom} 至 ${person.engagedTo ?? '今'}` : null,
    ];
  if (person.role === 'business_leader') return [person.entityName, person.leads];
  return [
    person.platform && person.account ? `${person.platform} · ${person.account}` : null,
    person.followers === null ? null : `粉丝 ${person.followers.toLocaleString('zh-CN')}`,
    person.monthlySalesYuan
      ? `${person.salesMonth ? `${person.salesMonth} ` : ''}销售额 ${person.monthlySalesYuan} 元`
      : null,
  ];
}

function EvidenceCell({
  person,
  writable,
  onChanged,
}: {
  person: TalentPerson;
  writable: boolean;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const upload = (file: File) => {
    setUploading(true);
    apiClient
      .POST('/api/talent-people/{id}/evidence', {
        params: { path: { id: person.id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(`已上传 ${file.name}`);
        onChanged();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploading(false));
    return false;
  };
  const remove = (evidenceId: string) =>
    unwrap(
      apiClient.DELETE('/api/talent-people/{id}/evidence/{evidenceId}', {
        params: { path: { id: person.id, evidenceId } },
      }),
    )
      .then(onChanged)
      .catch((failure) => message.error(errorMessage(failure)));
  return (
    <Space orientation="vertical" size={2}>
      {person.evidence.map((file) => (
        <Space key={file.id} size={4}>
          <a href={`/api/talent-people/${person.id}/evidence/${file.id}`} download={file.fileName}>
            <DownloadOutlined /> {file.fileName}
          </a>
          {writable && (
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label="删除证明材料"
              onClick={() => remove(file.id)}
            />
          )}
        </Space>
      ))}
      {person.evidence.length === 0 && !writable && <Typography.Text type="secondary">—</Typography.Text>}
      {writable && (
        <Upload
          accept=".pdf,.docx,.doc,.xlsx,image/png,image/jpeg"
          showUploadList={false}
          beforeUpload={upload}
        >
          <Button
            size="small"
            icon={<UploadOutlined />}
            loading={uploading}
            data-testid="talent-evidence-upload"
          >
            上传证明材料
          </Button>
        </Upload>
      )}
    </Space>
  );
}

function peopleColumns(writable: boolean, onEdit: (person: TalentPerson) => void, reload: () => void) {
  const columns: TableColumnsType<TalentPerson> = [
    {
      title: '类别',
      dataIndex: 'role',
      width: 110,
      render: (role: TalentRole) => <Tag color={roleColors[role]}>{talentRoleLabels[role]}</Tag>,
    },
    { title: '姓名', dataIndex: 'name', width: 170 },
    {
      title: '详情',
      render: (_, person) => details(person).filter(Boolean).join('；') || '—',
    },
    { title: '所在e镇', dataIndex: 'etownName', width: 130 },
    {
      title: '来源',
      dataIndex: 'source',
      width: 100,
      render: (source: TalentPerson['source']) =>
        source === 'platform' ? <Tag color="green">平台登记</Tag> : <Tag>台账导入</Tag>,
    },
    {
      title: '证明材料',
      width: 230,
      render: (_, person) =>
        person.source === 'platform' ? (
          <EvidenceCell person={person} writable={writable} onChanged={reload} />
        ) : (
          <Typography.Text type="secondary">随台账</Typography.Text>
        ),
    },
  ];
  if (!writable) return columns;
  return [
    ...columns,
    {
      title: '操作',
      width: 140,
      render: (_, person) =>
        person.source === 'platform' && (
          <Space size={0}>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(person)}>
              编辑
            </Button>
            <DeleteButton
              title={`删除“${person.name}”？`}
              description="证明材料一并删除，指标 12、13 随之重算"
              testId="talent-person-delete"
              remove={() =>
                unwrap(apiClient.DELETE('/api/talent-people/{id}', { params: { path: { id: person.id } } }))
              }
              onDeleted={reload}
            />
          </Space>
        ),
    },
  ] satisfies TableColumnsType<TalentPerson>;
}

const isRole = (value: string | null): value is TalentRole =>
  value !== null && Object.hasOwn(talentRoleLabels, value);

/** The person a scorecard drill-down links to (`?person=`), shown above the list with the same columns. */
function LinkedPerson({ id, columns }: { id: string; columns: TableColumnsType<TalentPerson> }) {
  const person = useLoader(
    () => unwrap(apiClient.GET('/api/talent-people/{id}', { params: { path: { id } } })),
    id,
  );
  if (person.error) return <ErrorState message={person.error} onRetry={person.reload} />;
  return (
    <Card
      title="指标明细中的人员"
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="talent-person-linked"
    >
      <Table<TalentPerson>
        rowKey="id"
        size="middle"
        loading={person.loading}
        dataSource={person.data ? [person.data] : []}
        columns={columns}
        pagination={false}
      />
    </Card>
  );
}

export function TalentPeoplePage() {
  const me = useMe();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [searchParams] = useSearchParams();
  const linkedId = searchParams.get('person');
  const linkedRole = searchParams.get('role');
  const [page, setPage] = useState(1);
  const [role, setRole] = useState<TalentRole | 'all'>(isRole(linkedRole) ? linkedRole : 'all');
  const editing = useModalTarget<TalentPerson | 'new'>();
  const etownOptions = useEtownOptions(true);
  const writable = can.writeTalentPeople(me.role);
  const query = {
    regionCode: currentCode ?? undefined,
    role: role === 'all' ? undefined : role,
    page,
    pageSize: 20,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/talent-people', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  return (
    <>
      <PageHeader
        title="专家、带头人与网红"
        crumbs={[
          { title: '人才培训' },
          { title: '专家、带头人与网红' },
          ...(current ? [{ title: current.name }] : []),
        ]}
        subtitle="指标 12（聘用专家、商业带头人）与 13（本地网红）按此计数；台账导入的人员随台账更新，与平台登记的同名同类人员只计一次"
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => editing.open('new')}
              data-testid="talent-person-create"
            >
              登记人员
            </Button>
          )
        }
      />
      {linkedId && (
        <LinkedPerson id={linkedId} columns={peopleColumns(writable, editing.open, list.reload)} />
      )}
      <Card>
        <Segmented
          style={{ marginBottom: 16 }}
          value={role}
          onChange={(value) => {
            setRole(value as TalentRole | 'all');
            setPage(1);
          }}
          options={[
            { value: 'all', label: '全部' },
            ...Object.entries(talentRoleLabels).map(([value, label]) => ({ value, label })),
          ]}
        />
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<TalentPerson>
            rowKey="id"
            size="middle"
            loading={list.loading || regionsLoading}
            dataSource={list.data?.items ?? []}
            columns={peopleColumns(writable, editing.open, list.reload)}
            data-testid="talent-people-table"
            locale={{ emptyText: '还没有登记人员' }}
            pagination={{
              current: page,
              pageSize: 20,
              total: list.data?.total ?? 0,
              onChange: setPage,
              showTotal: (total) => `共 ${total} 人`,
            }}
          />
        )}
      </Card>
      <TalentPersonFormModal
        key={editing.key}
        target={editing.target}
        etownOptions={etownOptions}
        onClose={editing.close}
        onSaved={() => {
          editing.close();
          list.reload();
        }}
        onStale={(current) => editing.open(current as TalentPerson)}
      />
    </>
  );
}
