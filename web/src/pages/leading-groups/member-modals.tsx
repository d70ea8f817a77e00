import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { GroupDetail, GroupMember, GroupUnit, MemberPosition } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import { positionLabels, positionOrder } from '../../labels.ts';
import { dayjs, todayInShanghai } from '../../time.ts';

const textOrNull = (value: string | undefined) => value?.trim() || null;
const isoDate = (value: Dayjs) => value.format('YYYY-MM-DD');

/**
 * Shared shell: a form in a modal that posts and hands back the updated group. An edit of a version someone
 * replaced meanwhile (409) hands the group as it is now to `onStale`, and the modal stays open.
 */
function useSubmit(
  onSaved: (group: GroupDetail) => void,
  onClose: () => void,
  success: string,
  onStale?: (current: GroupDetail) => void,
) {
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const submit = async (request: () => Promise<GroupDetail>) => {
    setSaving(true);
    try {
      onSaved(await request());
      message.success(success);
      onClose();
    } catch (failure) {
      const stale = staleRecord(failure);
      if (stale?.current && onStale) {
        message.warning(STALE_RECORD_MESSAGE);
        onStale(stale.current as GroupDetail);
      } else message.error(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return { saving, submit };
}

type MemberModalProps = {
  groupId: string;
  member: GroupMember | null;
  onClose: () => void;
  onSaved: (group: GroupDetail) => void;
};

type ReplaceForm = { personName: string; title?: string; effectiveOn: Dayjs; note?: string };

export function ReplaceMemberModal({ groupId, member, onClose, onSaved }: MemberModalProps) {
  const [form] = Form.useForm<ReplaceForm>();
  const { saving, submit } = useSubmit(onSaved, onClose, '成员已更换');
  const save = async () => {
    if (!member) return;
    const values = await form.validateFields();
    await submit(() =>
      unwrap(
        apiClient.POST('/api/leading-groups/{id}/members/{memberId}/replace', {
          params: { path: { id: groupId, memberId: member.id } },
          body: {
            personName: values.personName.trim(),
            title: textOrNull(values.title),
            effectiveOn: isoDate(values.effectiveOn),
            note: textOrNull(values.note),
          },
        }),
      ),
    );
  };
  return (
    <Modal
      title="更换成员"
      open={member !== null}
      onCancel={onClose}
      onOk={() => void save()}
      okText="确认更换"
      confirmLoading={saving}
      destroyOnHidden
      data-testid="replace-member-modal"
    >
      {member && (
        <Typography.Paragraph>
          原{positionLabels[member.position]}：<strong>{member.personName}</strong>
          {member.title ? `（${member.title}）` : ''}
          {member.unitName ? ` · ${member.unitName}` : ''}
          。更换后原成员的任职截至生效日期，并保留在历史记录中。
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ effectiveOn: dayjs(todayInShanghai()), title: member?.title ?? '' }}
      >
        <Form.Item
          name="personName"
          label="接任人姓名"
          rules={[{ required: true, whitespace: true, message: '请填写接任人姓名' }]}
        >
          <Input maxLength={40} data-testid="replace-person" />
        </Form.Item>
        <Form.Item name="title" label="职务">
          <Input maxLength={100} placeholder="如：县委副书记、县长" />
        </Form.Item>
        <Form.Item
          name="effectiveOn"
          label="生效日期"
          rules={[{ required: true, message: '请选择生效日期' }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} placeholder="如：因工作调动，依据县委文件调整" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type EndForm = { effectiveOn: Dayjs; note?: string };

export function EndMemberModal({ groupId, member, onClose, onSaved }: MemberModalProps) {
  const [form] = Form.useForm<EndForm>();
  const { saving, submit } = useSubmit(onSaved, onClose, '已结束任职');
  const save = async () => {
    if (!member) return;
    const values = await form.validateFields();
    await submit(() =>
      unwrap(
        apiClient.POST('/api/leading-groups/{id}/members/{memberId}/end', {
          params: { path: { id: groupId, memberId: member.id } },
          body: { effectiveOn: isoDate(values.effectiveOn), note: textOrNull(values.note) },
        }),
      ),
    );
  };
  return (
    <Modal
      title="结束任职"
      open={member !== null}
      onCancel={onClose}
      onOk={() => void save()}
      okText="确认"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      destroyOnHidden
    >
      {member && (
        <Typography.Paragraph>
          {positionLabels[member.position]} <strong>{member.personName}</strong>{' '}
          将不再担任领导小组成员（保留在历史记录中）。
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ effectiveOn: dayjs(todayInShanghai()) }}
      >
        <Form.Item
          name="effectiveOn"
          label="结束日期"
          rules={[{ required: true, message: '请选择结束日期' }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label="原因或备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type AddForm = {
  position: MemberPosition;
  personName: string;
  title?: string;
  unitId?: string | null;
  since?: Dayjs | null;
  note?: string;
};

type AddMemberModalProps = {
  groupId: string;
  units: GroupUnit[];
  open: boolean;
  onClose: () => void;
  onSaved: (group: GroupDetail) => void;
};

export function AddMemberModal({ groupId, units, open, onClose, onSaved }: AddMemberModalProps) {
  const [form] = Form.useForm<AddForm>();
  const { saving, submit } = useSubmit(onSaved, onClose, '成员已添加');
  const save = async () => {
    const values = await form.validateFields();
    await submit(() =>
      unwrap(
        apiClient.POST('/api/leading-groups/{id}/members', {
          params: { path: { id: groupId } },
          body: {
            position: values.position,
            personName: values.personName.trim(),
            title: textOrNull(values.title),
            unitId: values.unitId ?? null,
            since: values.since ? isoDate(values.since) : null,
            note: textOrNull(values.note),
          },
        }),
      ),
    );
  };
  return (
    <Modal
      title="添加成员"
      open={open}
      onCancel={onClose}
      onOk={() => void save()}
      okText="添加"
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ position: 'member' }}>
        <Form.Item name="position" label="在小组中的职务" rules={[{ required: true, message: '请选择职务' }]}>
          <Select options={positionOrder.map((value) => ({ value, label: positionLabels[value] }))} />
        </Form.Item>
        <Form.Item
          name="personName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="title" label="本职职务">
          <Input maxLength={100} placeholder="如：县工科局局长" />
        </Form.Item>
        <Form.Item name="unitId" label="所在成员单位">
          <Select
            allowClear
            placeholder={units.length ? '选择成员单位' : '尚未添加成员单位'}
            options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
          />
        </Form.Item>
        <Form.Item name="since" label="任职日期">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type UnitForm = { name: string; duties?: string; sortOrder?: number | null };

type UnitModalProps = {
  groupId: string;
  /** The unit being edited; `'new'` adds one; null keeps the modal closed. */
  unit: GroupUnit | 'new' | null;
  onClose: () => void;
  onSaved: (group: GroupDetail) => void;
};

export function UnitModal({ groupId, unit, onClose, onSaved }: UnitModalProps) {
  const [form] = Form.useForm<UnitForm>();
  // After a 409: the unit as it is now, whose version the next save sends.
  const [reloaded, setReloaded] = useState<GroupUnit | null>(null);
  const opened = unit !== null && unit !== 'new' ? unit : null;
  const editing =
    reloaded && opened && reloaded.id === opened.id && reloaded.version > opened.version ? reloaded : opened;
  const { saving, submit } = useSubmit(
    onSaved,
    onClose,
    editing ? '成员单位职责已保存' : '成员单位已添加',
    (current) => {
      onSaved(current);
      const now = current.units.find((row) => row.id === opened?.id);
      if (!now) return onClose();
      setReloaded(now);
      form.setFieldsValue({ name: now.name, duties: now.duties ?? '', sortOrder: now.sortOrder });
    },
  );
  const save = async () => {
    const values = await form.validateFields();
    const body = {
      name: values.name.trim(),
      duties: textOrNull(values.duties),
      ...(values.sortOrder === null || values.sortOrder === undefined ? {} : { sortOrder: values.sortOrder }),
    };
    await submit(() =>
      editing
        ? unwrap(
            apiClient.PATCH('/api/leading-groups/{id}/units/{unitId}', {
              params: { path: { id: groupId, unitId: editing.id } },
              body: { ...body, version: editing.version },
            }),
          )
        : unwrap(
            apiClient.POST('/api/leading-groups/{id}/units', { params: { path: { id: groupId } }, body }),
          ),
    );
  };
  return (
    <Modal
      title={editing ? `编辑成员单位：${editing.name}` : '添加成员单位'}
      open={unit !== null}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      confirmLoading={saving}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          editing
            ? { name: editing.name, duties: editing.duties ?? '', sortOrder: editing.sortOrder }
            : undefined
        }
      >
        <Form.Item
          name="name"
          label="单位名称"
          rules={[
            { required: true, whitespace: true, message: '请填写成员单位名称' },
            { min: 2, message: '单位名称至少 2 个字' },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="duties" label="职责">
          <Input.TextArea rows={6} maxLength={4000} showCount data-testid="unit-duties" />
        </Form.Item>
        <Form.Item name="sortOrder" label="排序号" extra="数字越小越靠前">
          <InputNumber min={0} max={10000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
