import { AutoComplete, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type dayjs from 'dayjs';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CreateTalentPersonBody, TalentPerson, TalentRole } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { dayjs as day } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';

export const talentRoleLabels: Record<TalentRole, string> = {
  expert: '聘用专家',
  business_leader: '商业带头人',
  influencer: '本地网红',
};

const platforms = ['抖音', '快手', '视频号', '淘宝直播', '小红书', '拼多多', '京东'];

type FormValues = Omit<CreateTalentPersonBody, 'engagedFrom' | 'engagedTo'> & {
  engagedFrom?: dayjs.Dayjs | null;
  engagedTo?: dayjs.Dayjs | null;
};

/** The e-town's registered entities, for a business leader's entity. */
function EntitySelect({
  etownCode,
  value,
  onChange,
}: {
  etownCode?: string;
  value?: string;
  onChange?: (value: string) => void;
}) {
  const found = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: { query: { regionCode: etownCode, status: 'active', pageSize: 200 } },
            }),
          )
      : null,
    etownCode,
  );
  return (
    <Select
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      loading={found.loading}
      placeholder="选择本e镇登记在册的市场主体"
      options={(found.data?.items ?? []).map((entity) => ({ value: entity.id, label: entity.name }))}
    />
  );
}

function RoleFields({ role, etownCode }: { role?: TalentRole; etownCode?: string }) {
  if (role === 'expert')
    return (
      <>
        <Form.Item name="expertise" label="专业领域" rules={[{ required: true, message: '请填写专业领域' }]}>
          <Input maxLength={100} placeholder="如 农产品直播电商运营" />
        </Form.Item>
        <Form.Item name="employer" label="工作单位">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="engagedFrom"
          label="聘用起始"
          rules={[{ required: true, message: '请选择聘用起始日期' }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="engagedTo" label="聘用截止">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </>
    );
  if (role === 'business_leader')
    return (
      <>
        <Form.Item
          name="entityId"
          label="带领的市场主体"
          rules={[{ required: true, message: '请选择市场主体' }]}
        >
          <EntitySelect etownCode={etownCode} />
        </Form.Item>
        <Form.Item name="leads" label="带领内容" rules={[{ required: true, message: '请填写带领内容' }]}>
          <Input maxLength={200} placeholder="如 带动周边农户线上销售食用菌" />
        </Form.Item>
      </>
    );
  return (
    <>
      <Form.Item name="platform" label="平台" rules={[{ required: true, message: '请选择或填写平台' }]}>
        <AutoComplete
          options={platforms.map((value) => ({ value }))}
          maxLength={30}
          data-testid="talent-platform"
        />
      </Form.Item>
      <Form.Item name="account" label="账号名称" rules={[{ required: true, message: '请填写账号名称' }]}>
        <Input maxLength={100} data-testid="talent-account" />
      </Form.Item>
      <Form.Item name="followers" label="粉丝数" rules={[{ required: true, message: '请填写粉丝数' }]}>
        <InputNumber min={0} precision={0} style={{ width: 200 }} data-testid="talent-followers" />
      </Form.Item>
      <Form.Item name="monthlySalesYuan" label="月销售额（元）">
        <Input maxLength={16} placeholder="如 128000.50" data-testid="talent-sales" />
      </Form.Item>
      <Form.Item name="salesMonth" label="销售月份">
        <Input maxLength={7} placeholder="YYYY-MM" data-testid="talent-sales-month" />
      </Form.Item>
    </>
  );
}

const toDate = (value?: string | null) => (value ? day(value) : null);

/** Create (target 'new') or edit a platform-entered person; the role is fixed once created. */
export function TalentPersonFormModal({
  target,
  etownOptions,
  onClose,
  onSaved,
  onStale,
}: {
  target: TalentPerson | 'new' | null;
  etownOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
  onStale: (current: unknown) => void;
}) {
  const editing = target && target !== 'new' ? target : null;
  const submit = async (values: FormValues) => {
    const { etownCode, role, ...fields } = values;
    const body = {
      ...fields,
      followers: fields.followers ?? null,
      monthlySalesYuan: fields.monthlySalesYuan || null,
      salesMonth: fields.salesMonth || null,
      engagedFrom: values.engagedFrom ? values.engagedFrom.format('YYYY-MM-DD') : null,
      engagedTo: values.engagedTo ? values.engagedTo.format('YYYY-MM-DD') : null,
    };
    if (editing)
      await unwrap(
        apiClient.PATCH('/api/talent-people/{id}', {
          params: { path: { id: editing.id } },
          body: { ...body, version: editing.version },
        }),
      );
    else await unwrap(apiClient.POST('/api/talent-people', { body: { ...body, etownCode, role } }));
    onSaved();
  };
  return (
    <FormModal<FormValues>
      title={editing ? `修改${talentRoleLabels[editing.role]}` : '登记专家、带头人或网红'}
      open={target !== null}
      onClose={onClose}
      onSubmit={submit}
      onStale={onStale}
      testId="talent-person-form"
      fieldNames={[
        'etownCode',
        'role',
        'name',
        'expertise',
        'employer',
        'engagedFrom',
        'engagedTo',
        'entityId',
        'leads',
        'platform',
        'account',
        'followers',
        'monthlySalesYuan',
        'salesMonth',
      ]}
      initialValues={
        editing
          ? {
              ...editing,
              engagedFrom: toDate(editing.engagedFrom),
              engagedTo: toDate(editing.engagedTo),
            }
          : { etownCode: etownOptions[0]?.value, role: 'expert' }
      }
    >
      <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择e镇' }]}>
        <Select options={etownOptions} disabled={Boolean(editing)} />
      </Form.Item>
      <Form.Item name="role" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select
          disabled={Boolean(editing)}
          data-testid="talent-role"
          options={Object.entries(talentRoleLabels).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label="姓名"
        rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
      >
        <Input maxLength={50} data-testid="talent-name" />
      </Form.Item>
      <Form.Item
        noStyle
        shouldUpdate={(before, after) => before.role !== after.role || before.etownCode !== after.etownCode}
      >
        {({ getFieldValue }) => (
          <RoleFields role={getFieldValue('role')} etownCode={getFieldValue('etownCode')} />
        )}
      </Form.Item>
    </FormModal>
  );
}
