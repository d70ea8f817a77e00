import {
  CheckCircleFilled,
  CloseCircleFilled,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Image,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { currentProvinceCatalog, type FacilityCondition } from '../../../../src/indicators/catalog.ts';
import {
  compare,
  formatExact,
  formatGrouped,
  parseDecimal,
  type Rational,
  subtract,
} from '../../../../src/indicators/exact.ts';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type {
  Facility,
  FacilityFeature,
  FacilityKind,
  FacilityPlanCheck,
  ProjectSummary,
  ScorecardIndicator,
} from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useRegions } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { IndicatorStatusTag } from '../evaluations/evaluation-labels.tsx';
import { day, ProjectSectionNav, useEtownOptions } from './project-list-page.tsx';
import { facilityFeatureLabels, facilityKindLabels, optionsOf } from './project-types.ts';

// ---- the check against the plan, spelled out ----

const squareMetres = (value: Rational) => `${formatGrouped(formatExact(value))} 平方米`;
const featureNames = (features: readonly string[]) =>
  features.map((feature) => facilityFeatureLabels[feature] ?? feature).join('、');

/**
 * The catalog's facility conditions for a kind, as the server checks them (the province catalog's
 * newest version); they give the bounds and zones the server's verdict and reasons speak of.
 */
function planConditionsFor(kind: FacilityKind): { indicatorNo: number; condition: FacilityCondition }[] {
  return currentProvinceCatalog().indicators.flatMap((indicator) =>
    indicator.conditions.flatMap((condition) =>
      condition.type === 'facility' && condition.kind === kind
        ? [{ indicatorNo: indicator.no, condition }]
        : [],
    ),
  );
}

/** "不少于 1,000 平方米", "100–300 平方米" — the plan's area rule in words. */
function areaRequirement(condition: FacilityCondition): string | null {
  const { minAreaM2: min, maxAreaM2: max } = condition;
  const shown = (text: string) => formatGrouped(text);
  if (min !== undefined && max !== undefined) return `${shown(min)}–${shown(max)} 平方米（含）`;
  if (min !== undefined) return `不少于 ${shown(min)} 平方米`;
  if (max !== undefined) return `不多于 ${shown(max)} 平方米`;
  return null;
}

/** What the plan asks of facilities of this kind, for the form's hints. */
function planHint(kind: FacilityKind | undefined, part: 'area' | 'features'): string | undefined {
  if (!kind) return undefined;
  const hints = planConditionsFor(kind).flatMap(({ indicatorNo, condition }) => {
    const rule =
      part === 'area'
        ? areaRequirement(condition)
        : condition.features.length > 0
          ? `须设${featureNames(condition.features)}`
          : null;
    return rule ? [`指标${indicatorNo}：${rule}`] : [];
  });
  return hints.length > 0 ? hints.join('；') : undefined;
}

type PlanCheckLine = {
  key: string;
  item: string;
  required: string;
  actual: ReactNode;
  outcome: string;
  met: boolean;
};

/** A line per rule: what the plan asks, what this facility has, and by how much it misses or passes. */
function planCheckLines(facility: Facility, condition: FacilityCondition): PlanCheckLine[] {
  const lines: PlanCheckLine[] = [];
  const required = areaRequirement(condition);
  const area = parseDecimal(facility.buildingAreaM2);
  if (required && area) {
    const minimum =
      condition.minAreaM2 === undefined ? null : (parseDecimal(condition.minAreaM2) as Rational);
    const maximum =
      condition.maxAreaM2 === undefined ? null : (parseDecimal(condition.maxAreaM2) as Rational);
    let outcome: string;
    let met = true;
    if (minimum && compare(area, minimum) < 0) {
      outcome = `比下限少 ${squareMetres(subtract(minimum, area))}`;
      met = false;
    } else if (maximum && compare(area, maximum) > 0) {
      outcome = `超出上限 ${squareMetres(subtract(area, maximum))}`;
      met = false;
    } else {
      const margins = [
        minimum &&
          (compare(area, minimum) === 0
            ? '恰好达到下限'
            : `高出下限 ${squareMetres(subtract(area, minimum))}`),
        maximum &&
          (compare(area, maximum) === 0 ? '恰好达到上限' : `距上限 ${squareMetres(subtract(maximum, area))}`),
      ].filter(Boolean);
      outcome = `符合，${margins.join('，')}`;
    }
    lines.push({ key: 'area', item: '建筑面积', required, actual: squareMetres(area), outcome, met });
  }
  if (condition.features.length > 0) {
    const lacking = condition.features.filter((feature) => !facility.features.includes(feature));
    lines.push({
      key: 'features',
      item: '功能分区',
      required: `须设${featureNames(condition.features)}`,
      actual: (
        <Space size={[4, 4]} wrap>
          {condition.features.map((feature) => {
            const present = facility.features.includes(feature);
            return (
              <Tag
                key={feature}
                color={present ? 'success' : 'error'}
                icon={present ? <CheckCircleFilled /> : <CloseCircleFilled />}
              >
                {facilityFeatureLabels[feature] ?? feature}
              </Tag>
            );
          })}
        </Space>
      ),
      outcome: lacking.length > 0 ? `缺少${featureNames(lacking)}` : '符合，要求的功能分区齐全',
      met: lacking.length === 0,
    });
  }
  return lines;
}

