import {
  DashboardOutlined,
  DeleteOutlined,
  EditOutlined,
  FileExcelOutlined,
  ReloadOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Popconfirm, Row, Space, Steps, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EtownDetail, Phase } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { formatKm2 } from '../../geo.ts';
import { phaseLabels, phaseOrder } from '../../labels.ts';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { TierTag } from '../regions/region-page.tsx';
import { BoundaryCard } from './boundary-card.tsx';
import { EtownEditDrawer } from './etown-edit-drawer.tsx';

function PhaseSteps({ phases }: { phases: Phase[] }) {
  if (phases.length === 0)
    return <Empty description="尚未填写建设阶段" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const today = todayInShanghai();
  const ordered = phaseOrder
    .map((key) => phases.find((phase) => phase.phase === key))
    .filter((phase): phase is Phase => Boolean(phase));
  const currentIndex = ordered.findIndex((phase) => phase.startOn <= today && today <= phase.endOn);
  return (
    <Steps
      data-testid="phase-steps"
      titlePlacement="vertical"
      size="small"
      current={currentIndex === -1 ? ordered.filter((phase) => phase.endOn < today).length : currentIndex}
      items={ordered.map((phase) => ({
        key: phase.phase,
        title: phaseLabels[phase.phase],
        status: phase.endOn < today ? 'finish' : phase.startOn <= today ? 'process' : 'wait',
        content: (
          <>
            {phase.startOn}
            <br />至 {phase.endOn}
          </>
        ),
      }))}
    />
  );
}

const orDash = (value: string | null) => value || '—';

type EtownHeaderActionsProps = { profile: EtownDetail; editable: boolean; onEdit: () => void };

/** Links to the e-town's other pages, and editing or deleting it for those who may. */
function EtownHeaderActions({ profile, editable, onEdit }: EtownHeaderActionsProps) {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { reload: reloadTree } = useRegions();
  const remove = async () => {
    try {
      await apiClient.DELETE('/api/etowns/{code}', { params: { path: { code: profile.code } } });
      message.success(`已删除 ${profile.name}`);
      void reloadTree();
      navigate(`/regions/${profile.countyCode}?region=${profile.countyCode}`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <>
      {can.readScorecards(me.role) && (
        <Link to={`/etowns/${profile.code}/scorecard`}>
          <Button icon={<DashboardOutlined />} data-testid="etown-scorecard">
            指标看板
          </Button>
        </Link>
      )}
      {can.readLedger(me.role) && (
        <Link to={`/etowns/${profile.code}/ledger`}>
          <Button icon={<FileExcelOutlined />} data-testid="etown-ledger">
            台账导入导出
          </Button>
        </Link>
      )}
      {can.readLeadingGroups(me.role) && (
        <Link to={`/leading-groups?region=${profile.code}`}>
          <Button icon={<TeamOutlined />} data-testid="etown-leading-groups">
            领导小组
          </Button>
        </Link>
      )}
      {editable && (
        <Button type="primary" icon={<EditOutlined />} onClick={onEdit} data-testid="etown-edit">
          编辑档案
        </Button>
      )}
      {editable && (
        <Popconfirm
          title="删除此e镇？"
          description="仅在没有业务数据时可以删除，删除后不可恢复。"
          okText="删除"
          okButtonProps={{ danger: true }}
          cancelText="取消"
          onConfirm={remove}
        >
          <Button danger icon={<DeleteOutlined />}>
            删除
          </Button>
        </Popconfirm>
      )}
    </>
  );
}

function EtownBasicCard({ profile }: { profile: EtownDetail }) {
  return (
    <Card title="基本信息" size="small" data-testid="etown-basic">
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'code', label: '编号', children: profile.code },
          {
            key: 'county',
            label: '所属县（市、区）',
            children: (
              <Link to={`/regions/${profile.countyCode}?region=${profile.countyCode}`}>
                {profile.cityName} · {profile.countyName}
              </Link>
            ),
          },
          { key: 'tier', label: '县分类', children: <TierTag tier={profile.tier} /> },
          {
            key: 'industries',
            label: '主导产业',
            children: profile.leadingIndustries.length ? (
              <span data-testid="leading-industries">
                {profile.leadingIndustries.map((item) => (
                  <Tag color="green" key={item}>
                    {item}
                  </Tag>
                ))}
              </span>
            ) : (
              '—'
            ),
          },
          {
            key: 'entity',
            label: '运营主体',
            children: <span data-testid="operating-entity">{orDash(profile.operatingEntity)}</span>,
          },
          {
            key: 'villages',
            label: '涉及村庄',
            children: profile.villages.length
              ? profile.villages.map((village) => <Tag key={village}>{village}</Tag>)
              : '—',
          },
          { key: 'land', label: '核心区面积（申报）', children: formatKm2(profile.landAreaKm2) },
          {
            key: 'boundaryArea',
            label: '边界测算面积',
            children: formatKm2(profile.boundaryAreaKm2),
          },
          {
            key: 'building',
            label: '建筑面积',
            children: profile.buildingAreaM2
              ? `${Number(profile.buildingAreaM2).toLocaleString('zh-CN')} 平方米`
              : '—',
          },
        ]}
      />
    </Card>
  );
}

