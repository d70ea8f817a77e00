import { DeleteOutlined, EditOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Popconfirm,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { GroupDetail, GroupMember, GroupUnit, MemberPosition } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { positionLabels, positionOrder } from '../../labels.ts';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { GroupFormModal } from './group-form-modal.tsx';
import { AddMemberModal, EndMemberModal, ReplaceMemberModal, UnitModal } from './member-modals.tsx';

const positionColors: Record<MemberPosition, string> = {
  head: 'red',
  deputy: 'volcano',
  member: 'blue',
  office_director: 'purple',
};

const multiline = (text: string | null) =>
  text ? (
    <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>
  ) : (
    <Typography.Text type="secondary">未填写</Typography.Text>
  );

function sortMembers(members: GroupMember[]): GroupMember[] {
  return [...members].sort(
    (a, b) =>
      positionOrder.indexOf(a.position) - positionOrder.indexOf(b.position) ||
      a.sortOrder - b.sortOrder ||
      (a.until === null ? 0 : 1) - (b.until === null ? 0 : 1) ||
      (b.since ?? '').localeCompare(a.since ?? ''),
  );
}

export function LeadingGroupDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const group = useLoader(
    () => unwrap(apiClient.GET('/api/leading-groups/{id}', { params: { path: { id } } })),
    id,
  );
  const [showHistory, setShowHistory] = useState(false);
  const [editingGroup, setEditingGroup] = useState(false);
  const [adding, setAdding] = useState(false);
  const [replacing, setReplacing] = useState<GroupMember | null>(null);
  const [ending, setEnding] = useState<GroupMember | null>(null);
  const [unitEditing, setUnitEditing] = useState<GroupUnit | 'new' | null>(null);
  const writable = can.writeLeadingGroups(me.role);

  const byId = useMemo(() => new Map((group.data?.members ?? []).map((m) => [m.id, m])), [group.data]);
  const members = useMemo(() => {
    const all = sortMembers(group.data?.members ?? []);
    return showHistory ? all : all.filter((member) => member.until === null);
  }, [group.data, showHistory]);
  const historyCount = (group.data?.members ?? []).filter((member) => member.until !== null).length;

  const crumbs = [{ title: '领导小组', to: '/leading-groups' }];
  if (group.loading && !group.data) {
    return (
      <>
        <PageHeader title="领导小组" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (group.notFound) {
    return (
      <>
        <PageHeader title="领导小组" crumbs={crumbs} />
        <Card>
          <NotFoundState what="领导小组" backTo="/leading-groups" backLabel="返回领导小组列表" />
        </Card>
      </>
    );
  }
  if (!group.data) {
    return (
      <>
        <PageHeader title="领导小组" crumbs={crumbs} />
        <ErrorState message={group.error ?? '加载失败'} onRetry={group.reload} />
      </>
    );
  }
  const detail = group.data;
  const update = (next: GroupDetail) => group.setData(next);
  const dissolve = async () => {
    try {
      await apiClient.DELETE('/api/leading-groups/{id}', { params: { path: { id: detail.id } } });
      message.success(`已撤销 ${detail.name}`);
      navigate(`/leading-groups?region=${detail.regionCode}`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };

  const columns: TableColumnsType<GroupMember> = [
    {
      title: '小组职务',
      dataIndex: 'position',
      width: 110,
      render: (position: MemberPosition) => (
        <Tag color={positionColors[position]}>{positionLabels[position]}</Tag>
      ),
    },
    {
      title: '姓名',
      dataIndex: 'personName',
      width: 110,
      render: (name: string, member) => (
        <span data-testid={`member-name-${member.position}`}>
          {name}
          {member.until !== null && (
            <Tag style={{ marginInlineStart: 6 }} color="default">
              已离任
            </Tag>
          )}
        </span>
      ),
    },
    { title: '本职职务', dataIndex: 'title', render: (value: string | null) => value ?? '—' },
    { title: '所在单位', dataIndex: 'unitName', render: (value: string | null) => value ?? '—' },
    {
      title: '任职时间',
      key: 'term',
      width: 220,
      render: (_value, member) =>
        member.until
          ? `${formatDate(member.since)} 至 ${formatDate(member.until)}`
          : member.since
            ? `${formatDate(member.since)} 起`
            : '—',
    },
    {
      title: '变动说明',
      key: 'change',
      render: (_value, member) => {
        const replaces = member.replacesId ? byId.get(member.replacesId) : undefined;
        const replacedBy = member.replacedById ? byId.get(member.replacedById) : undefined;
        const parts: string[] = [];
        if (replaces) parts.push(`接替 ${replaces.personName}`);
        if (replacedBy) parts.push(`由 ${replacedBy.personName} 接替`);
        if (!replacedBy && member.until) parts.push('已结束任职');
        if (member.note) parts.push(member.note);
        return parts.length ? parts.join('；') : '—';
      },
    },
    ...(writable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 170,
            render: (_value: unknown, member: GroupMember) =>
              member.until === null ? (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    icon={<SwapOutlined />}
                    onClick={() => setReplacing(member)}
                    data-testid={`replace-${member.id}`}
                  >
                    更换
                  </Button>
                  <Button type="link" size="small" danger onClick={() => setEnding(member)}>
                    结束任职
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={<span data-testid="group-name">{detail.name}</span>}
        crumbs={[
          ...crumbs,
          { title: detail.regionName, to: `/leading-groups?region=${detail.regionCode}` },
          { title: detail.name },
        ]}
        subtitle={detail.docNo ? `成立文号：${detail.docNo}` : undefined}
        extra={
          writable && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditingGroup(true)}>
                编辑基本信息
              </Button>
              <Popconfirm
                title="撤销此领导小组？"
                description="撤销后小组及其成员、成员单位不再显示，撤销前的完整记录保存在审计日志中。"
                okText="撤销"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={dissolve}
              >
                <Button danger icon={<DeleteOutlined />}>
                  撤销小组
                </Button>
              </Popconfirm>
            </>
          )
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title="基本信息" size="small" data-testid="group-basic">
          <Descriptions
            column={{ xs: 1, md: 2 }}
            size="small"
            items={[
              { key: 'region', label: '所属区划', children: detail.regionName },
              { key: 'doc', label: '成立文号', children: detail.docNo ?? '—' },
              { key: 'established', label: '成立日期', children: formatDate(detail.establishedOn) },
              { key: 'office', label: '办公室设在', children: detail.officeLocation ?? '—' },
              { key: 'duties', label: '主要职责', span: 2, children: multiline(detail.responsibilities) },
              { key: 'rule', label: '成员调整规则', span: 2, children: multiline(detail.memberChangeRule) },
            ]}
          />
        </Card>

        <Card
          title="组成人员"
          size="small"
          data-testid="group-members"
          extra={
            <Space>
              <Space size={6}>
                <Switch
                  checked={showHistory}
                  onChange={setShowHistory}
                  size="small"
                  data-testid="member-history-toggle"
                />
                <span>显示历任成员{historyCount ? `（${historyCount}）` : ''}</span>
              </Space>
              {writable && (
                <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                  添加成员
                </Button>
              )}
            </Space>
          }
        >
          <Table
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={members}
            pagination={false}
            data-testid="members-table"
            rowClassName={(member) => (member.until ? 'replaced-row' : '')}
            onRow={(member) =>
              ({ 'data-testid': `member-row-${member.position}` }) as React.HTMLAttributes<HTMLElement>
            }
            locale={{ emptyText: '尚未登记成员' }}
            scroll={{ x: 900 }}
          />
        </Card>

        <Card
          title={`成员单位及职责（${detail.units.length}）`}
          size="small"
          data-testid="group-units"
          extra={
            writable && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setUnitEditing('new')}>
                添加成员单位
              </Button>
            )
          }
        >
          {detail.units.length === 0 ? (
            <Empty description="尚未登记成员单位" image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <Collapse
              items={[...detail.units]
                .sort((a, b) => a.sortOrder - b.sortOrder)
                .map((unit) => {
                  const people = detail.members.filter((m) => m.unitId === unit.id && m.until === null);
                  return {
                    key: unit.id,
                    label: (
                      <Space>
                        <strong>{unit.name}</strong>
                        {people.length > 0 && (
                          <Typography.Text type="secondary">
                            {people.map((m) => `${m.personName}（${positionLabels[m.position]}）`).join('、')}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                    extra: writable ? (
                      <Button
                        size="small"
                        type="link"
                        icon={<EditOutlined />}
                        onClick={(event) => {
                          event.stopPropagation();
                          setUnitEditing(unit);
                        }}
                      >
                        编辑职责
                      </Button>
                    ) : undefined,
                    children: multiline(unit.duties),
                  };
                })}
            />
          )}
        </Card>
      </Space>

      {writable && (
        <>
          <GroupFormModal
            open={editingGroup}
            onClose={() => setEditingGroup(false)}
            onSaved={update}
            group={detail}
          />
          <AddMemberModal
            groupId={detail.id}
            units={detail.units}
            open={adding}
            onClose={() => setAdding(false)}
            onSaved={update}
          />
          <ReplaceMemberModal
            groupId={detail.id}
            member={replacing}
            onClose={() => setReplacing(null)}
            onSaved={update}
          />
          <EndMemberModal
            groupId={detail.id}
            member={ending}
            onClose={() => setEnding(null)}
            onSaved={update}
          />
          <UnitModal
            groupId={detail.id}
            unit={unitEditing}
            onClose={() => setUnitEditing(null)}
            onSaved={update}
          />
        </>
      )}
    </>
  );
}
