import { App, type ButtonProps, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { inSubmission, newSubmissionId } from '../api/client.ts';
import { ApiError, errorMessage } from '../api.ts';
import { showFieldErrors } from '../pages/entities/entity-form-drawer.tsx';

export const STALE_RECORD_MESSAGE = '该记录已被他人修改，已载入最新内容';

/** The server refused an edit of an older version; `current` is the record as it is now. */
export function staleRecord(failure: unknown): { current: unknown } | null {
  if (!(failure instanceof ApiError)) return null;
  if (failure.code !== 'stale_version') return null;
  return { current: (failure.details as { current?: unknown } | undefined)?.current ?? null };
}

/**
 * One small form in a modal: validates, submits once, and closes on success. While it saves, OK is busy
 * and another OK or Enter does nothing; a press is one submission, whose POSTs carry idempotency keys kept
 * for a retry of the same values (a lost answer never creates twice). A failure of `onSubmit` stays open
 * and shows the server's per-field problems on the fields themselves, or its message; an `onSubmit` that
 * reports its own failure and answers `false` stays open too. An edit of a record someone changed meanwhile
 * (409) hands the current record to `onStale`, which loads it into the form.
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
  onStale,
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
  /** A 409 on an edit: the page shows `current` (the record as it is now) as the record being edited. */
  onStale?: (current: unknown) => void;
}) {
  const [form] = Form.useForm<T>();
  const [saving, setSaving] = useState(false);
  // Set synchronously, before validation: a second press in the same tick must not submit again.
  const busy = useRef(false);
  const submissionId = useRef(newSubmissionId());
  const reloaded = useRef(false);
  const { message } = App.useApp();
  // One modal serves several records (edit this row, then that one): every opening starts from this
  // opening's initial values, not from what the form held before — a form reopened before its fields
  // were destroyed would otherwise keep the last record's values. A layout effect: it runs before the
  // opened modal is painted, so nothing typed into a visible field is reset (a plain effect may run after
  // the paint, and on a busy machine wiped what was typed first — the form then refused as empty).
  useLayoutEffect(() => {
    if (open) {
      form.resetFields();
      submissionId.current = newSubmissionId();
    }
  }, [open, form]);
  // After a 409 the page hands in the current record's values: the form shows them.
  useEffect(() => {
    if (reloaded.current && initialValues) {
      reloaded.current = false;
      form.resetFields();
    }
  }, [initialValues, form]);
  const submit = async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const values = await form.validateFields();
      setSaving(true);
      if ((await inSubmission(submissionId.current, () => onSubmit(values, form))) !== false) {
        submissionId.current = newSubmissionId();
        onClose();
      }
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale && onStale) {
        message.warning(STALE_RECORD_MESSAGE);
        reloaded.current = true;
        submissionId.current = newSubmissionId();
        onStale(stale.current);
      } else if (showFieldErrors(form, failure, fieldNames)) message.error('请按提示修改后再提交');
      // A failed validation has shown its problems on the fields already.
      else if (!(failure && typeof failure === 'object' && 'errorFields' in failure)) {
        message.error(errorMessage(failure));
      }
    } finally {
      busy.current = false;
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
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues as object}
        // Other values are another submission: their POSTs get keys of their own.
        onValuesChange={() => {
          if (!busy.current) submissionId.current = newSubmissionId();
        }}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
