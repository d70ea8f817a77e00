import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { GroupDetail, GroupMember, GroupUnit } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { GroupFormModal } from './group-form-modal.tsx';
import { GroupBasicCard, GroupMembersCard, GroupUnitsCard } from './leading-group-cards.tsx';
import { AddMemberModal, EndMemberModal, ReplaceMemberModal, UnitModal } from './member-modals.tsx';

/** 编辑基本信息 and 撤销小组, for those who may write leading groups. */
function GroupHeaderActions({ detail, onEdit }: { detail: GroupDetail; onEdit: () => void }) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const dissolve = async () => {
    try {
      await apiClient.DELETE('/api/leading-groups/{id}', { params: { path: { id: detail.id } } });
      message.success(`已撤销 ${detail.name}`);
      navigate(`/leading-groups?region=${detail.regionCode}`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <>
      <Button icon={<EditOutlined />} onClick={onEdit}>
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
  );
}

export function LeadingGroupDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
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
        extra={writable && <GroupHeaderActions detail={detail} onEdit={() => setEditingGroup(true)} />}
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <GroupBasicCard detail={detail} />
        <GroupMembersCard
          detail={detail}
          writable={writable}
          showHistory={showHistory}
          onShowHistoryChange={setShowHistory}
          onAdd={() => setAdding(true)}
          onReplace={setReplacing}
          onEnd={setEnding}
        />
        <GroupUnitsCard detail={detail} writable={writable} onEditUnit={setUnitEditing} />
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
