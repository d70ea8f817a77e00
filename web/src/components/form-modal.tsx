import { App, type ButtonProps, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { errorMessage } from '../api.ts';
import { showFieldErrors } from '../pages/entities/entity-form-drawer.tsx';

/**
 * One small form in a modal: validates, submits, and closes on success. A failure of `onSubmit` stays
 * open and shows the server's per-field problems on the fields themselves, or its message; an `onSubmit`
 * that reports its own failure and answers `false` stays open too.
 */
export function FormModal<T extends object>({
  title,
  open,
  onClose,
  onSubmit,
  okText = '确定',
  danger = false,
  initialValues,
  children,
  testId,
  fieldNames = [],
  width,
}: {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  onSubmit: (values: T, form: FormInstance<T>) => Promise<unknown>;
  okText?: string;
  danger?: boolean;
  initialValues?: Partial<T>;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  testId: string;
  /** Fields that may receive the server's per-field problems. */
  fieldNames?: string[];
  width?: number;
}) {
  const [form] = Form.useForm<T>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  // One modal serves several records (edit this row, then that one): every opening starts from this
  // opening's initial values, not from what the form held before — a form reopened before its fields
  // were destroyed would otherwise keep the last record's values.
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      if ((await onSubmit(values, form)) !== false) onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure, fieldNames)) message.error('请按提示修改后再提交');
      else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={okText}
      okButtonProps={{ danger, loading: saving, 'data-testid': `${testId}-ok` } as ButtonProps}
      destroyOnHidden
      width={width}
      data-testid={testId}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initialValues as object}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
