import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ProjectStatus, ProjectSummary } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink, useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import type { dayjs } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { formatYuanText, projectStatusColors, projectStatusLabels } from './project-types.ts';

/** 项目 | 设施: the two lists of the 项目与设施 section. */
export function ProjectSectionNav() {
  const location = useLocation();
  const navigate = useNavigate();
  const regionLink = useRegionLink();
  const current = location.pathname.startsWith('/projects/facilities') ? '/projects/facilities' : '/projects';
  return (
    <Segmented
      value={current}
      onChange={(path) => navigate(regionLink(path))}
      options={[
        { value: '/projects', label: '项目台账' },
        { value: '/projects/facilities', label: '设施' },
      ]}
      data-testid="project-section-nav"
    />
  );
}

export function ProjectStatusTag({ status }: { status: ProjectStatus }) {
  return <Tag color={projectStatusColors[status]}>{projectStatusLabels[status]}</Tag>;
}

export const day = (value: dayjs.Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);

/** The e-towns the user may pick, for create forms. */
export function useEtownOptions(enabled: boolean) {
  const { currentCode, loading } = useRegions();
  const etowns = useLoader(
    enabled && !loading
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns', { params: { query: { regionCode: currentCode ?? undefined } } }),
          )
      : null,
    `${currentCode}|${loading}|${enabled}`,
  );
  return (etowns.data ?? []).map((etown) => ({
    value: etown.code,
    label: `${etown.name}（${etown.countyName}）`,
  }));
}

type EntityOption = { value: string; label: string; creditCode?: string };

/**
 * The owner of a project: a searchable list of the e-town's active market entities, searched on the
 * server by name or credit code so an e-town with thousands of entities stays quick.
 */
export function OwnerEntitySelect({
  id,
  etownCode,
  current,
  value,
  onChange,
}: {
  /** Set by Form.Item, so its label focuses the select. */
  id?: string;
  etownCode: string | undefined;
  /** The owner already recorded, shown even when it is not among the first results. */
  current?: { id: string; name: string } | null;
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const [typed, setTyped] = useState('');
  const [picked, setPicked] = useState<EntityOption | null>(null);
  const [keyword, setKeyword] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setKeyword(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: {
                query: {
                  regionCode: etownCode,
                  status: 'active',
                  keyword: keyword || undefined,
                  pageSize: 50,
                },
              },
            }),
          )
      : null,
    `${etownCode}|${keyword}`,
  );
  const options: EntityOption[] = (found.data?.items ?? []).map((entity) => ({
    value: entity.id,
    label: entity.name,
    creditCode: entity.creditCode,
  }));
  // The chosen owner keeps its name when the results no longer list it, unless a search excludes it.
  const known = [picked, current ? { value: current.id, label: current.name } : null];
  const selected = value ? known.find((option) => option?.value === value) : null;
  if (
    selected &&
    !options.some((option) => option.value === selected.value) &&
    selected.label.includes(typed.trim())
  ) {
    options.unshift(selected);
  }
  const searching = found.loading || typed.trim() !== keyword;
  return (
    <Select<string, EntityOption>
      id={id}
      value={value ?? undefined}
      onChange={(next, option) => {
        setPicked(option && !Array.isArray(option) ? option : null);
        onChange?.(next ?? null);
      }}
      options={options}
      allowClear
      disabled={!etownCode}
      loading={searching}
      placeholder={etownCode ? '输入主体名称或统一社会信用代码搜索' : '请先选择所在e镇'}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      onOpenChange={(open) => {
        if (!open) setTyped('');
      }}
      notFoundContent={
        searching ? (
          <Spin size="small" />
        ) : found.error ? (
          found.error
        ) : keyword ? (
          `没有名称或信用代码含“${keyword}”的市场主体`
        ) : (
          '本e镇还没有登记在营的市场主体'
        )
      }
      optionRender={(option) => (
        <Flex justify="space-between" gap={12}>
          <span>{option.data.label}</span>
          {option.data.creditCode && (
            <Typography.Text type="secondary">{option.data.creditCode}</Typography.Text>
          )}
        </Flex>
      )}
      data-testid="project-owner"
    />
  );
}

