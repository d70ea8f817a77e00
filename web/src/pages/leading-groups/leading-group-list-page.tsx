import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { GroupFormModal } from './group-form-modal.tsx';

export function LeadingGroupListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { roots, current, currentCode, loading: regionsLoading } = useRegions();
  const [creating, setCreating] = useState(false);
  const list = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/leading-groups', {
              params: { query: { regionCode: currentCode ?? undefined } },
            }),
          ),
    `${currentCode}|${regionsLoading}`,
  );

  return (
    <>
      <PageHeader
        title="领导小组"
        crumbs={[{ title: '领导小组' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="各级乡村e镇建设工作领导小组的组成、职责与成员变动；登记的成立文号和成立日期即指标21（成立工作领导小组）的依据文件，e镇及其所在县的领导小组均计入"
        extra={
          can.writeLeadingGroups(me.role) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建领导小组
            </Button>
          )
        }
      />
      <Card>
        {list.error ? (
          <ErrorState message={list.error} onRetry={list.reload} />
        ) : (
          <Table
            rowKey="id"
            loading={list.loading || regionsLoading}
            dataSource={list.data ?? []}
            data-testid="group-table"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: '当前区划下还没有领导小组' }}
            columns={[
              {
                title: '名称',
                dataIndex: 'name',
                render: (name: string, group) => (
                  <Link
                    to={`/leading-groups/${group.id}?region=${group.regionCode}`}
                    data-testid="group-link"
                  >
                    {name}
                  </Link>
                ),
              },
              { title: '所属区划', dataIndex: 'regionName', width: 120 },
              { title: '成立文号', dataIndex: 'docNo', render: (value: string | null) => value ?? '—' },
              {
                title: '成立日期',
                dataIndex: 'establishedOn',
                width: 140,
                render: (value: string | null) => formatDate(value),
              },
              {
                title: '在任成员',
                dataIndex: 'activeMemberCount',
                width: 100,
                render: (n: number) => `${n} 人`,
              },
              { title: '成员单位', dataIndex: 'unitCount', width: 100, render: (n: number) => `${n} 个` },
            ]}
          />
        )}
      </Card>
      <GroupFormModal
        open={creating}
        onClose={() => setCreating(false)}
        roots={roots}
        defaultRegionCode={current?.code ?? null}
        onSaved={(group) => navigate(`/leading-groups/${group.id}?region=${group.regionCode}`)}
      />
    </>
  );
}
