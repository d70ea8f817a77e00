import { App, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { GroupDetail, RegionNode } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { RegionTreeSelect } from '../../components/region-tree-select.tsx';
import { dayjs } from '../../time.ts';

type GroupForm = {
  regionCode?: string;
  name: string;
  docNo?: string;
  establishedOn?: Dayjs | null;
  responsibilities?: string;
  officeLocation?: string;
  memberChangeRule?: string;
};

type GroupFormModalProps = {
  open: boolean;
  onClose: () => void;
  onSaved: (group: GroupDetail) => void;
  /** Editing an existing group; otherwise a new one is created. */
  group?: GroupDetail;
  roots?: RegionNode[];
  defaultRegionCode?: string | null;
};

const textOrNull = (value: string | undefined) => value?.trim() || null;

export function GroupFormModal({
  open,
  onClose,
  onSaved,
  group,
  roots = [],
  defaultRegionCode,
}: GroupFormModalProps) {
  const [form] = Form.useForm<GroupForm>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(
      group
        ? {
            name: group.name,
            docNo: group.docNo ?? '',
            establishedOn: group.establishedOn ? dayjs(group.establishedOn) : null,
            responsibilities: group.responsibilities ?? '',
            officeLocation: group.officeLocation ?? '',
            memberChangeRule: group.memberChangeRule ?? '',
          }
        : { regionCode: defaultRegionCode ?? undefined },
    );
  }, [open, group, defaultRegionCode, form]);

  const save = async () => {
    const values = await form.validateFields();
    const body = {
      name: values.name.trim(),
      docNo: textOrNull(values.docNo),
      establishedOn: values.establishedOn ? values.establishedOn.format('YYYY-MM-DD') : null,
      responsibilities: textOrNull(values.responsibilities),
      officeLocation: textOrNull(values.officeLocation),
      memberChangeRule: textOrNull(values.memberChangeRule),
    };
    setSaving(true);
    try {
      const saved = group
        ? await unwrap(
            apiClient.PATCH('/api/leading-groups/{id}', {
              params: { path: { id: group.id } },
              body: { ...body, version: group.version },
            }),
          )
        : // The region is a required field when a group is created.
          await unwrap(
            apiClient.POST('/api/leading-groups', { body: { ...body, regionCode: values.regionCode ?? '' } }),
          );
      message.success(group ? '领导小组信息已保存' : '领导小组已建立');
      onSaved(saved);
      onClose();
    } catch (failure) {
      const stale = staleRecord(failure);
      if (group && stale?.current) {
        // The group as it is now replaces the one edited; the form shows its values (effect above).
        message.warning(STALE_RECORD_MESSAGE);
        onSaved(stale.current as GroupDetail);
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={group ? '编辑领导小组' : '新建领导小组'}
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      confirmLoading={saving}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        {!group && (
          <Form.Item
            name="regionCode"
            label="所属区划"
            rules={[{ required: true, message: '请选择所属区划' }]}
          >
            <RegionTreeSelect roots={roots} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label="名称"
          rules={[
            { required: true, whitespace: true, message: '请填写领导小组名称' },
            { min: 2, message: '名称至少 2 个字' },
          ]}
        >
          <Input maxLength={100} placeholder="如：垣曲县乡村e镇建设工作领导小组" />
        </Form.Item>
        <Form.Item name="docNo" label="成立文号">
          <Input maxLength={60} placeholder="如：垣政办发〔2024〕12号" />
        </Form.Item>
        <Form.Item name="establishedOn" label="成立日期">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="responsibilities" label="主要职责">
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="officeLocation" label="办公室设在">
          <Input maxLength={200} placeholder="如：县工科局" />
        </Form.Item>
        <Form.Item name="memberChangeRule" label="成员调整规则">
          <Input.TextArea
            rows={2}
            maxLength={1000}
            placeholder="如：成员因工作变动需要调整的，由接任者自然递补"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
