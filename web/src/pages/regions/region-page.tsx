import { EnvironmentOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CountyTier, RegionDetail, RegionLevel, RegionNode } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { levelLabels, tierColors, tierLabels } from '../../labels.ts';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDateTime } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { CreateEtownModal } from './create-etown-modal.tsx';
import { TierModal } from './tier-modal.tsx';

export function TierTag({ tier }: { tier: CountyTier | null }) {
  if (!tier) return <Tag>未分类</Tag>;
  return (
    <Tag color={tierColors[tier]} data-testid="tier-tag">
      {tierLabels[tier]}
    </Tag>
  );
}

const levelColors: Record<RegionLevel, string> = {
  province: 'purple',
  city: 'geekblue',
  county: 'cyan',
  etown: 'green',
};

type TreeItem = { key: string; title: React.ReactNode; children?: TreeItem[]; isLeaf?: boolean };

function matches(node: RegionNode, keyword: string): boolean {
  return (
    node.name.includes(keyword) ||
    node.code.startsWith(keyword) ||
    node.children.some((c) => matches(c, keyword))
  );
}

function toTreeItems(nodes: RegionNode[], keyword: string): TreeItem[] {
  return nodes
    .filter((node) => !keyword || matches(node, keyword))
    .map((node) => ({
      key: node.code,
      isLeaf: node.children.length === 0,
      title: (
        <span data-testid={`tree-node-${node.code}`}>
          {node.name}
          {node.level === 'county' && node.tier && (
            <Tag color={tierColors[node.tier]} style={{ marginInlineStart: 6, fontSize: 11 }}>
              {tierLabels[node.tier].replace('县', '')}
            </Tag>
          )}
          {node.level === 'etown' && (
            <Tag color="green" style={{ marginInlineStart: 6, fontSize: 11 }}>
              e镇
            </Tag>
          )}
        </span>
      ),
      children: node.children.length ? toTreeItems(node.children, keyword) : undefined,
    }));
}

function RegionTreePanel({ selectedCode }: { selectedCode: string | null }) {
  const { roots, byCode, loading, error, reload } = useRegions();
  const navigate = useNavigate();
  const [keyword, setKeyword] = useState('');
  const items = useMemo(() => toTreeItems(roots, keyword.trim()), [roots, keyword]);
  const defaultExpanded = useMemo(() => {
    const keys = new Set(roots.map((root) => root.code));
    const selected = selectedCode ? byCode.get(selectedCode) : undefined;
    for (const node of selected?.path ?? []) keys.add(node.code);
    // Small trees (a county and its e-towns) open fully.
    if (byCode.size <= 30) for (const code of byCode.keys()) keys.add(code);
    return [...keys];
  }, [roots, byCode, selectedCode]);

  return (
    <Card title="区划树" size="small" className="region-tree-card" data-testid="region-tree">
      <Input.Search
        placeholder="搜索名称或代码"
        allowClear
        onChange={(event) => setKeyword(event.target.value)}
        style={{ marginBottom: 8 }}
      />
      {loading ? (
        <LoadingState />
      ) : error ? (
        <ErrorState message={error} onRetry={() => void reload()} />
      ) : items.length === 0 ? (
        <Empty description={keyword ? '没有匹配的区划' : '没有可见的区划'} />
      ) : (
        <Tree
          key={keyword ? `search-${keyword}` : `tree-${defaultExpanded.length}`}
          treeData={items}
          selectedKeys={selectedCode ? [selectedCode] : []}
          defaultExpandedKeys={defaultExpanded}
          defaultExpandAll={Boolean(keyword)}
          onSelect={(keys) => {
            const code = keys[0];
            if (typeof code === 'string') navigate(`/regions/${code}?region=${code}`);
          }}
          blockNode
        />
      )}
    </Card>
  );
}

type RegionCardProps = { region: RegionDetail; onCreateEtown: () => void };