export type ProjectFormValues = {
  etownCode?: string;
  name: string;
  ownerEntityId?: string | null;
  plannedStart?: dayjs.Dayjs | null;
  plannedEnd?: dayjs.Dayjs | null;
  description?: string | null;
};

/** Fields that may receive the server's per-field problems on the create and edit forms. */
export const projectFieldNames = [
  'etownCode',
  'name',
  'ownerEntityId',
  'plannedStart',
  'plannedEnd',
  'description',
];

/** The body fields the create and edit requests share (PATCH replaces them all). */
export const projectBody = (values: ProjectFormValues) => ({
  name: values.name,
  ownerEntityId: values.ownerEntityId ?? null,
  description: values.description?.trim() || null,
  plannedStart: day(values.plannedStart),
  plannedEnd: day(values.plannedEnd),
});

/**
 * The project's own fields, for both forms. Creating, the owner list follows the chosen e-town; editing,
 * the e-town is fixed and passed in.
 */
export function ProjectFields({
  etownOptions,
  etownCode: fixedEtownCode,
  currentOwner,
}: {
  etownOptions?: { value: string; label: string }[];
  etownCode?: string;
  currentOwner?: { id: string; name: string } | null;
}) {
  const form = Form.useFormInstance<ProjectFormValues>();
  const chosenEtownCode = Form.useWatch('etownCode', form);
  const etownCode = fixedEtownCode ?? chosenEtownCode;
  return (
    <>
      {etownOptions && (
        <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select
            options={etownOptions}
            placeholder="请选择"
            onChange={() => form.setFieldValue('ownerEntityId', null)}
            data-testid="project-etown"
          />
        </Form.Item>
      )}
      <Form.Item
        name="name"
        label="项目名称"
        rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
      >
        <Input maxLength={200} data-testid="project-name" />
      </Form.Item>
      <Form.Item name="ownerEntityId" label="项目业主" extra="须为本e镇登记的市场主体；可不填，待确定后再补">
        <OwnerEntitySelect etownCode={etownCode} current={currentOwner} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="plannedStart" label="计划开工日期">
            <DatePicker style={{ width: '100%' }} data-testid="project-planned-start" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="plannedEnd"
            label="计划完工日期"
            dependencies={['plannedStart']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_rule, end: dayjs.Dayjs | null | undefined) => {
                  const start = getFieldValue('plannedStart') as dayjs.Dayjs | null | undefined;
                  return start && end?.isBefore(start, 'day')
                    ? Promise.reject(new Error('计划完工日期不能早于计划开工日期'))
                    : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="project-planned-end" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label="建设内容">
        <Input.TextArea rows={3} maxLength={5000} data-testid="project-description" />
      </Form.Item>
    </>
  );
}

const projectColumns: TableColumnsType<ProjectSummary> = [
  {
    title: '项目名称',
    dataIndex: 'name',
    fixed: 'start',
    width: 220,
    render: (name: string, project) => (
      <Link to={`/projects/${project.id}`} data-testid={`project-link-${name}`}>
        {name}
      </Link>
    ),
  },
  { title: '所在e镇', dataIndex: 'etownName', width: 120 },
  {
    title: '项目业主',
    dataIndex: 'ownerEntityName',
    width: 180,
    render: (value: string | null) => value ?? '—',
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (value: ProjectStatus) => <ProjectStatusTag status={value} />,
  },
  {
    title: '计划工期',
    width: 200,
    render: (_: unknown, project) =>
      project.plannedStart || project.plannedEnd
        ? `${project.plannedStart ?? '未定'} 至 ${project.plannedEnd ?? '未定'}`
        : '—',
  },
  {
    title: '形象进度',
    dataIndex: 'progressPct',
    width: 140,
    render: (value: number | null) =>
      value === null ? '尚无报告' : <Progress percent={value} size="small" />,
  },
  {
    title: '累计投资',
    dataIndex: 'totalInvestmentYuan',
    width: 150,
    align: 'right',
    render: (value: string) => formatYuanText(value),
  },
];

type StatusFilter = ProjectStatus | 'all';

/**
 * The list's status filter and page. A new status or a new region in the header starts again at the first
 * page; the page size stays.
 */
function useProjectListQuery(regionCode: string | null) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20, regionCode });
  const page = paging.regionCode === regionCode ? paging.page : 1;
  return {
    status,
    page,
    pageSize: paging.pageSize,
    query: {
      regionCode: regionCode ?? undefined,
      status: status === 'all' ? undefined : status,
      page,
      pageSize: paging.pageSize,
    },
    onStatusChange: (next: StatusFilter) => {
      setStatus(next);
      setPaging({ ...paging, page: 1, regionCode });
    },
    onPageChange: (next: number, size: number) =>
      setPaging({ page: size === paging.pageSize ? next : 1, pageSize: size, regionCode }),
  };
}

