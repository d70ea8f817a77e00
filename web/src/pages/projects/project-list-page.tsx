import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Form, Input, Progress, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../api.ts';
import type { EtownSummary } from '../../api-types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink, useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import type { dayjs } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FormModal } from '../brands/form-modal.tsx';
import {
  formatYuanText,
  type ProjectDetail,
  type ProjectStatus,
  type ProjectSummary,
  projectStatusColors,
  projectStatusLabels,
} from './project-types.ts';

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
    enabled && !loading ? () => api.get<EtownSummary[]>('/etowns', { regionCode: currentCode }) : null,
    `${currentCode}|${loading}|${enabled}`,
  );
  return (etowns.data ?? []).map((etown) => ({
    value: etown.code,
    label: `${etown.name}（${etown.countyName}）`,
  }));
}

type ProjectForm = {
  etownCode: string;
  name: string;
  description?: string;
  planned?: [dayjs.Dayjs, dayjs.Dayjs] | null;
};

export function ProjectListPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [status, setStatus] = useState<ProjectStatus | 'all'>('all');
  const [creating, setCreating] = useState(false);
  const writable = can.writeProjects(me.role);
  const query = { regionCode: currentCode ?? undefined, status: status === 'all' ? undefined : status };
  const projects = useLoader(
    regionsLoading ? null : () => api.get<ProjectSummary[]>('/projects', query),
    JSON.stringify(query) + regionsLoading,
  );
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
        <Space style={{ marginBottom: 16 }} wrap size={[16, 12]}>
          <ProjectSectionNav />
          <Segmented<ProjectStatus | 'all'>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'all', label: '全部' },
              ...Object.entries(projectStatusLabels).map(([value, label]) => ({
                value: value as ProjectStatus,
                label,
              })),
            ]}
            data-testid="project-filter-status"
          />
        </Space>
        {projects.error ? (
          <ErrorState message={projects.error} onRetry={projects.reload} />
        ) : (
          <Table<ProjectSummary>
            rowKey="id"
            size="middle"
            loading={projects.loading || regionsLoading}
            dataSource={projects.data ?? []}
            pagination={false}
            data-testid="project-table"
            scroll={{ x: 1000 }}
            locale={{
              emptyText: writable
                ? `${scopeName}还没有登记项目。点击右上角“登记项目”，填写项目名称、所在e镇和计划工期。`
                : `${scopeName}还没有登记项目，项目由县级或e镇运营主体登记。`,
            }}
            columns={[
              {
                title: '项目名称',
                dataIndex: 'name',
                fixed: 'start',
                width: 240,
                render: (name: string, project) => (
                  <Link to={`/projects/${project.id}`} data-testid={`project-link-${name}`}>
                    {name}
                  </Link>
                ),
              },
              { title: '所在e镇', dataIndex: 'etownName', width: 140 },
              {
                title: '项目业主',
                dataIndex: 'ownerEntityName',
                width: 180,
                render: (value: string | null) => value ?? '—',
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 100,
                render: (value: ProjectStatus) => <ProjectStatusTag status={value} />,
              },
              {
                title: '计划工期',
                width: 210,
                render: (_: unknown, project) =>
                  project.plannedStart || project.plannedEnd
                    ? `${project.plannedStart ?? '未定'} 至 ${project.plannedEnd ?? '未定'}`
                    : '—',
              },
              {
                title: '形象进度',
                dataIndex: 'progressPct',
                width: 160,
                render: (value: number | null) =>
                  value === null ? '尚无报告' : <Progress percent={value} size="small" />,
              },
              {
                title: '累计投资',
                dataIndex: 'totalInvestmentYuan',
                width: 170,
                align: 'right',
                render: (value: string) => formatYuanText(value),
              },
            ]}
          />
        )}
      </Card>
      <FormModal<ProjectForm>
        title="登记项目"
        open={creating}
        onClose={() => setCreating(false)}
        testId="project-form"
        fieldNames={['etownCode', 'name', 'description', 'plannedStart', 'plannedEnd']}
        initialValues={{ etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }}
        onSubmit={async (values) => {
          const created = await api.post<ProjectDetail>('/projects', {
            etownCode: values.etownCode,
            name: values.name,
            description: values.description,
            plannedStart: day(values.planned?.[0]),
            plannedEnd: day(values.planned?.[1]),
          });
          navigate(`/projects/${created.id}`);
        }}
      >
        <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="project-etown" />
        </Form.Item>
        <Form.Item
          name="name"
          label="项目名称"
          rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
        >
          <Input maxLength={200} data-testid="project-name" />
        </Form.Item>
        <Form.Item name="planned" label="计划工期">
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="project-planned" />
        </Form.Item>
        <Form.Item name="description" label="建设内容">
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </FormModal>
    </>
  );
}
