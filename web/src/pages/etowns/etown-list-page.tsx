import { Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { formatKm2 } from '../../geo.ts';
import { useRegions } from '../../region-context.tsx';
import { useLoader } from '../../use-loader.ts';
import { TierTag } from '../regions/region-page.tsx';

export function EtownListPage() {
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [keyword, setKeyword] = useState('');
  const list = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/etowns', { params: { query: { regionCode: currentCode ?? undefined } } }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const rows = useMemo(() => {
    const text = keyword.trim();
    return (list.data ?? []).filter(
      (etown) =>
        !text ||
        etown.name.includes(text) ||
        etown.code.includes(text) ||
        etown.countyName.includes(text) ||
        etown.leadingIndustries.some((industry) => industry.includes(text)),
    );
  }, [list.data, keyword]);

  return (
    <>
      <PageHeader
        title="e镇档案"
        crumbs={[{ title: 'e镇档案' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle={current ? `${current.name}范围内的乡村e镇` : undefined}
      />
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Input.Search
            placeholder="按名称、编号、县或主导产业筛选"
            allowClear
            onChange={(event) => setKeyword(event.target.value)}
            style={{ width: 320 }}
            data-testid="etown-search"
          />
          {list.data && (
            <Typography.Text type="secondary">
              共 {list.data.length} 个e镇{keyword.trim() ? `，筛选出 ${rows.length} 个` : ''}
            </Typography.Text>
          )}
        </Space>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table
            rowKey="code"
            loading={list.loading || regionsLoading}
            dataSource={rows}
            data-testid="etown-table"
            locale={{ emptyText: keyword ? '没有符合条件的e镇' : '当前区划下还没有e镇' }}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => `共 ${total} 条` }}
            scroll={{ x: 1000 }}
            columns={[
              {
                title: 'e镇名称',
                dataIndex: 'name',
                width: 180,
                render: (name: string, etown) => (
                  <Link
                    to={`/etowns/${etown.code}?region=${etown.code}`}
                    data-testid={`etown-link-${etown.code}`}
                  >
                    {name}
                  </Link>
                ),
              },
              { title: '编号', dataIndex: 'code', width: 120 },
              { title: '所属市', dataIndex: 'cityName', width: 90 },
              { title: '所属县', dataIndex: 'countyName', width: 100 },
              { title: '县分类', dataIndex: 'tier', width: 120, render: (tier) => <TierTag tier={tier} /> },
              {
                title: '主导产业',
                dataIndex: 'leadingIndustries',
                render: (industries: string[]) =>
                  industries.length ? industries.map((item) => <Tag key={item}>{item}</Tag>) : '—',
              },
              {
                title: '运营主体',
                dataIndex: 'operatingEntity',
                render: (value: string | null) => value ?? '—',
              },
              {
                title: '核心区面积（申报）',
                dataIndex: 'landAreaKm2',
                width: 150,
                render: (value: string | null) => formatKm2(value),
              },
              {
                title: '边界测算面积',
                dataIndex: 'boundaryAreaKm2',
                width: 140,
                render: (value: string | null) => formatKm2(value),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