/** One tag per catalog condition: 符合规划 in green, otherwise the reasons in a tooltip. */
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

/** The e-town's own verdict on the indicator: met when any facility of the kind passes. */
function EtownVerdict({ indicator }: { indicator: ScorecardIndicator | undefined }) {
  if (!indicator) return null;
  const said = indicator.status === 'met' ? indicator.values : indicator.reasons;
  return (
    <Flex gap={8} align="baseline" data-testid={`etown-indicator-${indicator.no}`}>
      <Typography.Text type="secondary" style={{ flex: 'none' }}>
        本镇指标{indicator.no}
      </Typography.Text>
      <IndicatorStatusTag status={indicator.status} />
      <Typography.Text type="secondary">{said.join('；')}</Typography.Text>
    </Flex>
  );
}

function PlanCheckBlock({
  facility,
  check,
  indicator,
}: {
  facility: Facility;
  check: FacilityPlanCheck;
  indicator: ScorecardIndicator | undefined;
}) {
  const condition = planConditionsFor(facility.kind).find(
    (entry) => entry.indicatorNo === check.indicatorNo,
  )?.condition;
  const lines = condition ? planCheckLines(facility, condition) : [];
  return (
    <Flex vertical gap={8} data-testid={`plan-check-detail-${check.indicatorNo}`}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text strong>
          指标{check.indicatorNo} {check.label}
        </Typography.Text>
        <Tag
          color={check.met ? 'success' : 'error'}
          data-testid="plan-check-verdict"
          style={{ marginInlineEnd: 0 }}
        >
          {check.met ? '本设施符合规划' : '本设施不符合规划'}
        </Tag>
      </Flex>
      {check.reasons.length > 0 && (
        <Typography.Text type="danger" data-testid="plan-check-reasons">
          {check.reasons.join('；')}
        </Typography.Text>
      )}
      {lines.length > 0 && (
        <Table<PlanCheckLine>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={lines}
          columns={[
            { title: '核验项', dataIndex: 'item', width: 90 },
            { title: '规划要求', dataIndex: 'required' },
            { title: '本设施', dataIndex: 'actual' },
            {
              title: '结果',
              dataIndex: 'outcome',
              render: (outcome: string, line) => (
                <Typography.Text
                  type={line.met ? 'success' : 'danger'}
                  data-testid={`plan-outcome-${line.key}`}
                >
                  {outcome}
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
      <Typography.Text type="secondary">规划原文：{check.standard}</Typography.Text>
      <EtownVerdict indicator={indicator} />
    </Flex>
  );
}

// ---- the form ----

type FacilityForm = {
  etownCode?: string;
  kind: FacilityKind;
  name: string;
  buildingAreaM2: string;
  features: FacilityFeature[];
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

const formValuesOf = (facility: Facility): FacilityForm => ({
  kind: facility.kind,
  name: facility.name,
  buildingAreaM2: facility.buildingAreaM2,
  features: facility.features,
  projectId: facility.projectId,
  openedOn: facility.openedOn ? dayjs(facility.openedOn) : null,
});

/** The e-town select of the create form; the only e-town in scope is chosen once the options arrive. */
function EtownField({ options }: { options: { value: string; label: string }[] }) {
  const form = Form.useFormInstance<FacilityForm>();
  const only = options.length === 1 ? options[0]?.value : undefined;
  useEffect(() => {
    if (only && !form.getFieldValue('etownCode')) form.setFieldValue('etownCode', only);
  }, [only, form]);
  return (
    <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
      <Select
        options={options}
        placeholder="请选择"
        onChange={() => form.setFieldValue('projectId', null)}
        data-testid="facility-etown"
      />
    </Form.Item>
  );
}

/** Kind, area and zones, with what the plan asks of the chosen kind under the fields. */
function FacilityFields({ projects, etownCode }: { projects: ProjectSummary[]; etownCode?: string }) {
  const kind = Form.useWatch<FacilityKind | undefined>('kind');
  const chosenEtown = Form.useWatch<string | undefined>('etownCode') ?? etownCode;
  const projectOptions = projects
    .filter((project) => !chosenEtown || project.etownCode === chosenEtown)
    .map((project) => ({ value: project.id, label: `${project.name}（${project.etownName}）` }));
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="kind" label="设施类型" rules={[{ required: true, message: '请选择设施类型' }]}>
            <Select
              options={optionsOf(facilityKindLabels)}
              placeholder="请选择"
              data-testid="facility-kind"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="buildingAreaM2"
            label="建筑面积（平方米）"
            extra={planHint(kind, 'area')}
            rules={[
              { required: true, message: '请填写建筑面积' },
              { pattern: /^\d{1,12}(\.\d{1,2})?$/, message: '建筑面积须为数字（最多两位小数）' },
            ]}
          >
            <Input inputMode="decimal" suffix="㎡" data-testid="facility-area" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="name"
        label="设施名称"
        rules={[{ required: true, whitespace: true, message: '请填写设施名称' }]}
      >
        <Input maxLength={200} data-testid="facility-name" />
      </Form.Item>
      <Form.Item name="features" label="功能分区" extra={planHint(kind, 'features')}>
        <Select
          mode="multiple"
          options={optionsOf(facilityFeatureLabels)}
          placeholder="请选择"
          data-testid="facility-features"
        />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="projectId" label="所属项目">
            <Select
              allowClear
              options={projectOptions}
              placeholder="不关联项目"
              data-testid="facility-project"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="openedOn" label="投入使用日期">
            <DatePicker style={{ width: '100%' }} data-testid="facility-opened" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

const isVersionConflict = (failure: unknown) =>
  failure instanceof ApiError && failure.code === 'version_conflict';

function FacilityFormModal({
  facility,
  open,
  onClose,
  onSaved,
  onStale,
}: {
  facility?: Facility;
  open: boolean;
  onClose: () => void;
  onSaved: (facility: Facility) => void;
  /** Someone else changed the facility since it was read. */
  onStale?: () => void;
}) {
  const { currentCode, loading } = useRegions();
  const etownOptions = useEtownOptions(open && !facility);
  const projects = useLoader(
    open && !loading
      ? () =>
          unwrap(
            apiClient.GET('/api/projects', {
              params: { query: { regionCode: facility?.etownCode ?? currentCode ?? undefined } },
            }),
          )
      : null,
    `${open}|${currentCode}|${facility?.id}`,
  );
  return (
    <FormModal<FacilityForm>
      title={facility ? `修改设施：${facility.name}` : '登记设施'}
      open={open}
      onClose={onClose}
      testId="facility-form"
      width={640}
      fieldNames={facilityFieldNames}
      initialValues={facility ? formValuesOf(facility) : { features: [] }}
      onSubmit={async (values) => {
        const body = {
          kind: values.kind,
          name: values.name,
          buildingAreaM2: values.buildingAreaM2,
          features: values.features ?? [],
          projectId: values.projectId ?? null,
          openedOn: day(values.openedOn),
        };
        try {
          onSaved(
            facility
              ? await unwrap(
                  apiClient.PATCH('/api/facilities/{id}', {
                    params: { path: { id: facility.id } },
                    body: { ...body, version: facility.version },
                  }),
                )
              : // The e-town is a required field of the create form.
                await unwrap(
                  apiClient.POST('/api/facilities', { body: { ...body, etownCode: values.etownCode ?? '' } }),
                ),
          );
        } catch (failure) {
          if (isVersionConflict(failure)) onStale?.();
          throw failure;
        }
      }}
    >
      {facility ? (
        <Form.Item label="所在e镇">
          <Typography.Text data-testid="facility-form-etown">{facility.etownName}</Typography.Text>
        </Form.Item>
      ) : (
        <EtownField options={etownOptions} />
      )}
      <FacilityFields projects={projects.data ?? []} etownCode={facility?.etownCode} />
    </FormModal>
  );
}

// ---- deleting ----

function FacilityDeleteButton({
  facility,
  onDeleted,
  size,
}: {
  facility: Facility;
  onDeleted: () => void;
  size?: ButtonProps['size'];
}) {
  const { message } = App.useApp();
  const photos = facility.photos.length;
  const indicators = facility.planChecks.map((check) => `指标${check.indicatorNo}`).join('、');
  const consequences = [
    photos > 0 ? `它的 ${photos} 张照片将一并删除` : null,
    indicators ? `不再计入${indicators}的核验` : null,
    '删除后不能恢复',
  ].filter(Boolean);
  return (
    <Popconfirm
      title={`删除设施「${facility.name}」？`}
      description={<div style={{ maxWidth: 320 }}>{`${consequences.join('，')}。`}</div>}
      okText="删除"
      cancelText="取消"
      okButtonProps={{ danger: true, 'data-testid': 'facility-delete-confirm' } as ButtonProps}
      onConfirm={async () => {
        try {
          await apiClient.DELETE('/api/facilities/{id}', { params: { path: { id: facility.id } } });
          message.success(`已删除设施「${facility.name}」`);
          onDeleted();
        } catch (failure) {
          message.error(errorMessage(failure));
        }
      }}
    >
      <Button
        danger
        size={size}
        type={size ? 'link' : 'default'}
        icon={size ? undefined : <DeleteOutlined />}
        data-testid="facility-delete"
      >
        删除
      </Button>
    </Popconfirm>
  );
}

// ---- pages ----

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
            columns={[
              {
                title: '设施名称',
                dataIndex: 'name',
                fixed: 'start',
                width: 200,
                render: (name: string, facility) => (
                  <Link to={`/projects/facilities/${facility.id}`}>{name}</Link>
                ),
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
              ...(writable
                ? [
                    {
                      title: '操作',
                      key: 'actions',
                      fixed: 'end' as const,
                      width: 110,
                      render: (_: unknown, facility: Facility) => (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            onClick={() => {
                              setEditing(facility);
                              setEditOpen(true);
                            }}
                            data-testid="facility-row-edit"
                          >
                            修改
                          </Button>
                          <FacilityDeleteButton facility={facility} size="small" onDeleted={reload} />
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
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

export function FacilityDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [uploads, setUploads] = useState(0);
  // After a version conflict the page reloads when the form closes, so the next edit starts from what is stored.
  const stale = useRef(false);
  const loaded = useLoader(
    () => unwrap(apiClient.GET('/api/facilities/{id}', { params: { path: { id } } })),
    id,
  );
  const writable = can.writeProjects(me.role);
  const etownCode = loaded.data?.etownCode;
  const year = todayInShanghai().slice(0, 4);
  const scorecard = useLoader(
    etownCode && can.readScorecards(me.role)
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns/{code}/scorecard', {
              params: { path: { code: etownCode }, query: { year: Number(year) } },
            }),
          )
      : null,
    `${etownCode}|${year}`,
  );
  if (loaded.notFound) return <NotFoundState what="设施" backTo="/projects/facilities" />;
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  const facility = loaded.data;
  if (!facility) return <LoadingState />;
  const indicatorOf = (no: number) => scorecard.data?.indicators.find((indicator) => indicator.no === no);

  const removePhoto = async (photoId: string, fileName: string) => {
    try {
      loaded.setData(
        await unwrap(
          apiClient.DELETE('/api/facilities/{id}/photos/{photoId}', { params: { path: { id, photoId } } }),
        ),
      );
      message.success(`已删除照片「${fileName}」`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };

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
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="facility-edit">
                修改
              </Button>
              <FacilityDeleteButton facility={facility} onDeleted={() => navigate('/projects/facilities')} />
            </>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={8}>
          <Card title="设施信息" data-testid="facility-info">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="所在e镇">{facility.etownName}</Descriptions.Item>
              <Descriptions.Item label="类型">{facilityKindLabels[facility.kind]}</Descriptions.Item>
              <Descriptions.Item label="建筑面积">
                <span data-testid="facility-info-area">
                  {squareMetres(parseDecimal(facility.buildingAreaM2) as Rational)}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="功能分区">{featureNames(facility.features) || '—'}</Descriptions.Item>
              <Descriptions.Item label="投入使用">
                <span data-testid="facility-info-opened">{formatDate(facility.openedOn)}</span>
              </Descriptions.Item>
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
        <Col xs={24} xl={16}>
          <Card
            title="对照规划建设标准"
            data-testid="facility-plan-checks"
            extra={
              scorecard.data && (
                <Link to={`/etowns/${facility.etownCode}/scorecard?year=${year}`}>查看本镇指标看板</Link>
              )
            }
          >
            {facility.planChecks.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该类设施没有对应的约束性指标" />
            ) : (
              <Flex vertical gap={24}>
                {facility.planChecks.map((check) => (
                  <PlanCheckBlock
                    key={check.indicatorNo}
                    facility={facility}
                    check={check}
                    indicator={indicatorOf(check.indicatorNo)}
                  />
                ))}
                <Typography.Text type="secondary">
                  {`计分口径：本镇同类设施中任一处符合，即满足该项设施要求（${year} 年度）。`}
                </Typography.Text>
              </Flex>
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={`设施照片（${facility.photos.length}）`}
            data-testid="facility-photos"
            extra={
              writable && (
                <Upload
                  accept="image/jpeg,image/png,image/webp"
                  showUploadList={false}
                  multiple
                  beforeUpload={(file) => {
                    setUploads((count) => count + 1);
                    apiClient
                      .POST('/api/facilities/{id}/photos', {
                        params: { path: { id }, query: { fileName: file.name } },
                        ...fileBody(file),
                      })
                      .then(() => {
                        message.success(`已上传照片「${file.name}」`);
                        // Several uploads may finish out of order; the last reload shows them all.
                        return loaded.reload();
                      })
                      .catch((failure) => message.error(errorMessage(failure)))
                      .finally(() => setUploads((count) => count - 1));
                    return false;
                  }}
                >
                  <Button
                    size="small"
                    icon={<UploadOutlined />}
                    loading={uploads > 0}
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
                <Flex wrap gap={16}>
                  {facility.photos.map((photo) => (
                    <Flex vertical gap={4} key={photo.id} style={{ width: 160 }} data-testid="facility-photo">
                      <Image
                        src={`/api/facilities/${id}/photos/${photo.id}`}
                        width={160}
                        height={120}
                        style={{ objectFit: 'cover', borderRadius: 6 }}
                        alt={photo.fileName}
                      />
                      <Flex justify="space-between" align="center" gap={4}>
                        <Typography.Text ellipsis={{ tooltip: photo.fileName }} style={{ minWidth: 0 }}>
                          {photo.fileName}
                        </Typography.Text>
                        {writable && (
                          <Popconfirm
                            title={`删除照片「${photo.fileName}」？`}
                            okText="删除"
                            cancelText="取消"
                            okButtonProps={
                              { danger: true, 'data-testid': 'facility-photo-delete-confirm' } as ButtonProps
                            }
                            onConfirm={() => removePhoto(photo.id, photo.fileName)}
                          >
                            <Button
                              type="text"
                              size="small"
                              danger
                              icon={<DeleteOutlined />}
                              aria-label={`删除照片${photo.fileName}`}
                              data-testid="facility-photo-delete"
                            />
                          </Popconfirm>
                        )}
                      </Flex>
                    </Flex>
                  ))}
                </Flex>
              </Image.PreviewGroup>
            )}
          </Card>
        </Col>
      </Row>
      <FacilityFormModal
        facility={facility}
        open={editing}
        onClose={() => {
          setEditing(false);
          if (stale.current) {
            stale.current = false;
            void loaded.reload();
          }
        }}
        onStale={() => {
          stale.current = true;
        }}
        onSaved={(next) => {
          loaded.setData(next);
          void scorecard.reload();
          message.success('已保存');
        }}
      />
    </>
  );
}
