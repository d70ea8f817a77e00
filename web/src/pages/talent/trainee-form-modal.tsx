import { Form, Input, InputNumber, Select } from 'antd';
import { apiClient, unwrap } from '../../api/client.ts';
import type { CreateTraineeBody, TraineeDetail } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { traineeCategoryLabels, traineeGenderLabels } from './trainee-labels.ts';

type TraineeFormValues = Omit<CreateTraineeBody, 'skills' | 'certificates'> & { skills?: string[] };

const fieldNames = [
  'etownCode',
  'villageName',
  'name',
  'gender',
  'birthYear',
  'idNumber',
  'phone',
  'category',
  'skills',
];

/** 建立学员档案: the ID number is checked by the server (GB 11643), which names the expected check digit. */
export function TraineeFormModal({
  open,
  onClose,
  etownOptions,
  defaultEtownCode,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  etownOptions: { value: string; label: string }[];
  defaultEtownCode?: string;
  onSaved: (trainee: TraineeDetail) => void;
}) {
  const submit = async (values: TraineeFormValues) => {
    const body: CreateTraineeBody = {
      ...values,
      villageName: values.villageName || null,
      phone: values.phone || null,
      birthYear: values.birthYear ?? null,
      skills: values.skills ?? [],
      certificates: [],
    };
    onSaved(await unwrap(apiClient.POST('/api/trainees', { body })));
  };
  return (
    <FormModal<TraineeFormValues>
      title="建立学员档案（一人一档）"
      open={open}
      onClose={onClose}
      onSubmit={submit}
      okText="建档"
      testId="trainee-form"
      fieldNames={fieldNames}
      initialValues={{ etownCode: defaultEtownCode ?? etownOptions[0]?.value, gender: 'female' }}
      width={560}
    >
      <Form.Item name="etownCode" label="所属e镇" rules={[{ required: true, message: '请选择所属e镇' }]}>
        <Select options={etownOptions} placeholder="选择e镇" />
      </Form.Item>
      <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
        <Input maxLength={50} data-testid="trainee-name" />
      </Form.Item>
      <Form.Item
        name="idNumber"
        label="身份证号"
        extra="加密保存，列表中仅显示前 2 位和后 2 位；同一身份证号只建一份档案"
        rules={[
          { required: true, message: '请填写身份证号' },
          { pattern: /^\d{17}[\dXx]$/, message: '身份证号须为 18 位：17 位数字加 1 位校验码（数字或 X）' },
        ]}
      >
        <Input maxLength={18} autoComplete="off" data-testid="trainee-id-number" />
      </Form.Item>
      <Form.Item name="gender" label="性别" rules={[{ required: true, message: '请选择性别' }]}>
        <Select options={Object.entries(traineeGenderLabels).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="birthYear" label="出生年份" extra="可不填，按身份证号自动取得">
        <InputNumber min={1900} max={2100} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="category" label="人员类别" rules={[{ required: true, message: '请选择人员类别' }]}>
        <Select
          options={Object.entries(traineeCategoryLabels).map(([value, label]) => ({ value, label }))}
          data-testid="trainee-category"
        />
      </Form.Item>
      <Form.Item name="villageName" label="所在村">
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="phone" label="手机号" extra="加密保存，脱敏显示">
        <Input maxLength={13} autoComplete="off" />
      </Form.Item>
      <Form.Item name="skills" label="技能">
        <Select mode="tags" placeholder="输入后回车，如 直播带货、短视频剪辑" tokenSeparators={['，', ',']} />
      </Form.Item>
    </FormModal>
  );
}