function ProjectStatusFilter({
  value,
  onChange,
}: {
  value: StatusFilter;
  onChange: (value: StatusFilter) => void;
}) {
  return (
    <Segmented<StatusFilter>
      value={value}
      onChange={onChange}
      options={[
        { value: 'all', label: '全部' },
        ...Object.entries(projectStatusLabels).map(([status, label]) => ({
          value: status as ProjectStatus,
          label,
        })),
      ]}
      data-testid="project-filter-status"
    />
  );
}

/** The projects in the header's region, a page at a time from the server. */
function ProjectTable({ writable, scopeName }: { writable: boolean; scopeName: string }) {
  const { currentCode, loading: regionsLoading } = useRegions();
  const list = useProjectListQuery(currentCode);
  const projects = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/projects', { params: { query: list.query } })),
    JSON.stringify(list.query) + regionsLoading,
  );
  const emptyText =
    list.status !== 'all'
      ? `${scopeName}没有${projectStatusLabels[list.status]}的项目`
      : writable
        ? `${scopeName}还没有登记项目。点击右上角“登记项目”，填写项目名称、所在e镇和计划工期。`
        : `${scopeName}还没有登记项目，项目由县级或e镇运营主体登记。`;
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap size={[16, 12]}>
        <ProjectSectionNav />
        <ProjectStatusFilter value={list.status} onChange={list.onStatusChange} />
      </Space>
      {projects.error ? (
        <ErrorState message={projects.error} onRetry={projects.reload} />
      ) : (
        <Table<ProjectSummary>
          rowKey="id"
          size="middle"
          loading={projects.loading || regionsLoading}
          dataSource={projects.data?.items ?? []}
          pagination={{
            current: list.page,
            pageSize: list.pageSize,
            total: projects.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 个项目`,
            onChange: list.onPageChange,
          }}
          data-testid="project-table"
          scroll={{ x: 1100 }}
          locale={{ emptyText }}
          columns={projectColumns}
        />
      )}
    </>
  );
}

export function ProjectListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { current } = useRegions();
  const [creating, setCreating] = useState(false);
  const writable = can.writeProjects(me.role);
  const etownOptions = useEtownOptions(writable);
  const scopeName = current?.name ?? '当前区划';

  return (
    <>
      <PageHeader
        title="项目与设施"
        crumbs={[{ title: '项目与设施' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle={`${scopeName}的建设项目：业主、工期与里程碑、进度报告、分来源投资（投资计入指标 25）`}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="project-create"
            >
              登记项目
            </Button>
          )
        }
      />
      <Card>
        <ProjectTable writable={writable} scopeName={scopeName} />
      </Card>
      <FormModal<ProjectFormValues>
        title="登记项目"
        open={creating}
        onClose={() => setCreating(false)}
        testId="project-form"
        width={600}
        fieldNames={projectFieldNames}
        initialValues={{ etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }}
        onSubmit={async (values) => {
          // The e-town is a required field of this form, so it is set here.
          const body = { etownCode: values.etownCode ?? '', ...projectBody(values) };
          const created = await unwrap(apiClient.POST('/api/projects', { body }));
          message.success(`已登记项目“${created.name}”`);
          navigate(`/projects/${created.id}`);
        }}
      >
        <ProjectFields etownOptions={etownOptions} />
      </FormModal>
    </>
  );
}
