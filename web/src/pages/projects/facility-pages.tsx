import { EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
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
  List,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { FormModal } from '../brands/form-modal.tsx';
import { day, ProjectSectionNav, useEtownOptions } from './project-list-page.tsx';
import {
  type Facility,
  type FacilityKind,
  type FacilityPlanCheck,
  facilityFeatureLabels,
  facilityKindLabels,
  optionsOf,
  type ProjectSummary,
} from './project-types.ts';

/** One tag per catalog condition: 达标 in green, otherwise the reasons in a tooltip. */
export function PlanCheckTags({ checks }: { checks: FacilityPlanCheck[] }) {
  if (checks.length === 0) return <Typography.Text type="secondary">无对应指标</Typography.Text>;
  return (
    <Space size={4} wrap>
      {checks.map((check) => (
        <Tooltip key={check.indicatorNo} title={check.met ? check.standard : check.reasons.join('；')}>
          <Tag color={check.met ? 'success' : 'error'} data-testid={`plan-check-${check.indicatorNo}`}>
            指标{check.indicatorNo} {check.met ? '符合规划' : '不符合'}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

type FacilityForm = {
  etownCode?: string;
  kind: FacilityKind;
  name: string;
  buildingAreaM2: string;
  features: string[];
  projectId?: string | null;
  openedOn?: dayjs.Dayjs | null;
};

const facilityFieldNames = [
  'etownCode',
  'kind',
  'name',
  'buildingAreaM2',
  'features',
  'projectId',
  'openedOn',
];

function FacilityFormModal({
  facility,
  open,
  onClose,
  onSaved,
}: {
  facility?: Facility;
  open: boolean;
  onClose: () => void;
  onSaved: (facility: Facility) => void;
}) {
  const { currentCode, loading } = useRegions();
  const etownOptions = useEtownOptions(open && !facility);
  const projects = useLoader(
    open && !loading
      ? () => api.get<ProjectSummary[]>('/projects', { regionCode: facility?.etownCode ?? currentCode })
      : null,
    `${open}|${currentCode}|${facility?.id}`,
  );
  return (
    <FormModal<FacilityForm>
      title={facility ? '修改设施' : '登记设施'}
      open={open}
      onClose={onClose}
      testId="facility-form"
      width={600}
      fieldNames={facilityFieldNames}
      initialValues={
        facility
          ? { ...facility, openedOn: facility.openedOn ? dayjs(facility.openedOn) : null }
          : { features: [], etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }
      }
      onSubmit={async (values, form) => {
        const etownCode = values.etownCode ?? facility?.etownCode;
        const chosenProject = (projects.data ?? []).find((project) => project.id === values.projectId);
        if (chosenProject && chosenProject.etownCode !== etownCode) {
          form.setFields([{ name: 'projectId', errors: ['关联项目须为本e镇的项目'] }]);
          throw new Error('关联项目须为本e镇的项目');
        }
        const body = {
          kind: values.kind,
          name: values.name,
          buildingAreaM2: values.buildingAreaM2,
          features: values.features ?? [],
          projectId: values.projectId ?? null,
          openedOn: day(values.openedOn),
        };
        onSaved(
          facility
            ? await api.patch<Facility>(`/facilities/${facility.id}`, { ...body, version: facility.version })
            : await api.post<Facility>('/facilities', { ...body, etownCode }),
        );
      }}
    >
      {!facility && (
        <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="facility-etown" />
        </Form.Item>
      )}
      <Form.Item name="kind" label="设施类型" rules={[{ required: true, message: '请选择设施类型' }]}>
        <Select options={optionsOf(facilityKindLabels)} placeholder="请选择" data-testid="facility-kind" />
      </Form.Item>
      <Form.Item
        name="name"
        label="设施名称"
        rules={[{ required: true, whitespace: true, message: '请填写设施名称' }]}
      >
        <Input maxLength={200} data-testid="facility-name" />
      </Form.Item>
      <Form.Item
        name="buildingAreaM2"
        label="建筑面积（平方米）"
        rules={[
          { required: true, message: '请填写建筑面积' },
          { pattern: /^\d{1,12}(\.\d{1,2})?$/, message: '建筑面积须为数字（最多两位小数）' },
        ]}
      >
        <Input inputMode="decimal" suffix="㎡" data-testid="facility-area" />
      </Form.Item>
      <Form.Item
        name="features"
        label="功能分区"
        extra="如大数据中心、直播间、陈列展示、体验品鉴、销售对接、分拣、冷链仓储、配送调度、办公"
      >
        <Select
          mode="multiple"
          options={optionsOf(facilityFeatureLabels)}
          placeholder="请选择"
          data-testid="facility-features"
        />
      </Form.Item>
      <Form.Item name="projectId" label="所属项目">
        <Select
          allowClear
          options={(projects.data ?? []).map((project) => ({
            value: project.id,
            label: `${project.name}（${project.etownName}）`,
          }))}
          placeholder="不关联项目"
          data-testid="facility-project"
        />
      </Form.Item>
      <Form.Item name="openedOn" label="投入使用日期">
        <DatePicker style={{ width: '100%' }} data-testid="facility-opened" />
      </Form.Item>
    </FormModal>
  );
}

export function FacilityListPage() {
  const me = useMe();
  const { current, currentCode, loading: regionsLoading } = useRegions();
  const [creating, setCreating] = useState(false);
  const writable = can.writeProjects(me.role);
  const facilities = useLoader(
    regionsLoading ? null : () => api.get<Facility[]>('/facilities', { regionCode: currentCode }),
    `${currentCode}|${regionsLoading}`,
  );
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
            scroll={{ x: 1100 }}
            locale={{ emptyText: `${scopeName}还没有登记设施` }}
            columns={[
              {
                title: '设施名称',
                dataIndex: 'name',
                fixed: 'start',
                width: 240,
                render: (name: string, facility) => (
                  <Link to={`/projects/facilities/${facility.id}`}>{name}</Link>
                ),
              },
              {
                title: '类型',
                dataIndex: 'kind',
                width: 170,
                render: (kind: FacilityKind) => facilityKindLabels[kind],
              },
              { title: '所在e镇', dataIndex: 'etownName', width: 130 },
              {
                title: '建筑面积',
                dataIndex: 'buildingAreaM2',
                width: 110,
                align: 'right',
                render: (value: string) => `${value} ㎡`,
              },
              {
                title: '功能分区',
                dataIndex: 'features',
                render: (features: string[]) =>
                  features.map((feature) => facilityFeatureLabels[feature] ?? feature).join('、') || '—',
              },
              {
                title: '规划核验',
                dataIndex: 'planChecks',
                width: 170,
                render: (checks: FacilityPlanCheck[]) => <PlanCheckTags checks={checks} />,
              },
              {
                title: '所属项目',
                dataIndex: 'projectName',
                width: 170,
                render: (value: string | null) => value ?? '—',
              },
            ]}
          />
        )}
      </Card>
      <FacilityFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          void facilities.reload();
        }}
      />
    </>
  );
}

export function FacilityDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [uploading, setUploading] = useState(false);
  const loaded = useLoader(() => api.get<Facility>(`/facilities/${id}`), id);
  const writable = can.writeProjects(me.role);
  if (loaded.notFound) return <NotFoundState what="设施" backTo="/projects/facilities" />;
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  const facility = loaded.data;
  if (!facility) return <LoadingState />;

  return (
    <>
      <PageHeader
        title={facility.name}
        crumbs={[
          { title: '项目与设施', to: '/projects' },
          { title: '设施', to: '/projects/facilities' },
          { title: facility.name },
        ]}
        subtitle={`${facilityKindLabels[facility.kind]} · ${facility.etownName}`}
        extra={
          writable && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="facility-edit">
              修改
            </Button>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title="设施信息">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="类型">{facilityKindLabels[facility.kind]}</Descriptions.Item>
              <Descriptions.Item label="建筑面积">{facility.buildingAreaM2} 平方米</Descriptions.Item>
              <Descriptions.Item label="功能分区">
                {facility.features.map((feature) => facilityFeatureLabels[feature] ?? feature).join('、') ||
                  '—'}
              </Descriptions.Item>
              <Descriptions.Item label="投入使用">{facility.openedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="所属项目">
                {facility.projectId ? (
                  <Link to={`/projects/${facility.projectId}`}>{facility.projectName}</Link>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="对照规划建设标准" data-testid="facility-plan-checks">
            <List
              dataSource={facility.planChecks}
              locale={{ emptyText: '该类设施没有对应的约束性指标' }}
              renderItem={(check) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <Space>
                        <Tag color={check.met ? 'success' : 'error'}>{check.met ? '符合' : '不符合'}</Tag>
                        {`指标${check.indicatorNo} ${check.label}`}
                      </Space>
                    }
                    description={
                      <Space direction="vertical" size={2}>
                        <Typography.Text type="secondary">标准：{check.standard}</Typography.Text>
                        {check.reasons.map((reason) => (
                          <Typography.Text key={reason} type="danger">
                            {reason}
                          </Typography.Text>
                        ))}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title="设施照片"
            extra={
              writable && (
                <Upload
                  accept="image/jpeg,image/png,image/webp"
                  showUploadList={false}
                  multiple
                  beforeUpload={(file) => {
                    setUploading(true);
                    api
                      .upload<Facility>(`/facilities/${id}/photos`, file, { fileName: file.name })
                      .then((next) => {
                        loaded.setData(next);
                        message.success(`已上传 ${file.name}`);
                      })
                      .catch((failure) => message.error(errorMessage(failure)))
                      .finally(() => setUploading(false));
                    return false;
                  }}
                >
                  <Button
                    size="small"
                    icon={<UploadOutlined />}
                    loading={uploading}
                    data-testid="facility-photo-upload"
                  >
                    上传照片
                  </Button>
                </Upload>
              )
            }
          >
            {facility.photos.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description="还没有照片（JPEG、PNG 或 WebP，≤ 5 MB）"
              />
            ) : (
              <Image.PreviewGroup>
                <Space wrap size={12}>
                  {facility.photos.map((photo) => (
                    <Image
                      key={photo.id}
                      src={`/api/facilities/${id}/photos/${photo.id}`}
                      width={140}
                      height={105}
                      style={{ objectFit: 'cover', borderRadius: 6 }}
                      alt={photo.fileName}
                    />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
          </Card>
        </Col>
      </Row>
      <FacilityFormModal
        facility={facility}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(next) => {
          loaded.setData(next);
          message.success('已保存');
        }}
      />
    </>
  );
}
