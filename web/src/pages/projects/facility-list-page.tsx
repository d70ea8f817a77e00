import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatGrouped } from '../../../../src/indicators/exact.ts';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Facility, FacilityKind, FacilityPlanCheck } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { FacilityDeleteButton, FacilityFormModal } from './facility-form-modal.tsx';
import { featureNames, PlanCheckTags } from './facility-plan-check.tsx';
import { ProjectSectionNav } from './project-list-page.tsx';
import { facilityKindLabels } from './project-types.ts';

/** The table's columns; those who may write get the edit and delete column. */
function facilityColumns({
  writable,
  onEdit,
  onDeleted,
}: {
  writable: boolean;
  onEdit: (facility: Facility) => void;
  onDeleted: () => void;
}): TableColumnsType<Facility> {
  const actionColumn: TableColumnsType<Facility>[number] = {
    title: '操作',
    key: 'actions',
    fixed: 'end' as const,
    width: 110,
    render: (_: unknown, facility: Facility) => (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => onEdit(facility)} data-testid="facility-row-edit">
          修改
        </Button>
        <FacilityDeleteButton facility={facility} size="small" onDeleted={onDeleted} />
      </Space>
    ),
  };
  const columns: TableColumnsType<Facility> = [
    {
      title: '设施名称',
      dataIndex: 'name',
      fixed: 'start',
      width: 200,
      render: (name: string, facility) => <Link to={`/projects/facilities/${facility.id}`}>{name}</Link>,
    },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 150,
      render: (kind: FacilityKind) => facilityKindLabels[kind],
    },
    { title: '所在e镇', dataIndex: 'etownName', width: 120 },
    {
      title: '建筑面积',
      dataIndex: 'buildingAreaM2',
      width: 100,
      align: 'right',
      render: (value: string) => `${formatGrouped(value)} ㎡`,
    },
    {
      title: '功能分区',
      dataIndex: 'features',
      minWidth: 160,
      render: (features: string[]) => featureNames(features) || '—',
    },
    {
      title: '规划核验',
      dataIndex: 'planChecks',
      width: 140,
      render: (checks: FacilityPlanCheck[]) => <PlanCheckTags checks={checks} />,
    },
    {
      title: '所属项目',
      dataIndex: 'projectName',
      width: 150,
      render: (value: string | null) => value ?? '—',
    },
  ];
  return writable ? [...columns, actionColumn] : columns;
}

export function FacilityListPage() {
  const me = useMe();
  const { message } = App.useApp();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [creating, setCreating] = useState(false);
  // The facility stays while the form fades out, so the form does not turn into the create form on its way.
  const [editing, setEditing] = useState<Facility | null>(null);
  const [editOpen, setEditOpen] = useState(false);
  const writable = can.writeProjects(me.role);
  const facilities = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/facilities', { params: { query: { regionCode: currentCode ?? undefined } } }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const reload = () => void facilities.reload();
  const scopeName = current?.name ?? '当前区划';
  return (
    <>
      <PageHeader
        title="项目与设施"
        crumbs={[{ title: '项目与设施', to: '/projects' }, { title: '设施' }]}
        subtitle={`${scopeName}的服务中心、展示体验中心、物流配送中心、培训孵化中心，对照指标 11、15–17 的建设标准核验`}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="facility-create"
            >
              登记设施
            </Button>
          )
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <ProjectSectionNav />
        </Space>
        {facilities.error ? (
          <ErrorState message={facilities.error} onRetry={facilities.reload} />
        ) : (
          <Table<Facility>
            rowKey="id"
            size="middle"
            loading={facilities.loading || regionsLoading}
            dataSource={facilities.data ?? []}
            pagination={false}
            data-testid="facility-table"
            scroll={{ x: 1140 }}
            locale={{ emptyText: `${scopeName}还没有登记设施` }}
            columns={facilityColumns({
              writable,
              onEdit: (facility) => {
                setEditing(facility);
                setEditOpen(true);
              },
              onDeleted: reload,
            })}
          />
        )}
      </Card>
      <FacilityFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(created) => {
          message.success(`已登记设施「${created.name}」`);
          reload();
        }}
      />
      {editing && (
        <FacilityFormModal
          facility={editing}
          open={editOpen}
          onClose={() => setEditOpen(false)}
          onStale={reload}
          onSaved={(saved) => {
            message.success(`已保存设施「${saved.name}」`);
            reload();
          }}
        />
      )}
    </>
  );
}
