import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../api/client.ts';
import { errorMessage } from '../api.ts';
import { useSession } from '../session.tsx';

/** Turning the second factor off needs a current code, so a stolen session alone cannot do it. */
export function DisableTotpModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ code: string }>();
  const [saving, setSaving] = useState(false);
  const { setMe } = useSession();
  const { message } = App.useApp();

  const save = async () => {
    const { code } = await form.validateFields();
    setSaving(true);
    try {
      setMe(await unwrap(apiClient.POST('/api/auth/totp/disable', { body: { code: code.trim() } })));
      message.success('已关闭动态口令');
      onClose();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title="关闭动态口令"
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      okText="关闭动态口令"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="code"
          label="请输入验证器中当前的 6 位动态口令"
          rules={[
            { required: true, message: '请输入动态口令' },
            { pattern: /^\d{6}$/, message: '动态口令为 6 位数字' },
          ]}
        >
          <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
