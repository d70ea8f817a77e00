import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
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
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { type dayjs, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FormModal } from '../brands/form-modal.tsx';
import { day, ProjectStatusTag } from './project-list-page.tsx';
import {
  type FundSource,
  facilityKindLabels,
  formatYuanText,
  fundSourceLabels,
  optionsOf,
  type ProjectDetail,
  type ProjectStatus,
} from './project-types.ts';

const statusActions: Record<ProjectStatus, { to: ProjectStatus; label: string }[]> = {
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

type Modal = 'milestone' | 'report' | 'investment' | null;

export function ProjectDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const [modal, setModal] = useState<Modal>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const loaded = useLoader(() => api.get<ProjectDetail>(`/projects/${id}`), id);
  const project = loaded.data;
  const writable = can.writeProjects(me.role);

  if (loaded.notFound) return <NotFoundState what="项目" backTo="/projects" />;
  if (loaded.error) {
    return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  }
  if (!project) return <LoadingState />;

  const save = async (request: () => Promise<ProjectDetail>, done: string) => {
    const next = await request();
    loaded.setData(next);
    message.success(done);
  };
  const report = (promise: Promise<unknown>) =>
    promise.catch((failure) => message.error(errorMessage(failure)));
  const uploadPhoto = (file: File, reportId?: string) => {
    setUploading(reportId ?? 'project');
    void report(
      save(
        () => api.upload<ProjectDetail>(`/projects/${id}/photos`, file, { fileName: file.name, reportId }),
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
  const photos = (list: ProjectDetail['photos']) => (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {list.map((photo) => (
          <Image
            key={photo.id}
            src={`/api/projects/${id}/photos/${photo.id}`}
            width={96}
            height={96}
            style={{ objectFit: 'cover', borderRadius: 6 }}
            alt={photo.fileName}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );

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
            <Space>
              {statusActions[project.status].map((action) => (
                <Popconfirm
                  key={action.to}
                  title={`确认${action.label}？`}
                  description={
                    action.to === 'in_progress' || action.to === 'completed' ? '以今天为实际日期' : undefined
                  }
                  onConfirm={() =>
                    report(
                      save(
                        () =>
                          api.post<ProjectDetail>(`/projects/${id}/status`, {
                            status: action.to,
                            version: project.version,
                          }),
                        `已${action.label}`,
                      ),
                    )
                  }
                >
                  <Button data-testid={`project-status-${action.to}`}>{action.label}</Button>
                </Popconfirm>
              ))}
            </Space>
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
                  onClick={() => setModal('investment')}
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
                        title: '',
                        width: 60,
                        render: (_: unknown, row: ProjectDetail['investments'][number]) => (
                          <Popconfirm
                            title="删除这笔投资？"
                            onConfirm={() =>
                              report(
                                save(
                                  () => api.delete<ProjectDetail>(`/projects/${id}/investments/${row.id}`),
                                  '已删除',
                                ),
                              )
                            }
                          >
                            <Button type="link" size="small" danger>
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
                  onClick={() => setModal('milestone')}
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
                    <Space direction="vertical" size={0}>
                      <Typography.Text strong>{milestone.name}</Typography.Text>
                      <Typography.Text type="secondary">
                        计划 {milestone.plannedOn} · 实际 {milestone.actualOn ?? '未完成'}
                      </Typography.Text>
                      <Space size={4}>
                        {milestone.late && (
                          <Tag color={milestone.actualOn ? 'orange' : 'red'}>
                            {milestone.actualOn ? '延期完成' : '已延期'}
                          </Tag>
                        )}
                        {writable && !milestone.actualOn && (
                          <Button
                            type="link"
                            size="small"
                            onClick={() =>
                              report(
                                save(
                                  () =>
                                    api.put<ProjectDetail>(`/projects/${id}/milestones/${milestone.id}`, {
                                      name: milestone.name,
                                      plannedOn: milestone.plannedOn,
                                      actualOn: todayInShanghai(),
                                    }),
                                  '已标记完成',
                                ),
                              )
                            }
                          >
                            标记今天完成
                          </Button>
                        )}
                      </Space>
                    </Space>
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
                    onClick={() => setModal('report')}
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

      <FormModal<{ name: string; plannedOn: dayjs.Dayjs; actualOn?: dayjs.Dayjs }>
        title="添加里程碑"
        open={modal === 'milestone'}
        onClose={() => setModal(null)}
        testId="milestone-form"
        fieldNames={['name', 'plannedOn', 'actualOn']}
        onSubmit={(values) =>
          save(
            () =>
              api.post<ProjectDetail>(`/projects/${id}/milestones`, {
                name: values.name,
                plannedOn: day(values.plannedOn),
                actualOn: day(values.actualOn),
              }),
            '已添加里程碑',
          )
        }
      >
        <Form.Item
          name="name"
          label="里程碑"
          rules={[{ required: true, whitespace: true, message: '请填写里程碑名称' }]}
        >
          <Input maxLength={100} placeholder="如：主体完工" data-testid="milestone-name" />
        </Form.Item>
        <Form.Item name="plannedOn" label="计划日期" rules={[{ required: true, message: '请选择计划日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="milestone-planned" />
        </Form.Item>
        <Form.Item name="actualOn" label="实际完成日期">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>

      <FormModal<{ reportedOn: dayjs.Dayjs; progressPct: number; summary: string }>
        title="提交进度报告"
        open={modal === 'report'}
        onClose={() => setModal(null)}
        testId="report-form"
        fieldNames={['reportedOn', 'progressPct', 'summary']}
        onSubmit={(values) =>
          save(
            () =>
              api.post<ProjectDetail>(`/projects/${id}/reports`, {
                reportedOn: day(values.reportedOn),
                progressPct: values.progressPct,
                summary: values.summary,
              }),
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
        title="登记投资"
        open={modal === 'investment'}
        onClose={() => setModal(null)}
        testId="investment-form"
        fieldNames={['source', 'amountYuan', 'investedOn']}
        onSubmit={(values) =>
          save(
            () =>
              api.post<ProjectDetail>(`/projects/${id}/investments`, {
                source: values.source,
                amountYuan: values.amountYuan,
                investedOn: day(values.investedOn),
              }),
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
