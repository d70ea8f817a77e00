import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Col,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { Facility, FacilityFeature, FacilityKind } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal, staleRecord } from '../../components/form-modal.tsx';
import { dayjs } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { planHint } from './facility-plan-check.tsx';
import { day, useEtownOptions } from './project-list-page.tsx';
import { facilityFeatureLabels, facilityKindLabels, optionsOf } from './project-types.ts';

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

/**
 * The projects a facility may belong to: those of its e-town, read when one is chosen (the list is paged; an
 * e-town's projects fit in the largest page).
 */
function useEtownProjects(etownCode: string | undefined) {
  const projects = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/projects', { params: { query: { regionCode: etownCode, pageSize: 200 } } }),
          )
      : null,
    `${etownCode}`,
  );
  return (projects.data?.items ?? []).map((project) => ({
    value: project.id,
    label: `${project.name}（${project.etownName}）`,
  }));
}

/** Kind, area and zones, with what the plan asks of the chosen kind under the fields. */
function FacilityFields({ etownCode }: { etownCode?: string }) {
  const kind = Form.useWatch<FacilityKind | undefined>('kind');
  const chosenEtown = Form.useWatch<string | undefined>('etownCode') ?? etownCode;
  const projectOptions = useEtownProjects(chosenEtown);
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

export function FacilityFormModal({
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
  const etownOptions = useEtownOptions(open && !facility);
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
          if (staleRecord(failure)) onStale?.();
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
      <FacilityFields etownCode={facility?.etownCode} />
    </FormModal>
  );
}

export function FacilityDeleteButton({
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