function FourBoundsCard({ profile }: { profile: EtownDetail }) {
  return (
    <Card title="四至范围" size="small" data-testid="etown-four-bounds">
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: 'east',
            label: '东至',
            children: <span data-testid="boundary-east">{orDash(profile.boundaryEast)}</span>,
          },
          {
            key: 'west',
            label: '西至',
            children: <span data-testid="boundary-west">{orDash(profile.boundaryWest)}</span>,
          },
          {
            key: 'south',
            label: '南至',
            children: <span data-testid="boundary-south">{orDash(profile.boundarySouth)}</span>,
          },
          {
            key: 'north',
            label: '北至',
            children: <span data-testid="boundary-north">{orDash(profile.boundaryNorth)}</span>,
          },
        ]}
      />
    </Card>
  );
}

export function EtownProfilePage() {
  const { code = '' } = useParams();
  const me = useMe();
  const { modal } = App.useApp();
  const { reload: reloadTree } = useRegions();
  const etown = useLoader(
    () => unwrap(apiClient.GET('/api/etowns/{code}', { params: { path: { code } } })),
    code,
  );
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState(false);
  const editable = can.writeEtowns(me.role);

  const crumbs = [{ title: 'e镇档案', to: '/etowns' }];
  if (etown.loading && !etown.data) {
    return (
      <>
        <PageHeader title="e镇档案" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (etown.notFound) {
    return (
      <>
        <PageHeader title="e镇档案" crumbs={crumbs} />
        <Card>
          <NotFoundState what="e镇" backTo="/etowns" backLabel="返回e镇列表" />
        </Card>
      </>
    );
  }
  if (!etown.data) {
    return (
      <>
        <PageHeader title="e镇档案" crumbs={crumbs} />
        <ErrorState message={etown.error ?? '加载失败'} onRetry={etown.reload} />
      </>
    );
  }
  const profile = etown.data;

  return (
    <>
      <PageHeader
        title={<span data-testid="etown-name">{profile.name}</span>}
        crumbs={[
          ...crumbs,
          { title: profile.cityName, to: `/regions/${profile.cityCode}?region=${profile.cityCode}` },
          { title: profile.countyName, to: `/regions/${profile.countyCode}?region=${profile.countyCode}` },
          { title: profile.name },
        ]}
        subtitle={`编号 ${profile.code} · 最后更新 ${formatDateTime(profile.updatedAt)}`}
        extra={<EtownHeaderActions profile={profile} editable={editable} onEdit={() => setEditing(true)} />}
      />
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title="档案已被他人修改"
          description="您看到的不是最新版本，请重新加载后再修改。"
          style={{ marginBottom: 16 }}
          data-testid="version-conflict"
          action={
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                setConflict(false);
                void etown.reload();
              }}
            >
              重新加载
            </Button>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <EtownBasicCard profile={profile} />
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <FourBoundsCard profile={profile} />
            <Card title="建设阶段" size="small" data-testid="etown-phases">
              <PhaseSteps phases={profile.phases} />
            </Card>
          </Space>
        </Col>
        <Col span={24}>
          <BoundaryCard
            etown={profile}
            editable={editable}
            onSaved={(saved) => etown.setData(saved)}
            onConflict={() => setConflict(true)}
          />
        </Col>
      </Row>
      {editable && (
        <EtownEditDrawer
          etown={profile}
          open={editing}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            etown.setData(saved);
            if (saved.name !== profile.name) void reloadTree();
          }}
          onConflict={() => {
            setEditing(false);
            setConflict(true);
            modal.warning({
              title: '档案已被他人修改',
              content: '保存失败：在您编辑期间，其他人已修改了此e镇档案。请重新加载后再修改。',
              okText: '知道了',
            });
          }}
        />
      )}
    </>
  );
}
