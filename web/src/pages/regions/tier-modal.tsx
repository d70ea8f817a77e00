import { App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CountyTier, RegionDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { tierLabels } from '../../labels.ts';

type TierModalProps = {
  county: RegionDetail;
  open: boolean;
  onClose: () => void;
  onSaved: (detail: RegionDetail) => void;
};

export function TierModal({ county, open, onClose, onSaved }: TierModalProps) {
  const [form] = Form.useForm<{ tier: CountyTier; reason: string }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const detail = await unwrap(
        apiClient.PUT('/api/regions/{code}/tier', {
          params: { path: { code: county.code } },
          body: { ...values, version: county.version },
        }),
      );
      message.success('县分类已调整');
      onSaved(detail);
      onClose();
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale?.current) {
        // Someone changed the county meanwhile: show its tier as it is now; the reason typed stays.
        message.warning(STALE_RECORD_MESSAGE);
        const current = stale.current as RegionDetail;
        onSaved(current);
        form.setFieldsValue({ tier: current.tier ?? undefined });
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={`调整县分类：${county.name}`}
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
      okText="保存"
      okButtonProps={{ 'data-testid': 'tier-save' } as Record<string, string>}
      destroyOnHidden
      data-testid="tier-modal"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ tier: county.tier ?? undefined, reason: '' }}
        preserve={false}
      >
        <Form.Item name="tier" label="县分类" rules={[{ required: true, message: '请选择县分类' }]}>
          <Select
            options={Object.entries(tierLabels).map(([value, label]) => ({ value, label }))}
            placeholder="选择分类"
            data-testid="tier-select"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="调整原因"
          rules={[{ required: true, whitespace: true, message: '请填写调整原因' }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="如：依据省商务厅文件调整" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
