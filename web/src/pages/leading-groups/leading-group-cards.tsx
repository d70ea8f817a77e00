import { EditOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import type { GroupDetail, GroupMember, GroupUnit, MemberPosition } from '../../api/types.ts';
import { positionLabels, positionOrder } from '../../labels.ts';
import { formatDate } from '../../time.ts';

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

type MemberAction = (member: GroupMember) => void;

function memberColumns(
  byId: Map<string, GroupMember>,
  writable: boolean,
  onReplace: MemberAction,
  onEnd: MemberAction,
): TableColumnsType<GroupMember> {
  return [
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
                    onClick={() => onReplace(member)}
                    data-testid={`replace-${member.id}`}
                  >
                    更换
                  </Button>
                  <Button type="link" size="small" danger onClick={() => onEnd(member)}>
                    结束任职
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];
}

export function GroupBasicCard({ detail }: { detail: GroupDetail }) {
  return (
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
  );
}

type GroupMembersCardProps = {
  detail: GroupDetail;
  writable: boolean;
  showHistory: boolean;
  onShowHistoryChange: (show: boolean) => void;
  onAdd: () => void;
  onReplace: MemberAction;
  onEnd: MemberAction;
};

export function GroupMembersCard({
  detail,
  writable,
  showHistory,
  onShowHistoryChange,
  onAdd,
  onReplace,
  onEnd,
}: GroupMembersCardProps) {
  const byId = useMemo(() => new Map(detail.members.map((m) => [m.id, m])), [detail]);
  const members = useMemo(() => {
    const all = sortMembers(detail.members);
    return showHistory ? all : all.filter((member) => member.until === null);
  }, [detail, showHistory]);
  const historyCount = detail.members.filter((member) => member.until !== null).length;
  return (
    <Card
      title="组成人员"
      size="small"
      data-testid="group-members"
      extra={
        <Space>
          <Space size={6}>
            <Switch
              checked={showHistory}
              onChange={onShowHistoryChange}
              size="small"
              data-testid="member-history-toggle"
            />
            <span>显示历任成员{historyCount ? `（${historyCount}）` : ''}</span>
          </Space>
          {writable && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={onAdd}>
              添加成员
            </Button>
          )}
        </Space>
      }
    >
      <Table
        rowKey="id"
        size="small"
        columns={memberColumns(byId, writable, onReplace, onEnd)}
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
  );
}

type GroupUnitsCardProps = {
  detail: GroupDetail;
  writable: boolean;
  onEditUnit: (unit: GroupUnit | 'new') => void;
};

export function GroupUnitsCard({ detail, writable, onEditUnit }: GroupUnitsCardProps) {
  return (
    <Card
      title={`成员单位及职责（${detail.units.length}）`}
      size="small"
      data-testid="group-units"
      extra={
        writable && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => onEditUnit('new')}>
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
                      onEditUnit(unit);
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
  );
}