function RegionInfoCard({
  region,
  onChangeTier,
  onCreateEtown,
}: RegionCardProps & { onChangeTier: () => void }) {
  const me = useMe();
  const isCounty = region.level === 'county';
  const isEtown = region.level === 'etown';
  return (
    <Card
      title={
        <Space>
          <span data-testid="region-name">{region.name}</span>
          <Tag color={levelColors[region.level]}>{levelLabels[region.level]}级</Tag>
        </Space>
      }
      extra={
        <Space>
          {isEtown && can.readEtowns(me.role) && (
            <Link to={`/etowns/${region.code}?region=${region.code}`}>
              <Button type="primary" icon={<EnvironmentOutlined />} data-testid="open-etown-profile">
                查看e镇档案
              </Button>
            </Link>
          )}
          {can.readLeadingGroups(me.role) && (
            <Link to={`/leading-groups?region=${region.code}`}>
              <Button icon={<TeamOutlined />}>领导小组</Button>
            </Link>
          )}
          {isCounty && can.writeEtowns(me.role) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => onCreateEtown()}
              data-testid="create-etown"
            >
              新建e镇
            </Button>
          )}
        </Space>
      }
      data-testid="region-detail"
    >
      <Descriptions
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'name', label: '名称', children: region.name },
          {
            key: 'code',
            label: '区划代码',
            children: <span data-testid="region-code">{region.code}</span>,
          },
          { key: 'level', label: '级别', children: levelLabels[region.level] },
          {
            key: 'parent',
            label: '上级',
            children: region.ancestors.length
              ? region.ancestors.map((ancestor) => ancestor.name).join(' / ')
              : '—',
          },
          ...(isCounty
            ? [
                {
                  key: 'tier',
                  label: '县分类',
                  children: (
                    <Space>
                      <TierTag tier={region.tier} />
                      {can.setCountyTier(me.role) && (
                        <Button size="small" onClick={() => onChangeTier()} data-testid="change-tier">
                          调整分类
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
          ...(!isEtown ? [{ key: 'etowns', label: 'e镇数量', children: `${region.etownCount} 个` }] : []),
        ]}
      />
    </Card>
  );
}

function RegionChildrenCard({ region, onCreateEtown }: RegionCardProps) {
  const me = useMe();
  const isCounty = region.level === 'county';
  const childLevel = region.children[0]?.level;
  return (
    <Card
      title={childLevel ? `下辖${levelLabels[childLevel]}（${region.children.length}）` : '下级区划'}
      size="small"
      data-testid="region-children"
    >
      {region.children.length === 0 ? (
        <EmptyState description={isCounty ? '本县尚未建立e镇' : '没有可见的下级区划'}>
          {isCounty && can.writeEtowns(me.role) && (
            <Button type="primary" onClick={() => onCreateEtown()}>
              新建e镇
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table
          rowKey="code"
          size="small"
          pagination={region.children.length > 20 ? { pageSize: 20 } : false}
          dataSource={region.children}
          columns={[
            {
              title: '名称',
              dataIndex: 'name',
              render: (name: string, child) => (
                <Link
                  to={
                    child.level === 'etown' && can.readEtowns(me.role)
                      ? `/etowns/${child.code}?region=${child.code}`
                      : `/regions/${child.code}?region=${child.code}`
                  }
                  data-testid={`child-${child.code}`}
                >
                  {name}
                </Link>
              ),
            },
            { title: '代码', dataIndex: 'code' },
            { title: '级别', dataIndex: 'level', render: (level: RegionLevel) => levelLabels[level] },
            ...(childLevel === 'county'
              ? [
                  {
                    title: '县分类',
                    dataIndex: 'tier',
                    render: (tier: CountyTier | null) => <TierTag tier={tier} />,
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}

function TierHistoryCard({ region }: { region: RegionDetail }) {
  return (
    <Card title="分类变更记录" size="small" data-testid="tier-history">
      <Table
        rowKey={(row) => `${row.changedAt}-${row.tier}`}
        size="small"
        pagination={false}
        dataSource={region.tierHistory}
        locale={{ emptyText: '暂无变更记录' }}
        columns={[
          { title: '变更时间', dataIndex: 'changedAt', render: (value: string) => formatDateTime(value) },
          {
            title: '原分类',
            dataIndex: 'previousTier',
            render: (tier: CountyTier | null) => (tier ? tierLabels[tier] : '未分类'),
          },
          { title: '新分类', dataIndex: 'tier', render: (tier: CountyTier) => <TierTag tier={tier} /> },
          { title: '原因', dataIndex: 'reason', render: (value: string | null) => value ?? '—' },
          { title: '操作人', dataIndex: 'changedByName' },
        ]}
      />
    </Card>
  );
}

function RegionDetailPanel({ code }: { code: string }) {
  const navigate = useNavigate();
  const { reload: reloadTree } = useRegions();
  const detail = useLoader(
    () => unwrap(apiClient.GET('/api/regions/{code}', { params: { path: { code } } })),
    code,
  );
  const [tierOpen, setTierOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);

  if (detail.loading && !detail.data) return <LoadingState />;
  if (detail.notFound) return <NotFoundState what="区划" backTo="/regions" backLabel="返回区划" />;
  if (detail.error || !detail.data)
    return <ErrorState message={detail.error ?? '加载失败'} onRetry={detail.reload} />;
  const region = detail.data;
  const isCounty = region.level === 'county';
  const isEtown = region.level === 'etown';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <RegionInfoCard
        region={region}
        onChangeTier={() => setTierOpen(true)}
        onCreateEtown={() => setCreateOpen(true)}
      />

      {!isEtown && <RegionChildrenCard region={region} onCreateEtown={() => setCreateOpen(true)} />}

      {isCounty && <TierHistoryCard region={region} />}

      {isCounty && (
        <>
          <TierModal
            county={region}
            open={tierOpen}
            onClose={() => setTierOpen(false)}
            onSaved={(updated) => {
              detail.setData(updated);
              void reloadTree();
            }}
          />
          <CreateEtownModal
            countyCode={region.code}
            countyName={region.name}
            open={createOpen}
            onClose={() => setCreateOpen(false)}
            onCreated={(etown) => {
              setCreateOpen(false);
              void reloadTree();
              navigate(`/etowns/${etown.code}?region=${etown.code}`);
            }}
          />
        </>
      )}
    </Space>
  );
}

export function RegionPage() {
  const params = useParams();
  const { currentCode, byCode, loading } = useRegions();
  const code = params.code ?? currentCode;
  const node = code ? byCode.get(code) : undefined;
  const crumbs = [
    { title: '区划与e镇', to: '/regions' },
    ...(node?.path ?? []).map((step) => ({
      title: step.name,
      to: `/regions/${step.code}?region=${step.code}`,
    })),
  ];

  return (
    <>
      <PageHeader
        title={node ? node.name : '区划与e镇'}
        crumbs={crumbs}
        subtitle="按省、市、县、e镇四级查看区划信息；县级可查看分类及其变更记录。"
      />
      <Row gutter={16}>
        <Col xs={24} lg={8} xl={7}>
          <RegionTreePanel selectedCode={code} />
        </Col>
        <Col xs={24} lg={16} xl={17}>
          {code ? (
            <RegionDetailPanel code={code} />
          ) : loading ? (
            <LoadingState />
          ) : (
            <Card>
              <Empty description={<Typography.Text>请在左侧选择区划</Typography.Text>} />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
