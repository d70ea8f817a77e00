import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
} from 'antd';
import { Link, useNavigate } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { FundSource, ProjectDetail } from '../../api/types.ts';
import {
  changeStatus,
  dateLabel,
  type Investment,
  type ProjectEditing,
  type StatusAction,
  statusActions,
} from './project-editing.ts';
import { facilityKindLabels, formatYuanText, fundSourceLabels } from './project-types.ts';

/** The status changes the project allows; those that record a day open a form, the others confirm. */
function StatusButtons({
  editing,
  onStatus,
}: {
  editing: ProjectEditing;
  onStatus: (action: StatusAction) => void;
}) {
  const { project, report } = editing;
  return statusActions[project.status].map((action) =>
    dateLabel(project, action.to) ? (
      <Button key={action.to} onClick={() => onStatus(action)} data-testid={`project-status-${action.to}`}>
        {action.label}
      </Button>
    ) : (
      <Popconfirm
        key={action.to}
        title={`确认${action.label}？`}
        description={
          action.to === 'in_progress' && project.status === 'completed'
            ? '将清除实际完工日期，项目回到建设中'
            : undefined
        }
        onConfirm={() => report(changeStatus(editing, action))}
      >
        <Button data-testid={`project-status-${action.to}`}>{action.label}</Button>
      </Popconfirm>
    ),
  );
}

/** A project with no investment and no facility may go; otherwise the button says why not. */
function DeleteProjectButton({ editing }: { editing: ProjectEditing }) {
  const { id, project, report } = editing;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const deletable = project.investments.length === 0 && project.facilities.length === 0;
  const deleteProject = async () => {
    await apiClient.DELETE('/api/projects/{id}', { params: { path: { id } } });
    message.success(`已删除项目“${project.name}”`);
    navigate('/projects');
  };
  return deletable ? (
    <Popconfirm
      title={`删除项目“${project.name}”？`}
      description="项目的里程碑、进度报告和照片将一并删除，且不可恢复"
      okText="删除"
      okButtonProps={{ danger: true }}
      onConfirm={() => report(deleteProject())}
    >
      <Button danger icon={<DeleteOutlined />} data-testid="project-delete">
        删除
      </Button>
    </Popconfirm>
  ) : (
    <Tooltip title="项目已登记投资或关联设施，不能删除；请先删除投资记录并解除设施关联">
      <Button danger icon={<DeleteOutlined />} disabled data-testid="project-delete">
        删除
      </Button>
    </Tooltip>
  );
}

/** The page header's buttons for those who may write: status changes, edit and delete. */
export function ProjectHeaderActions({
  editing,
  onStatus,
  onEdit,
}: {
  editing: ProjectEditing;
  onStatus: (action: StatusAction) => void;
  onEdit: () => void;
}) {
  return (
    <>
      <StatusButtons editing={editing} onStatus={onStatus} />
      <Button icon={<EditOutlined />} onClick={onEdit} data-testid="project-edit">
        修改
      </Button>
      <DeleteProjectButton editing={editing} />
    </>
  );
}

export function ProjectOverviewCard({ project }: { project: ProjectDetail }) {
  return (
    <Card title="项目概况" data-testid="project-overview">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label="所在e镇">{project.etownName}</Descriptions.Item>
        <Descriptions.Item label="项目业主">{project.ownerEntityName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="计划工期">
          {project.plannedStart || project.plannedEnd
            ? `${project.plannedStart ?? '未定'} 至 ${project.plannedEnd ?? '未定'}`
            : '未填'}
        </Descriptions.Item>
        <Descriptions.Item label="实际工期">
          {project.actualStart ? `${project.actualStart} 至 ${project.actualEnd ?? '今'}` : '未开工'}
        </Descriptions.Item>
        <Descriptions.Item label="形象进度">
          {project.progressPct === null ? '尚无报告' : `${project.progressPct}%`}
        </Descriptions.Item>
        <Descriptions.Item label="建成设施">
          {project.facilities.length === 0
            ? '—'
            : project.facilities.map((facility) => (
                <Link key={facility.id} to={`/projects/facilities/${facility.id}`} style={{ marginRight: 8 }}>
                  {facility.name}（{facilityKindLabels[facility.kind]}）
                </Link>
              ))}
        </Descriptions.Item>
        <Descriptions.Item label="建设内容" span={2}>
          {project.description ?? '—'}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function DeleteInvestmentButton({ editing, row }: { editing: ProjectEditing; row: Investment }) {
  const { id, save, report } = editing;
  return (
    <Popconfirm
      title="删除这笔投资？"
      description={`${row.investedOn} ${row.source ? fundSourceLabels[row.source] : ''} ${formatYuanText(row.amountYuan)}，删除后累计投资与指标 25 随之减少`}
      okText="删除"
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        report(
          save(
            () =>
              unwrap(
                apiClient.DELETE('/api/projects/{id}/investments/{investmentId}', {
                  params: { path: { id, investmentId: row.id } },
                }),
              ),
            `已删除投资记录（${formatYuanText(row.amountYuan)}）`,
          ),
        )
      }
    >
      <Button type="link" size="small" danger data-testid="investment-delete">
        删除
      </Button>
    </Popconfirm>
  );
}

function investmentColumns(editing: ProjectEditing): TableColumnsType<Investment> {
  const columns: TableColumnsType<Investment> = [
    { title: '日期', dataIndex: 'investedOn', width: 110 },
    {
      title: '来源',
      dataIndex: 'source',
      render: (value: FundSource | null) => (value ? fundSourceLabels[value] : '—'),
    },
    {
      title: '金额',
      dataIndex: 'amountYuan',
      align: 'right',
      render: (value: string) => formatYuanText(value),
    },
  ];
  const deleteColumn: TableColumnsType<Investment>[number] = {
    title: '操作',
    width: 64,
    render: (_: unknown, row: Investment) => <DeleteInvestmentButton editing={editing} row={row} />,
  };
  return editing.writable ? [...columns, deleteColumn] : columns;
}

/** 投资（计入指标 25）: the total, its split by fund source, and each investment. */
export function InvestmentsCard({ editing, onAdd }: { editing: ProjectEditing; onAdd: () => void }) {
  const { project } = editing;
  return (
    <Card
      title="投资（计入指标 25）"
      data-testid="project-investments"
      extra={
        editing.writable && (
          <Button size="small" icon={<PlusOutlined />} onClick={onAdd} data-testid="investment-add">
            登记投资
          </Button>
        )
      }
    >
      <Statistic
        title="累计投资"
        value={formatYuanText(project.totalInvestmentYuan)}
        data-testid="project-total-investment"
      />
      <Space wrap style={{ margin: '12px 0' }}>
        {project.investmentBySource.map((entry) => (
          <Tag key={entry.source ?? 'none'} color="blue">
            {entry.source ? fundSourceLabels[entry.source] : '未注明来源'} {formatYuanText(entry.amountYuan)}
          </Tag>
        ))}
      </Space>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={project.investments}
        locale={{ emptyText: '还没有投资记录' }}
        columns={investmentColumns(editing)}
      />
    </Card>
  );
}
