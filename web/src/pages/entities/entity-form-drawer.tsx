import { Alert, App, Button, DatePicker, Divider, Drawer, Form, Input, Radio, Select, Space } from 'antd';
import type { FormInstance } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import { useLayoutEffect, useState } from 'react';
import { creditCodeDivisionProblem, SAMPLE_CREDIT_CODE } from '../../../../src/lib/credit-code.ts';
import { apiClient, unwrap } from '../../api/client.ts';
import type { EntityDetail, EntityTag, EntityType, EtownSummary } from '../../api/types.ts';
import { ApiError, errorMessage } from '../../api.ts';
import { dayjs, todayInShanghai } from '../../time.ts';
import { entityTagLabels, entityTypeLabels, formFieldOf } from './entity-types.ts';

export type EntityFormValues = {
  etownCode?: string;
  creditCode: string;
  name: string;
  entityType: EntityType;
  legalEntity: boolean;
  registeredOn?: Dayjs | null;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  tags?: EntityTag[];
  tagReason?: string;
  tagDate?: Dayjs | null;
};

/** Shows the server's per-field problems (`details: [{ path, message }]`) on the form's own fields. */
export function showFieldErrors<T>(form: FormInstance<T>, failure: unknown, known: string[]): boolean {
  if (!(failure instanceof ApiError) || !Array.isArray(failure.details)) return false;
  const fields = (failure.details as { path?: string; message?: string }[])
    .filter((detail) => detail.path && detail.message)
    .map((detail) => ({ name: formFieldOf(detail.path as string), errors: [detail.message as string] }))
    .filter((field) => known.includes(field.name[0] as string));
  if (fields.length === 0) return false;
  form.setFields(fields as Parameters<FormInstance<T>['setFields']>[0]);
  return true;
}

export const entityFieldNames = [
  'etownCode',
  'creditCode',
  'name',
  'entityType',
  'legalEntity',
  'registeredOn',
  'address',
  'contactName',
  'contactPhone',
];

const creditCodePattern = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The entity fields shared by the county's registration and the enterprise's entry application. */
export function EntityFields({ editing = false }: { editing?: boolean }) {
  return (
    <>
      <Form.Item
        name="creditCode"
        label="统一社会信用代码"
        normalize={(value: string) => value?.toUpperCase().trim()}
        rules={[
          { required: true, message: '请填写统一社会信用代码' },
          { pattern: creditCodePattern, message: '须为 18 位数字或大写字母（不含 I、O、Z、S、V）' },
          {
            validator: async (_rule, value?: string) => {
              const problem =
                value && creditCodePattern.test(value) ? creditCodeDivisionProblem(value) : null;
              if (problem) throw new Error(problem);
            },
          },
        ]}
        extra="按 GB 32100 校验：第 3—8 位为登记管理机关行政区划码，第 18 位为校验码"
      >
        <Input maxLength={18} placeholder={`例如 ${SAMPLE_CREDIT_CODE}`} data-testid="entity-credit-code" />
      </Form.Item>
      <Form.Item
        name="name"
        label="主体名称"
        rules={[{ required: true, whitespace: true, message: '请填写主体名称' }]}
      >
        <Input maxLength={100} data-testid="entity-name" />
      </Form.Item>
      <Space size={16} wrap align="start">
        <Form.Item name="entityType" label="主体类型" rules={[{ required: true, message: '请选择主体类型' }]}>
          <Select
            style={{ width: 200 }}
            data-testid="entity-type"
            options={Object.entries(entityTypeLabels).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="legalEntity" label="是否法人主体" rules={[{ required: true, message: '请选择' }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: '法人' },
              { value: false, label: '非法人' },
            ]}
          />
        </Form.Item>
        <Form.Item name="registeredOn" label="注册日期">
          <DatePicker style={{ width: 180 }} disabledDate={(day) => day.isAfter(dayjs())} />
        </Form.Item>
      </Space>
      <Form.Item name="address" label="地址">
        <Input maxLength={200} />
      </Form.Item>
      <Space size={16} wrap align="start">
        <Form.Item name="contactName" label="联系人">
          <Input maxLength={40} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label="联系电话"
          extra={editing ? '加密保存；留空表示不修改' : '加密保存，列表中脱敏显示'}
          rules={[
            {
              pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
              message: '须为 11 位手机号或带区号的固定电话',
            },
          ]}
        >
          <Input maxLength={20} style={{ width: 240 }} data-testid="entity-phone" />
        </Form.Item>
      </Space>
    </>
  );
}

const dateOrNull = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);
const textOrNull = (value: string | undefined) => value?.trim() || null;

