import { DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Image,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { FundSource, ProjectDetail, ProjectStatus } from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import {
  day,
  ProjectFields,
  type ProjectFormValues,
  ProjectStatusTag,
  projectBody,
  projectFieldNames,
} from './project-list-page.tsx';
import { facilityKindLabels, formatYuanText, fundSourceLabels, optionsOf } from './project-types.ts';

type StatusAction = { to: ProjectStatus; label: string };
type Milestone = ProjectDetail['milestones'][number];
type Investment = ProjectDetail['investments'][number];
type Photo = ProjectDetail['photos'][number];
type MilestoneForm = { name: string; plannedOn: dayjs.Dayjs; actualOn?: dayjs.Dayjs | null };

const statusActions: Record<ProjectStatus, StatusAction[]> = {
  planned: [
    { to: 'in_progress', label: '开工' },
    { to: 'suspended', label: '暂停' },
  ],
  in_progress: [
    { to: 'completed', label: '完工' },
    { to: 'suspended', label: '暂停' },
  ],
  suspended: [{ to: 'in_progress', label: '恢复建设' }],
  completed: [{ to: 'in_progress', label: '撤销完工' }],
};

/** The changes that record an actual day: the first start of work, and completion. */
const dateLabel = (project: ProjectDetail, to: ProjectStatus) =>
  to === 'completed' ? '实际完工日期' : to === 'in_progress' && !project.actualStart ? '实际开工日期' : null;

/** An actual day cannot lie in the future. */
const afterToday = (value: dayjs.Dayjs) => value.format('YYYY-MM-DD') > todayInShanghai();

type Modal = 'edit' | 'status' | 'milestone' | 'milestone-done' | 'report' | 'investment' | null;

export function ProjectDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [modal, setModal] = useState<Modal>(null);
  // Each opening mounts a fresh form, so it starts from what it edits this time, not from the last one.
  const [openings, setOpenings] = useState(0);
  // What the open modal works on; kept after closing so a closing modal does not change its title.
  const [statusAction, setStatusAction] = useState<StatusAction | null>(null);
  const [targetMilestone, setTargetMilestone] = useState<Milestone | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const loaded = useLoader(
    () => unwrap(apiClient.GET('/api/projects/{id}', { params: { path: { id } } })),
    id,
  );
  const project = loaded.data;
  const writable = can.writeProjects(me.role);

  if (loaded.notFound) return <NotFoundState what="项目" backTo="/projects" />;
  if (loaded.error) {
    return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  }
  if (!project) return <LoadingState />;

  const openModal = (which: Exclude<Modal, null>) => {
    setOpenings((count) => count + 1);
    setModal(which);
  };

  const save = async (request: () => Promise<ProjectDetail>, done: string) => {
    try {
      loaded.setData(await request());
      message.success(done);
    } catch (failure) {
      // Someone else changed the project: show their version, so trying again works.
      if (failure instanceof ApiError && failure.code === 'version_conflict') void loaded.reload();
      throw failure;
    }
  };
  const report = (promise: Promise<unknown>) =>
    promise.catch((failure) => message.error(errorMessage(failure)));
  const uploadPhoto = (file: File, reportId?: string) => {
    setUploading(reportId ?? 'project');
    void report(
      save(
        () =>
          unwrap(
            apiClient.POST('/api/projects/{id}/photos', {
              params: { path: { id }, query: { fileName: file.name, reportId } },
              ...fileBody(file),
            }),
          ),
        `已上传 ${file.name}`,
      ),
    ).finally(() => setUploading(null));
    return false;
  };
  const photoUpload = (reportId?: string) =>
    writable && (
      <Upload
        accept="image/jpeg,image/png,image/webp"
        showUploadList={false}
        multiple
        beforeUpload={(file) => uploadPhoto(file, reportId)}
      >
        <Button
          size="small"
          icon={<UploadOutlined />}
          loading={uploading === (reportId ?? 'project')}
          data-testid="project-photo-upload"
        >
          上传照片
        </Button>
      </Upload>
    );
  const photos = (list: Photo[]) => (
    <Image.PreviewGroup>
      <Space wrap size={12} align="start">
        {list.map((photo) => (
          <Flex key={photo.id} vertical align="center" gap={2} data-testid="project-photo">
            <Image
              src={`/api/projects/${id}/photos/${photo.id}`}
              width={96}
              height={96}
              style={{ objectFit: 'cover', borderRadius: 6 }}
              alt={photo.fileName}
            />
            {writable && (
              <Popconfirm
                title="删除这张照片？"
                description={`${photo.fileName}，删除后不可恢复`}
                okText="删除"
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  report(
                    save(
                      () =>
                        unwrap(
                          apiClient.DELETE('/api/projects/{id}/photos/{photoId}', {
                            params: { path: { id, photoId: photo.id } },
                          }),
                        ),
                      `已删除照片 ${photo.fileName}`,
                    ),
                  )
                }
              >
                <Button
                  type="link"
                  size="small"
                  danger
                  aria-label={`删除照片 ${photo.fileName}`}
                  data-testid="project-photo-delete"
                >
                  删除
                </Button>
              </Popconfirm>
            )}
          </Flex>
        ))}
      </Space>
    </Image.PreviewGroup>
  );
  const changeStatus = (action: StatusAction, on?: string | null) =>
    save(
      () =>
        unwrap(
          apiClient.POST('/api/projects/{id}/status', {
            params: { path: { id } },
            body: { status: action.to, on: on ?? null, version: project.version },
          }),
        ),
      `已${action.label}`,
    );
  const openMilestone = (which: 'milestone' | 'milestone-done', target: Milestone | null) => {
    setTargetMilestone(target);
    openModal(which);
  };
  const deletable = project.investments.length === 0 && project.facilities.length === 0;
  const deleteProject = async () => {
    await apiClient.DELETE('/api/projects/{id}', { params: { path: { id } } });
    message.success(`已删除项目“${project.name}”`);
    navigate('/projects');
  };

  return (
    <>
      <PageHeader
        title={project.name}
        crumbs={[{ title: '项目与设施', to: '/projects' }, { title: project.name }]}
        subtitle={
          <Space>
            <ProjectStatusTag status={project.status} />
            <span>{project.etownName}</span>
          </Space>
        }
        extra={
          writable && (
            <>
              {statusActions[project.status].map((action) =>
                dateLabel(project, action.to) ? (
                  <Button
                    key={action.to}
                    onClick={() => {
                      setStatusAction(action);
                      openModal('status');
                    }}
                    data-testid={`project-status-${action.to}`}
                  >
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
                    onConfirm={() => report(changeStatus(action))}
                  >
                    <Button data-testid={`project-status-${action.to}`}>{action.label}</Button>
                  </Popconfirm>
                ),
              )}
              <Button icon={<EditOutlined />} onClick={() => openModal('edit')} data-testid="project-edit">
                修改
              </Button>
              {deletable ? (
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
              )}
            </>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
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
                      <Link
                        key={facility.id}
                        to={`/projects/facilities/${facility.id}`}
                        style={{ marginRight: 8 }}
                      >
                        {facility.name}（{facilityKindLabels[facility.kind]}）
                      </Link>
                    ))}
              </Descriptions.Item>
              <Descriptions.Item label="建设内容" span={2}>
                {project.description ?? '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title="投资（计入指标 25）"
            data-testid="project-investments"
            extra={
              writable && (
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => openModal('investment')}
                  data-testid="investment-add"
                >
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
                  {entry.source ? fundSourceLabels[entry.source] : '未注明来源'}{' '}
                  {formatYuanText(entry.amountYuan)}
                </Tag>
              ))}
            </Space>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={project.investments}
              locale={{ emptyText: '还没有投资记录' }}
              columns={[
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
                ...(writable
                  ? [
                      {
                        title: '操作',
                        width: 64,
                        render: (_: unknown, row: Investment) => (
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
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title="里程碑（计划 / 实际）"
            data-testid="project-milestones"
            extra={
              writable && (
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => openMilestone('milestone', null)}
                  data-testid="milestone-add"
                >
                  添加里程碑
                </Button>
              )
            }
          >
            {project.milestones.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有里程碑" />
            ) : (
              <Timeline
                items={project.milestones.map((milestone) => ({
                  color: milestone.actualOn
                    ? milestone.late
                      ? 'orange'
                      : 'green'
                    : milestone.late
                      ? 'red'
                      : 'gray',
                  content: (
                    <Flex vertical gap={2} data-testid="milestone-item">
                      <Space size={8} wrap>
                        <Typography.Text strong>{milestone.name}</Typography.Text>
                        {milestone.late && (
                          <Tag color={milestone.actualOn ? 'orange' : 'red'}>
                            {milestone.actualOn ? '延期完成' : '已延期'}
                          </Tag>
                        )}
                      </Space>
                      <Typography.Text type="secondary">
                        计划 {milestone.plannedOn} · 实际 {milestone.actualOn ?? '未完成'}
                      </Typography.Text>
                      {writable && (
                        <Space size={0} wrap style={{ marginLeft: -7 }}>
                          {!milestone.actualOn && (
                            <Button
                              type="link"
                              size="small"
                              onClick={() => openMilestone('milestone-done', milestone)}
                              data-testid="milestone-done"
                            >
                              标记完成
                            </Button>
                          )}
                          <Button
                            type="link"
                            size="small"
                            onClick={() => openMilestone('milestone', milestone)}
                            data-testid="milestone-edit"
                          >
                            修改
                          </Button>
                          <Popconfirm
                            title={`删除里程碑“${milestone.name}”？`}
                            okText="删除"
                            okButtonProps={{ danger: true }}
                            onConfirm={() =>
                              report(
                                save(
                                  () =>
                                    unwrap(
                                      apiClient.DELETE('/api/projects/{id}/milestones/{milestoneId}', {
                                        params: { path: { id, milestoneId: milestone.id } },
                                      }),
                                    ),
                                  `已删除里程碑“${milestone.name}”`,
                                ),
                              )
                            }
                          >
                            <Button type="link" size="small" danger data-testid="milestone-delete">
                              删除
                            </Button>
                          </Popconfirm>
                        </Space>
                      )}
                    </Flex>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            title="进度报告"
            data-testid="project-reports"
            extra={
              writable && (
                <Space>
                  {photoUpload()}
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    onClick={() => openModal('report')}
                    data-testid="report-add"
                  >
                    提交进度报告
                  </Button>
                </Space>
              )
            }
          >
            {project.photos.length > 0 && <div style={{ marginBottom: 12 }}>{photos(project.photos)}</div>}
            <List
              dataSource={project.reports}
              locale={{ emptyText: '还没有进度报告' }}
              renderItem={(entry) => (
                <List.Item extra={photoUpload(entry.id)}>
                  <List.Item.Meta
                    title={
                      <Space>
                        <span>{entry.reportedOn}</span>
                        <Tag color="blue">形象进度 {entry.progressPct}%</Tag>
                        {entry.createdByName && (
                          <Typography.Text type="secondary">{entry.createdByName}</Typography.Text>
                        )}
                      </Space>
                    }
                    description={
                      <Space direction="vertical">
                        <Typography.Text>{entry.summary}</Typography.Text>
                        {entry.photos.length > 0 && photos(entry.photos)}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>

      <FormModal<MilestoneForm>
        key={`milestone-${openings}`}
        title={targetMilestone ? `修改里程碑：${targetMilestone.name}` : '添加里程碑'}
        open={modal === 'milestone'}
        onClose={() => setModal(null)}
        testId="milestone-form"
        fieldNames={['name', 'plannedOn', 'actualOn']}
        initialValues={
          targetMilestone
            ? {
                name: targetMilestone.name,
                plannedOn: dayjs(targetMilestone.plannedOn),
                actualOn: targetMilestone.actualOn ? dayjs(targetMilestone.actualOn) : null,
              }
            : undefined
        }
        onSubmit={(values) => {
          const body = {
            name: values.name,
            plannedOn: values.plannedOn.format('YYYY-MM-DD'),
            actualOn: day(values.actualOn),
          };
          return targetMilestone
            ? save(
                () =>
                  unwrap(
                    apiClient.PUT('/api/projects/{id}/milestones/{milestoneId}', {
                      params: { path: { id, milestoneId: targetMilestone.id } },
                      body,
                    }),
                  ),
                `已修改里程碑“${values.name.trim()}”`,
              )
            : save(
                () =>
                  unwrap(apiClient.POST('/api/projects/{id}/milestones', { params: { path: { id } }, body })),
                `已添加里程碑“${values.name.trim()}”`,
              );
        }}
      >
        <Form.Item
          name="name"
          label="里程碑"
          rules={[{ required: true, whitespace: true, message: '请填写里程碑名称' }]}
        >
          <Input maxLength={100} placeholder="如：主体完工" data-testid="milestone-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="plannedOn"
              label="计划日期"
              rules={[{ required: true, message: '请选择计划日期' }]}
            >
              <DatePicker style={{ width: '100%' }} data-testid="milestone-planned" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="actualOn" label="实际完成日期" extra="未完成的留空">
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={afterToday}
                data-testid="milestone-actual"
              />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>

      <FormModal<{ actualOn: dayjs.Dayjs }>
        key={`milestone-done-${openings}`}
        title={`标记完成：${targetMilestone?.name ?? ''}`}
        open={modal === 'milestone-done'}
        onClose={() => setModal(null)}
        testId="milestone-done-form"
        okText="标记完成"
        fieldNames={['actualOn']}
        initialValues={{ actualOn: dayjs(todayInShanghai()) }}
        onSubmit={(values) =>
          targetMilestone
            ? save(
                () =>
                  unwrap(
                    apiClient.PUT('/api/projects/{id}/milestones/{milestoneId}', {
                      params: { path: { id, milestoneId: targetMilestone.id } },
                      body: {
                        name: targetMilestone.name,
                        plannedOn: targetMilestone.plannedOn,
                        actualOn: day(values.actualOn),
                      },
                    }),
                  ),
                `里程碑“${targetMilestone.name}”已于 ${day(values.actualOn)} 完成`,
              )
            : Promise.resolve()
        }
      >
        <Form.Item
          name="actualOn"
          label="实际完成日期"
          rules={[{ required: true, message: '请选择实际完成日期' }]}
          extra={targetMilestone ? `计划 ${targetMilestone.plannedOn}` : undefined}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="milestone-done-date" />
        </Form.Item>
      </FormModal>

      <FormModal<{ on: dayjs.Dayjs }>
        key={`status-${openings}`}
        title={statusAction ? `${statusAction.label}：${project.name}` : ''}
        open={modal === 'status'}
        onClose={() => setModal(null)}
        testId="status-form"
        okText={statusAction?.label ?? '确定'}
        fieldNames={['on']}
        initialValues={{ on: dayjs(todayInShanghai()) }}
        onSubmit={(values) => (statusAction ? changeStatus(statusAction, day(values.on)) : Promise.resolve())}
      >
        <Form.Item
          name="on"
          label={statusAction ? dateLabel(project, statusAction.to) : ''}
          rules={[{ required: true, message: '请选择日期' }]}
          extra={
            statusAction?.to === 'completed' && project.actualStart
              ? `实际开工于 ${project.actualStart}`
              : project.plannedStart || project.plannedEnd
                ? `计划工期 ${project.plannedStart ?? '未定'} 至 ${project.plannedEnd ?? '未定'}`
                : undefined
          }
        >
          <DatePicker style={{ width: '100%' }} disabledDate={afterToday} data-testid="status-date" />
        </Form.Item>
      </FormModal>

      <FormModal<ProjectFormValues>
        key={`edit-${openings}`}
        title="修改项目"
        open={modal === 'edit'}
        onClose={() => setModal(null)}
        testId="project-edit-form"
        okText="保存"
        width={600}
        fieldNames={projectFieldNames}
        initialValues={{
          name: project.name,
          ownerEntityId: project.ownerEntityId,
          plannedStart: project.plannedStart ? dayjs(project.plannedStart) : null,
          plannedEnd: project.plannedEnd ? dayjs(project.plannedEnd) : null,
          description: project.description,
        }}
        onSubmit={(values) =>
          save(
            () =>
              unwrap(
                apiClient.PATCH('/api/projects/{id}', {
                  params: { path: { id } },
                  body: { ...projectBody(values), version: project.version },
                }),
              ),
            '已保存项目信息',
          )
        }
      >
        <Form.Item label="所在e镇">
          <Typography.Text>{project.etownName}</Typography.Text>
        </Form.Item>
        <ProjectFields
          etownCode={project.etownCode}
          currentOwner={
            project.ownerEntityId && project.ownerEntityName
              ? { id: project.ownerEntityId, name: project.ownerEntityName }
              : null
          }
        />
        <Typography.Text type="secondary">实际开工、完工日期在“开工”“完工”时填写。</Typography.Text>
      </FormModal>

      <FormModal<{ reportedOn: dayjs.Dayjs; progressPct: number; summary: string }>
        key={`report-${openings}`}
        title="提交进度报告"
        open={modal === 'report'}
        onClose={() => setModal(null)}
        testId="report-form"
        fieldNames={['reportedOn', 'progressPct', 'summary']}
        onSubmit={(values) =>
          save(
            () =>
              unwrap(
                apiClient.POST('/api/projects/{id}/reports', {
                  params: { path: { id } },
                  body: {
                    reportedOn: values.reportedOn.format('YYYY-MM-DD'),
                    progressPct: values.progressPct,
                    summary: values.summary,
                  },
                }),
              ),
            '已提交进度报告，可在报告右侧上传现场照片',
          )
        }
      >
        <Form.Item name="reportedOn" label="报告日期" rules={[{ required: true, message: '请选择报告日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="report-date" />
        </Form.Item>
        <Form.Item
          name="progressPct"
          label="形象进度（%）"
          rules={[{ required: true, message: '请填写形象进度' }]}
        >
          <InputNumber
            min={0}
            max={100}
            precision={0}
            style={{ width: '100%' }}
            data-testid="report-progress"
          />
        </Form.Item>
        <Form.Item
          name="summary"
          label="进度说明"
          rules={[{ required: true, whitespace: true, message: '请填写进度说明' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="report-summary" />
        </Form.Item>
      </FormModal>

      <FormModal<{ source: FundSource; amountYuan: string; investedOn: dayjs.Dayjs }>
        key={`investment-${openings}`}
        title="登记投资"
        open={modal === 'investment'}
        onClose={() => setModal(null)}
        testId="investment-form"
        fieldNames={['source', 'amountYuan', 'investedOn']}
        onSubmit={(values) =>
          save(
            () =>
              unwrap(
                apiClient.POST('/api/projects/{id}/investments', {
                  params: { path: { id } },
                  body: {
                    source: values.source,
                    amountYuan: values.amountYuan,
                    investedOn: values.investedOn.format('YYYY-MM-DD'),
                  },
                }),
              ),
            '已登记投资',
          )
        }
      >
        <Form.Item name="source" label="资金来源" rules={[{ required: true, message: '请选择资金来源' }]}>
          <Select
            options={optionsOf(fundSourceLabels)}
            placeholder="请选择"
            data-testid="investment-source"
          />
        </Form.Item>
        <Form.Item
          name="amountYuan"
          label="金额（元）"
          rules={[
            { required: true, message: '请填写金额' },
            { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: '金额须为不超过两位小数的数字，如 1500000.00' },
          ]}
        >
          <Input inputMode="decimal" suffix="元" data-testid="investment-amount" />
        </Form.Item>
        <Form.Item name="investedOn" label="投资日期" rules={[{ required: true, message: '请选择投资日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="investment-date" />
        </Form.Item>
      </FormModal>
    </>
  );
}
