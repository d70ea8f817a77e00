import { AuditOutlined, PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EntityStatus, EntitySummary, EntityTag, EntityType, SharedViolation } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { EntityFormDrawer } from './entity-form-drawer.tsx';
import {
  canEntities,
  entityStatusLabels,
  entityTagColors,
  entityTagLabels,
  entityTypeLabels,
  gradeColors,
} from './entity-types.ts';
import { EnterpriseEntryPanel } from './entry-applications-page.tsx';

type StatusFilter = EntityStatus | 'all';

export function GradeTag({ credit }: { credit: EntitySummary['credit'] }) {
  return (
    <Tooltip title={`信用分 ${credit.formula}`}>
      <Tag color={gradeColors[credit.grade]} data-testid="credit-grade">
        {credit.grade} 级 · {credit.score}
      </Tag>
    </Tooltip>
  );
}

export function EntityTags({ tags }: { tags: EntityTag[] }) {
  if (tags.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {tags.map((tag) => (
        <Tag key={tag} color={entityTagColors[tag]}>
          {entityTagLabels[tag]}
        </Tag>
      ))}
    </Space>
  );
}

const entityColumns: TableColumnsType<EntitySummary> = [
  {
    title: '主体名称',
    dataIndex: 'name',
    width: 240,
    fixed: 'start',
    render: (name: string, entity) => (
      <Link to={`/entities/${entity.id}`} data-testid={`entity-link-${entity.creditCode}`}>
        {name}
      </Link>
    ),
  },
  {
    title: '统一社会信用代码',
    dataIndex: 'creditCode',
    width: 190,
    render: (code: string) => <Typography.Text copyable={{ text: code }}>{code}</Typography.Text>,
  },
  { title: '所在e镇', dataIndex: 'etownName', width: 140 },
  {
    title: '类型',
    dataIndex: 'entityType',
    width: 110,
    render: (type: EntityType, entity) => (
      <>
        {entityTypeLabels[type]}
        {entity.legalEntity && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            法人
          </Typography.Text>
        )}
      </>
    ),
  },
  { title: '标签', dataIndex: 'tags', render: (tags: EntityTag[]) => <EntityTags tags={tags} /> },
  {
    title: '联系人',
    dataIndex: 'contactName',
    width: 160,
    render: (name: string | null, entity) =>
      name || entity.contactPhoneMasked ? (
        <>
          {name ?? ''} <Typography.Text type="secondary">{entity.contactPhoneMasked ?? ''}</Typography.Text>
        </>
      ) : (
        '—'
      ),
  },
  {
    title: '信用',
    dataIndex: 'credit',
    width: 110,
    render: (credit: EntitySummary['credit']) => <GradeTag credit={credit} />,
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 120,
    render: (value: EntityStatus, entity) =>
      value === 'active' ? (
        <Tag color="green">在册</Tag>
      ) : (
        <Tooltip title={`退出日期 ${formatDate(entity.exitedOn)}`}>
          <Tag>{entityStatusLabels[value]}</Tag>
        </Tooltip>
      ),
  },
];

/** Filter state of the registry; every filter change goes back to the first page. */
function useRegistryFilters() {
  const [etownCode, setEtownCode] = useState<string | undefined>();
  const [entityType, setEntityType] = useState<EntityType | undefined>();
  const [tag, setTag] = useState<EntityTag | undefined>();
  const [status, setStatus] = useState<StatusFilter>('active');
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const resetPage =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPage(1);
    };
  return {
    etownCode,
    entityType,
    tag,
    status,
    keyword,
    page,
    pageSize,
    setPage,
    setPageSize,
    active: Boolean(etownCode || entityType || tag || keyword.trim() || status !== 'active'),
    onKeywordChange: resetPage(setKeyword),
    onEtownChange: resetPage(setEtownCode),
    onEntityTypeChange: resetPage(setEntityType),
    onTagChange: resetPage(setTag),
    onStatusChange: resetPage(setStatus),
  };
}

type RegistryFilterState = ReturnType<typeof useRegistryFilters>;

function RegistryFilters({
  filters,
  etownOptions,
  writable,
  onCreate,
}: {
  filters: RegistryFilterState;
  etownOptions: { value: string; label: string }[];
  writable: boolean;
  onCreate: () => void;
}) {
  return (
    <Space style={{ marginBottom: 16 }} wrap size={[12, 12]}>
      <Input.Search
        placeholder="按名称或统一社会信用代码搜索"
        allowClear
        onSearch={filters.onKeywordChange}
        style={{ width: 300 }}
        data-testid="entity-search"
      />
      <Select
        allowClear
        placeholder="全部e镇"
        style={{ width: 180 }}
        value={filters.etownCode}
        onChange={filters.onEtownChange}
        options={etownOptions}
        data-testid="entity-filter-etown"
      />
      <Select
        allowClear
        placeholder="全部类型"
        style={{ width: 140 }}
        value={filters.entityType}
        onChange={filters.onEntityTypeChange}
        options={Object.entries(entityTypeLabels).map(([value, label]) => ({ value, label }))}
      />
      <Select
        allowClear
        placeholder="全部标签"
        style={{ width: 150 }}
        value={filters.tag}
        onChange={filters.onTagChange}
        options={Object.entries(entityTagLabels).map(([value, label]) => ({ value, label }))}
        data-testid="entity-filter-tag"
      />
      <Segmented<StatusFilter>
        value={filters.status}
        onChange={filters.onStatusChange}
        options={[
          { value: 'active', label: '在册' },
          { value: 'exited', label: '已退出' },
          { value: 'all', label: '全部' },
        ]}
        data-testid="entity-filter-status"
      />
      {writable && (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="entity-create">
          登记市场主体
        </Button>
      )}
    </Space>
  );
}

