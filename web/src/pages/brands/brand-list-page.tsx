import { FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { BrandKind, BrandSummary } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink, useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { BrandFormModal } from './brand-form-modal.tsx';
import { brandKindColors, brandKindLabels } from './brand-types.ts';

/** 品牌 | 网货产品: the two lists of the 品牌与网货 section. */
export function BrandSectionNav() {
  const location = useLocation();
  const navigate = useNavigate();
  const regionLink = useRegionLink();
  const current = location.pathname.startsWith('/brands/products') ? '/brands/products' : '/brands';
  return (
    <Segmented
      value={current}
      onChange={(path) => navigate(regionLink(path))}
      options={[
        { value: '/brands', label: '品牌' },
        { value: '/brands/products', label: '网货产品' },
      ]}
      data-testid="brand-section-nav"
    />
  );
}

export function BrandKindTag({ kind }: { kind: BrandKind }) {
  return <Tag color={brandKindColors[kind]}>{brandKindLabels[kind]}</Tag>;
}

const brandColumns: TableColumnsType<BrandSummary> = [
  {
    title: '品牌',
    dataIndex: 'name',
    width: 200,
    fixed: 'start',
    render: (name: string, brand) => (
      <Link to={`/brands/${brand.id}`} data-testid={`brand-link-${name}`}>
        {name}
      </Link>
    ),
  },
  {
    title: '类型',
    dataIndex: 'kind',
    width: 150,
    render: (value: BrandKind) => <BrandKindTag kind={value} />,
  },
  { title: '所在e镇', dataIndex: 'etownName', width: 140 },
  {
    title: '商标 / 权利人 / 母品牌',
    render: (_: unknown, brand) =>
      brand.kind === 'regional_public' ? (
        brand.hasStandard ? (
          <Tag icon={<FileTextOutlined />} color="green">
            已制定品牌标准
          </Tag>
        ) : (
          <Tooltip title="在品牌详情页填写标准或上传标准文件">
            <Tag color="warning">尚无品牌标准</Tag>
          </Tooltip>
        )
      ) : (
        <Space size={4} wrap>
          <Typography.Text>
            {brand.trademarkNumber ? `注册号 ${brand.trademarkNumber}` : '未填商标号'}
          </Typography.Text>
          {brand.ownerEntityName && (
            <Typography.Text type="secondary">· {brand.ownerEntityName}</Typography.Text>
          )}
          {brand.parentBrandName && <Tag>母品牌 {brand.parentBrandName}</Tag>}
        </Space>
      ),
  },
  {
    title: '有效授权',
    dataIndex: 'activeAuthorizations',
    width: 100,
    align: 'right',
    render: (count: number, brand) => (brand.kind === 'regional_public' ? count : '—'),
  },
  {
    title: '待审核',
    dataIndex: 'pendingApplications',
    width: 90,
    align: 'right',
    render: (count: number) => (count > 0 ? <Tag color="processing">{count}</Tag> : '—'),
  },
  { title: '产品', dataIndex: 'productCount', width: 80, align: 'right' },
];

export function BrandListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [kind, setKind] = useState<BrandKind | 'all'>('all');
  const [creating, setCreating] = useState(false);
  const writable = can.writeBrands(me.role);
  const query = { regionCode: currentCode ?? undefined, kind: kind === 'all' ? undefined : kind };
  const brands = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/brands', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  const etowns = useLoader(
    writable && !regionsLoading
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns', { params: { query: { regionCode: currentCode ?? undefined } } }),
          )
      : null,
    `${currentCode}|${regionsLoading}`,
  );
  const scopeName = current?.name ?? '当前区划';

  return (
    <>
      <PageHeader
        title="品牌与网货"
        crumbs={[{ title: '品牌与网货' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle={`${scopeName}的区域公用品牌、“小而美”自主品牌及其授权（指标 8、9）`}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              // The form's e-town defaults to the first of the list: it can open once the list is there.
              disabled={etowns.loading}
              onClick={() => setCreating(true)}
              data-testid="brand-create"
            >
              登记品牌
            </Button>
          )
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap size={[16, 12]}>
          <BrandSectionNav />
          <Segmented<BrandKind | 'all'>
            value={kind}
            onChange={setKind}
            options={[
              { value: 'all', label: '全部' },
              { value: 'regional_public', label: '区域公用品牌' },
              { value: 'own', label: '自主品牌' },
            ]}
            data-testid="brand-filter-kind"
          />
        </Space>
        {brands.error ? (
          <ErrorState message={brands.error} onRetry={brands.reload} />
        ) : (
          <Table<BrandSummary>
            rowKey="id"
            size="middle"
            loading={brands.loading || regionsLoading}
            dataSource={brands.data ?? []}
            pagination={false}
            data-testid="brand-table"
            scroll={{ x: 1000 }}
            onRow={(brand) => ({ onDoubleClick: () => navigate(`/brands/${brand.id}`) })}
            locale={{
              emptyText: writable
                ? `${scopeName}还没有登记品牌。点击右上角“登记品牌”，先登记区域公用品牌及其标准，再登记“小而美”自主品牌。`
                : `${scopeName}还没有登记品牌，品牌由县级登记。`,
            }}
            columns={brandColumns}
          />
        )}
      </Card>
      {writable && (
        <BrandFormModal
          open={creating}
          onClose={() => setCreating(false)}
          etowns={etowns.data ?? []}
          defaultEtownCode={current?.level === 'etown' ? current.code : undefined}
          onSaved={(brand) => navigate(`/brands/${brand.id}`)}
        />
      )}
    </>
  );
}
