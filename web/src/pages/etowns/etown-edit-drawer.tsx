import {
  App,
  Button,
  DatePicker,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EtownDetail, Phase, PhaseKey } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { staleRecord } from '../../components/form-modal.tsx';
import { phaseLabels, phaseOrder } from '../../labels.ts';
import { dayjs } from '../../time.ts';

type EditForm = {
  name: string;
  villages: string[];
  boundaryEast?: string;
  boundaryWest?: string;
  boundarySouth?: string;
  boundaryNorth?: string;
  landAreaKm2?: number | null;
  buildingAreaM2?: number | null;
  leadingIndustries: string[];
  operatingEntity?: string;
  phases: Partial<Record<PhaseKey, [Dayjs | null, Dayjs | null] | null>>;
};

function toForm(etown: EtownDetail): EditForm {
  const phases: EditForm['phases'] = {};
  for (const phase of etown.phases) phases[phase.phase] = [dayjs(phase.startOn), dayjs(phase.endOn)];
  return {
    name: etown.name,
    villages: etown.villages,
    boundaryEast: etown.boundaryEast ?? '',
    boundaryWest: etown.boundaryWest ?? '',
    boundarySouth: etown.boundarySouth ?? '',
    boundaryNorth: etown.boundaryNorth ?? '',
    landAreaKm2: etown.landAreaKm2 === null ? null : Number(etown.landAreaKm2),
    buildingAreaM2: etown.buildingAreaM2 === null ? null : Number(etown.buildingAreaM2),
    leadingIndustries: etown.leadingIndustries,
    operatingEntity: etown.operatingEntity ?? '',
    phases,
  };
}

const textOrNull = (value: string | undefined) => value?.trim() || null;
const numberOrNull = (value: number | null | undefined) =>
  value === null || value === undefined ? null : String(value);

type EtownEditDrawerProps = {
  etown: EtownDetail;
  open: boolean;
  onClose: () => void;
  onSaved: (etown: EtownDetail) => void;
  onConflict: () => void;
};

export function EtownEditDrawer({ etown, open, onClose, onSaved, onConflict }: EtownEditDrawerProps) {
  const [form] = Form.useForm<EditForm>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();

  useEffect(() => {
    if (open) form.setFieldsValue(toForm(etown));
  }, [open, etown, form]);

  const save = async () => {
    const values = await form.validateFields();
    const phases: Phase[] = [];
    for (const key of phaseOrder) {
      const range = values.phases?.[key];
      if (range?.[0] && range[1]) {
        phases.push({
          phase: key,
          startOn: range[0].format('YYYY-MM-DD'),
          endOn: range[1].format('YYYY-MM-DD'),
        });
      }
    }
    setSaving(true);
    try {
      const body = {
        version: etown.version,
        name: values.name.trim(),
        villages: values.villages ?? [],
        boundaryEast: textOrNull(values.boundaryEast),
        boundaryWest: textOrNull(values.boundaryWest),
        boundarySouth: textOrNull(values.boundarySouth),
        boundaryNorth: textOrNull(values.boundaryNorth),
        landAreaKm2: numberOrNull(values.landAreaKm2),
        buildingAreaM2: numberOrNull(values.buildingAreaM2),
        leadingIndustries: values.leadingIndustries ?? [],
        operatingEntity: textOrNull(values.operatingEntity),
        phases,
      };
      const saved = await unwrap(
        apiClient.PATCH('/api/etowns/{code}', { params: { path: { code: etown.code } }, body }),
      );
      message.success('e镇档案已保存');
      onSaved(saved);
      onClose();
    } catch (failure) {
      if (staleRecord(failure)) onConflict();
      else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      title={`编辑e镇档案：${etown.name}`}
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      data-testid="etown-edit-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="etown-edit-save">
            保存
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="name"
          label="e镇名称"
          rules={[
            { required: true, whitespace: true, message: '请填写e镇名称' },
            { min: 2, message: 'e镇名称至少 2 个字' },
          ]}
        >
          <Input maxLength={60} data-testid="etown-edit-name" />
        </Form.Item>
        <Form.Item name="villages" label="涉及村庄">
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder="输入村名后回车" />
        </Form.Item>
        <Form.Item
          name="leadingIndustries"
          label="主导产业"
          extra="一般为 1–3 个"
          rules={[{ type: 'array', max: 10, message: '主导产业最多 10 个' }]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder="输入产业后回车" />
        </Form.Item>
        <Form.Item name="operatingEntity" label="运营主体">
          <Input maxLength={200} />
        </Form.Item>
        <Divider titlePlacement="start">四至范围</Divider>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 12 }}>
          <Form.Item name="boundaryEast" label="东至">
            <Input maxLength={100} data-testid="etown-edit-east" />
          </Form.Item>
          <Form.Item name="boundaryWest" label="西至">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="boundarySouth" label="南至">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="boundaryNorth" label="北至">
            <Input maxLength={100} />
          </Form.Item>
        </div>
        <Divider titlePlacement="start">面积</Divider>
        <Space size={16} wrap>
          <Form.Item name="landAreaKm2" label="核心区面积（平方公里，申报）">
            <InputNumber min={0} precision={4} step={0.01} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="buildingAreaM2" label="建筑面积（平方米）">
            <InputNumber min={0} precision={2} step={100} style={{ width: 240 }} />
          </Form.Item>
        </Space>
        <Divider titlePlacement="start">建设阶段</Divider>
        <Typography.Paragraph type="secondary">未填写的阶段不保存。</Typography.Paragraph>
        {phaseOrder.map((key) => (
          <Form.Item key={key} name={['phases', key]} label={phaseLabels[key]}>
            <DatePicker.RangePicker style={{ width: '100%' }} allowEmpty={[true, true]} />
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  );
}