function RegistryTab() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const filters = useRegistryFilters();
  const { etownCode, entityType, tag, status, keyword, page, pageSize } = filters;
  const [creating, setCreating] = useState(false);
  const writable = canEntities.write(me.role);

  const etowns = useLoader(
    regionsLoading
      ? null
      : () =>
          unwrap(
            apiClient.GET('/api/etowns', { params: { query: { regionCode: currentCode ?? undefined } } }),
          ),
    `${currentCode}|${regionsLoading}`,
  );
  const query = {
    regionCode: etownCode ?? currentCode ?? undefined,
    entityType,
    tag,
    status: status === 'all' ? undefined : status,
    keyword: keyword.trim() || undefined,
    page,
    pageSize,
  };
  const list = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/entities', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );

  const etownOptions = useMemo(
    () => (etowns.data ?? []).map((etown) => ({ value: etown.code, label: etown.name })),
    [etowns.data],
  );

  return (
    <>
      <RegistryFilters
        filters={filters}
        etownOptions={etownOptions}
        writable={writable}
        onCreate={() => setCreating(true)}
      />
      {list.error ? (
        <ErrorState message={list.error} onRetry={list.reload} />
      ) : (
        <Table<EntitySummary>
          rowKey="id"
          size="middle"
          loading={list.loading || regionsLoading}
          dataSource={list.data?.items ?? []}
          data-testid="entity-table"
          locale={{
            emptyText: filters.active
              ? '没有符合条件的市场主体'
              : `${current?.name ?? '当前区划'}还没有登记市场主体`,
          }}
          scroll={{ x: 1100 }}
          onRow={(entity) => ({ onDoubleClick: () => navigate(`/entities/${entity.id}`) })}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 个市场主体`,
            onChange: (next, size) => {
              filters.setPage(size === pageSize ? next : 1);
              filters.setPageSize(size);
            },
          }}
          columns={entityColumns}
        />
      )}
      {writable && (
        <EntityFormDrawer
          open={creating}
          onClose={() => setCreating(false)}
          etowns={etowns.data ?? []}
          defaultEtownCode={etownCode}
          onSaved={(entity) => navigate(`/entities/${entity.id}`)}
        />
      )}
    </>
  );
}

function ViolationsTab() {
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const query = { keyword: keyword.trim() || undefined, page, pageSize: 20 };
  const list = useLoader(
    () => unwrap(apiClient.GET('/api/entities/credit/violations', { params: { query } })),
    JSON.stringify(query),
  );
  return (
    <>
      <Typography.Paragraph type="secondary">
        违规信息在全省县级之间共享，供登记、准入和评优时参考；名单只显示主体名称、统一社会信用代码、所在e镇、违规类别和日期，不含联系方式。
      </Typography.Paragraph>
      <Input.Search
        placeholder="按名称或统一社会信用代码搜索"
        allowClear
        onSearch={(value) => {
          setKeyword(value);
          setPage(1);
        }}
        style={{ width: 300, marginBottom: 16 }}
      />
      {list.error ? (
        <ErrorState message={list.error} onRetry={list.reload} />
      ) : (
        <Table<SharedViolation>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          data-testid="violation-table"
          locale={{ emptyText: '暂无违规记录' }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            hideOnSinglePage: true,
            onChange: setPage,
            showTotal: (total) => `共 ${total} 条`,
          }}
          columns={[
            {
              title: '主体名称',
              dataIndex: 'entityName',
              render: (name: string, row) =>
                row.inScope ? <Link to={`/entities/${row.entityId}`}>{name}</Link> : name,
            },
            { title: '统一社会信用代码', dataIndex: 'creditCode', width: 200 },
            { title: '所在e镇', dataIndex: 'etownName', width: 180 },
            {
              title: '违规类别',
              dataIndex: 'category',
              width: 120,
              render: (category: string) => <Tag color="red">{category}</Tag>,
            },
            { title: '发生日期', dataIndex: 'occurredOn', width: 150, render: formatDate },
          ]}
        />
      )}
    </>
  );
}

/** An enterprise account goes to its own entity, or, before it is admitted, to the entry application. */
function EnterpriseHome() {
  const own = useLoader(() => unwrap(apiClient.GET('/api/entities')), 'own');
  if (own.loading && !own.data) return <LoadingState />;
  if (own.error) return <ErrorState message={own.error} onRetry={own.reload} />;
  const entity = own.data?.items[0];
  if (entity) return <Navigate to={`/entities/${entity.id}`} replace />;
  return (
    <>
      <PageHeader
        title="入驻申请"
        crumbs={[{ title: '市场主体' }, { title: '入驻申请' }]}
        subtitle="您的账号尚未关联市场主体，请先提交入驻申请，县级审核通过后即可查看本企业档案"
      />
      <EnterpriseEntryPanel />
    </>
  );
}

export function EntityListPage() {
  const me = useMe();
  const { current } = useRegions();
  if (canEntities.apply(me.role)) return <EnterpriseHome />;
  return (
    <>
      <PageHeader
        title="市场主体"
        crumbs={[{ title: '市场主体' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle={current ? `${current.name}范围内的市场主体名录、标签与信用` : undefined}
        extra={
          canEntities.read(me.role) && (
            <Link to="/entities/applications">
              <Button icon={<SolutionOutlined />} data-testid="entry-applications-link">
                入驻申请
              </Button>
            </Link>
          )
        }
      />
      <Card>
        <Tabs
          items={[
            { key: 'registry', label: '主体名录', children: <RegistryTab /> },
            {
              key: 'violations',
              label: (
                <span data-testid="violations-tab">
                  <AuditOutlined /> 违规共享名单
                </span>
              ),
              children: <ViolationsTab />,
            },
          ]}
          destroyOnHidden
        />
      </Card>
    </>
  );
}
