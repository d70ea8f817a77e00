import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Image, Input, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ProductSummary } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { BrandSectionNav } from './brand-list-page.tsx';
import { ProductFormModal } from './product-form-modal.tsx';

const productColumns: TableColumnsType<ProductSummary> = [
  {
    title: '',
    dataIndex: 'coverPhotoId',
    width: 64,
    render: (photoId: string | null, product) =>
      photoId ? (
        <Image
          src={`/api/products/${product.id}/photos/${photoId}`}
          width={40}
          height={40}
          style={{ objectFit: 'cover', borderRadius: 4 }}
          preview={false}
          alt={product.name}
        />
      ) : (
        <div
          className="product-thumb-empty"
          style={{ width: 40, height: 40, background: '#f5f5f5', borderRadius: 4 }}
        />
      ),
  },
  {
    title: '产品',
    dataIndex: 'name',
    width: 220,
    render: (name: string, product) => (
      <Link to={`/brands/products/${product.id}`} data-testid={`product-link-${name}`}>
        {name}
      </Link>
    ),
  },
  {
    title: '品牌',
    dataIndex: 'brandName',
    width: 140,
    render: (name: string, product) =>
      product.brandId ? <Link to={`/brands/${product.brandId}`}>{name}</Link> : name,
  },
  {
    title: '生产主体',
    dataIndex: 'entityName',
    width: 220,
    render: (name: string | null) =>
      name ?? <Typography.Text type="secondary">（台账导入，未关联）</Typography.Text>,
  },
  {
    title: '品类 / 规格',
    render: (_: unknown, product) =>
      [product.category, product.specification].filter(Boolean).join(' · ') || '—',
  },
  {
    title: '零售价',
    dataIndex: 'priceYuan',
    width: 110,
    align: 'right',
    render: (price: string | null) => (price ? `¥${price}` : '—'),
  },
  {
    title: '网货',
    dataIndex: 'online',
    width: 70,
    render: (online: boolean) => (online ? <Tag color="blue">是</Tag> : <Tag>否</Tag>),
  },
  { title: '认证', dataIndex: 'certificationCount', width: 70, align: 'right' },
  { title: '批次', dataIndex: 'batchCount', width: 70, align: 'right' },
  { title: '所在e镇', dataIndex: 'etownName', width: 130 },
];

export function ProductListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const writable = can.writeProducts(me.role);
  const query = {
    regionCode: currentCode ?? undefined,
    keyword: keyword.trim() || undefined,
    page,
    pageSize,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/products', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );
  const scopeName = me.role === 'enterprise' ? '本企业' : (current?.name ?? '当前区划');

  return (
    <>
      <PageHeader
        title="品牌与网货"
        crumbs={[{ title: '品牌与网货', to: '/brands' }, { title: '网货产品' }]}
        subtitle={`${scopeName}的网货产品：品牌、认证、网店与批次（指标 8）`}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="product-create"
            >
              登记产品
            </Button>
          )
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap size={[16, 12]}>
          <BrandSectionNav />
          <Input.Search
            placeholder="按产品或品牌名称搜索"
            allowClear
            onSearch={(value) => {
              setKeyword(value);
              setPage(1);
            }}
            style={{ width: 280 }}
            data-testid="product-search"
          />
        </Space>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table<ProductSummary>
            rowKey="id"
            size="middle"
            loading={list.loading || regionsLoading}
            dataSource={list.data?.items ?? []}
            data-testid="product-table"
            scroll={{ x: 1100 }}
            onRow={(product) => ({ onDoubleClick: () => navigate(`/brands/products/${product.id}`) })}
            locale={{
              emptyText: keyword.trim()
                ? '没有符合条件的产品'
                : writable
                  ? `${scopeName}还没有登记产品。点击右上角“登记产品”，选择生产主体和品牌后填写规格与价格。`
                  : `${scopeName}还没有登记产品。`,
            }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              hideOnSinglePage: true,
              showTotal: (total) => `共 ${total} 个产品`,
              onChange: (next, size) => {
                setPage(size === pageSize ? next : 1);
                setPageSize(size);
              },
            }}
            columns={productColumns}
          />
        )}
      </Card>
      {writable && (
        <ProductFormModal
          open={creating}
          onClose={() => setCreating(false)}
          regionCode={currentCode}
          onSaved={(product) => navigate(`/brands/products/${product.id}`)}
        />
      )}
    </>
  );
}
