import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EtownDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';

type CreateEtownForm = {
  name: string;
  villages?: string[];
  landAreaKm2?: number | null;
  leadingIndustries?: string[];
  operatingEntity?: string;
};

type CreateEtownModalProps = {
  countyCode: string;
  countyName: string;
  open: boolean;
  onClose: () => void;
  onCreated: (etown: EtownDetail) => void;
};

export function CreateEtownModal({
  countyCode,
  countyName,
  open,
  onClose,
  onCreated,
}: CreateEtownModalProps) {
  const [form] = Form.useForm<CreateEtownForm>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const body = {
        countyCode,
        name: values.name.trim(),
        villages: values.villages ?? [],
        landAreaKm2: values.landAreaKm2 == null ? null : String(values.landAreaKm2),
        leadingIndustries: values.leadingIndustries ?? [],
        operatingEntity: values.operatingEntity?.trim() || null,
      };
      const created = await unwrap(apiClient.POST('/api/etowns', { body }));
      message.success(`已新建 ${created.name}（${created.code}）`);
      onCreated(created);
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={`在${countyName}新建e镇`}
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      okText="新建"
      confirmLoading={saving}
      destroyOnHidden
      data-testid="create-etown-modal"
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="name"
          label="e镇名称"
          rules={[
            { required: true, whitespace: true, message: '请填写e镇名称' },
            { min: 2, message: 'e镇名称至少 2 个字' },
          ]}
          extra="编号由系统按“县代码-E序号”自动分配"
        >
          <Input maxLength={60} placeholder="如：皋陶乡村e镇" data-testid="create-etown-name" />
        </Form.Item>
        <Form.Item name="villages" label="涉及村庄">
          <Select mode="tags" placeholder="输入村名后回车" tokenSeparators={[',', '，', '、']} open={false} />
        </Form.Item>
        <Form.Item name="leadingIndustries" label="主导产业">
          <Select
            mode="tags"
            placeholder="输入产业后回车，1–3 个"
            tokenSeparators={[',', '，', '、']}
            open={false}
          />
        </Form.Item>
        <Form.Item name="landAreaKm2" label="核心区面积（平方公里）">
          <InputNumber min={0} step={0.01} precision={4} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="operatingEntity" label="运营主体">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