export function entityBody(values: EntityFormValues) {
  return {
    creditCode: values.creditCode,
    name: values.name.trim(),
    entityType: values.entityType,
    legalEntity: values.legalEntity,
    registeredOn: dateOrNull(values.registeredOn),
    address: textOrNull(values.address),
    contactName: textOrNull(values.contactName),
    contactPhone: textOrNull(values.contactPhone),
  };
}

/** Tags chosen while registering; a reason and date are asked only once a tag is chosen. */
function NewEntityTagFields({ chosenTags }: { chosenTags: EntityTag[] }) {
  return (
    <>
      <Divider titlePlacement="start">标签（可选）</Divider>
      <Form.Item name="tags" label="标签">
        <Select
          mode="multiple"
          data-testid="entity-tags"
          placeholder="选择标签"
          options={Object.entries(entityTagLabels).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      {chosenTags.length > 0 && (
        <Space size={16} wrap align="start">
          <Form.Item
            name="tagReason"
            label="认定理由"
            rules={[{ required: true, whitespace: true, message: '请填写标签的认定理由' }]}
          >
            <Input maxLength={200} style={{ width: 320 }} data-testid="entity-tag-reason" />
          </Form.Item>
          <Form.Item name="tagDate" label="认定日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: 180 }} />
          </Form.Item>
        </Space>
      )}
    </>
  );
}

type EntityFormDrawerProps = {
  open: boolean;
  onClose: () => void;
  onSaved: (entity: EntityDetail) => void;
  /** Editing this entity; otherwise registering a new one in one of these e-towns. */
  entity?: EntityDetail;
  etowns?: EtownSummary[];
  defaultEtownCode?: string;
};

export function EntityFormDrawer({
  open,
  onClose,
  onSaved,
  entity,
  etowns = [],
  defaultEtownCode,
}: EntityFormDrawerProps) {
  const [form] = Form.useForm<EntityFormValues>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const { message } = App.useApp();
  const chosenTags = Form.useWatch('tags', form) ?? [];

  // Before the opened drawer is painted (a layout effect), so nothing typed into it is reset.
  useLayoutEffect(() => {
    if (!open) return;
    setConflict(false);
    form.resetFields();
    if (entity) {
      form.setFieldsValue({
        creditCode: entity.creditCode,
        name: entity.name,
        entityType: entity.entityType,
        legalEntity: entity.legalEntity,
        registeredOn: entity.registeredOn ? dayjs(entity.registeredOn) : null,
        address: entity.address ?? '',
        contactName: entity.contactName ?? '',
      });
    } else {
      form.setFieldsValue({
        etownCode: defaultEtownCode ?? (etowns.length === 1 ? etowns[0]?.code : undefined),
        entityType: 'enterprise',
        legalEntity: true,
        tagDate: dayjs(todayInShanghai()),
      });
    }
  }, [open, entity, etowns, defaultEtownCode, form]);

  const save = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      let saved: EntityDetail;
      if (entity) {
        const { contactPhone, ...fields } = entityBody(values);
        // A blank phone keeps the stored one: the form never shows more than its masked form.
        const body = { version: entity.version, ...fields, ...(contactPhone ? { contactPhone } : {}) };
        saved = await unwrap(
          apiClient.PATCH('/api/entities/{id}', { params: { path: { id: entity.id } }, body }),
        );
        message.success('市场主体已保存');
      } else {
        const tags = (values.tags ?? []).map((tag) => ({
          tag,
          reason: values.tagReason?.trim() ?? '',
          effectiveOn: dateOrNull(values.tagDate) ?? todayInShanghai(),
        }));
        const body = {
          etownCode: values.etownCode ?? '',
          ...entityBody(values),
          ...(tags.length ? { tags } : {}),
        };
        saved = await unwrap(apiClient.POST('/api/entities', { body }));
        message.success(`已登记 ${saved.name}`);
      }
      onSaved(saved);
      onClose();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'stale_version') setConflict(true);
      else if (!showFieldErrors(form, failure, [...entityFieldNames, 'tags']))
        message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      title={entity ? `编辑市场主体：${entity.name}` : '登记市场主体'}
      open={open}
      onClose={onClose}
      size={620}
      destroyOnHidden
      data-testid="entity-form-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="entity-form-save">
            {entity ? '保存' : '登记'}
          </Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="该市场主体已被他人修改"
          description="请关闭后刷新页面，再重新编辑。"
        />
      )}
      <Form form={form} layout="vertical" preserve={false}>
        {!entity && (
          <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择所在e镇' }]}>
            <Select
              data-testid="entity-etown"
              placeholder="选择e镇"
              options={etowns.map((etown) => ({
                value: etown.code,
                label: `${etown.name}（${etown.countyName}）`,
              }))}
            />
          </Form.Item>
        )}
        <EntityFields editing={Boolean(entity)} />
        {!entity && <NewEntityTagFields chosenTags={chosenTags} />}
      </Form>
    </Drawer>
  );
}
