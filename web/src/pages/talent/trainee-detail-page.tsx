import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Timeline,
  Typography,
} from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router';
import { apiClient, unwrap } from '../../api/client.ts';
import type { AddFollowUpBody, TraineeDetail, TraineeFollowUp } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { OwnerEntitySelect } from '../projects/project-list-page.tsx';
import { followUpKindLabels, traineeGenderLabels } from './trainee-labels.ts';
import { TraineeCategoryTag } from './trainee-list-page.tsx';

const crumbs = [{ title: '人才培训' }, { title: '学员档案', to: '/trainees' }];

/** The masked ID number and phone; the county may reveal both, and each reveal is audited. */
function IdentityReveal({ trainee }: { trainee: TraineeDetail }) {
  const me = useMe();
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<{ idNumber: string; phone: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const reveal = async () => {
    setLoading(true);
    try {
      setRevealed(
        await unwrap(
          apiClient.POST('/api/trainees/{id}/identity/reveal', { params: { path: { id: trainee.id } } }),
        ),
      );
      message.info('已显示完整号码，本次查看已记入审计日志');
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space>
      <span data-testid="trainee-id-number">{revealed?.idNumber ?? trainee.idNumberMasked}</span>
      <Typography.Text type="secondary">
        {revealed ? (revealed.phone ?? '') : (trainee.phoneMasked ?? '')}
      </Typography.Text>
      {!revealed && can.revealTrainees(me.role) && (
        <Button
          size="small"
          type="link"
          icon={<EyeOutlined />}
          loading={loading}
          onClick={() => void reveal()}
          data-testid="trainee-reveal"
        >
          查看
        </Button>
      )}
    </Space>
  );
}

function followUpText(followUp: TraineeFollowUp): string {
  if (followUp.kind === 'employed') return `被“${followUp.entityName ?? '市场主体'}”录用`;
  if (followUp.kind === 'opened_shop') return `开设网店“${followUp.shopName ?? ''}”`;
  return `月收入变为 ${followUp.monthlyIncomeYuan ?? '—'} 元`;
}

type FollowUpFormValues = Omit<AddFollowUpBody, 'happenedOn'> & { happenedOn: dayjs.Dayjs };

function AddFollowUpModal({
  trainee,
  open,
  onClose,
  onSaved,
}: {
  trainee: TraineeDetail;
  open: boolean;
  onClose: () => void;
  onSaved: (trainee: TraineeDetail) => void;
}) {
  const submit = async (values: FollowUpFormValues) => {
    const body: AddFollowUpBody = { ...values, happenedOn: values.happenedOn.format('YYYY-MM-DD') };
    onSaved(
      await unwrap(
        apiClient.POST('/api/trainees/{id}/follow-ups', { params: { path: { id: trainee.id } }, body }),
      ),
    );
  };
  return (
    <FormModal<FollowUpFormValues>
      title="添加培训后跟踪记录"
      open={open}
      onClose={onClose}
      onSubmit={submit}
      testId="follow-up-form"
      fieldNames={['kind', 'happenedOn', 'entityId', 'shopName', 'monthlyIncomeYuan', 'note']}
      initialValues={{ kind: 'employed' }}
    >
      {(form) => (
        <>
          <Form.Item name="kind" label="跟踪类型" rules={[{ required: true, message: '请选择跟踪类型' }]}>
            <Select
              options={Object.entries(followUpKindLabels).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="happenedOn" label="发生日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(before, after) => before.kind !== after.kind}>
            {() => {
              const kind = form.getFieldValue('kind');
              if (kind === 'employed')
                return (
                  <Form.Item name="entityId" label="录用主体（登记在册）">
                    <OwnerEntitySelect etownCode={trainee.etownCode} />
                  </Form.Item>
                );
              if (kind === 'opened_shop')
                return (
                  <Form.Item name="shopName" label="网店名称">
                    <Input maxLength={100} />
                  </Form.Item>
                );
              return (
                <Form.Item name="monthlyIncomeYuan" label="变化后的月收入（元）">
                  <Input placeholder="如 3500" />
                </Form.Item>
              );
            }}
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function TraineeCard({ trainee }: { trainee: TraineeDetail }) {
  return (
    <Card title="档案">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label="姓名">{trainee.name}</Descriptions.Item>
        <Descriptions.Item label="性别 / 出生年份">
          {traineeGenderLabels[trainee.gender]} · {trainee.birthYear}
        </Descriptions.Item>
        <Descriptions.Item label="身份证号 / 手机号" span={2}>
          <IdentityReveal trainee={trainee} />
        </Descriptions.Item>
        <Descriptions.Item label="所在e镇">{trainee.etownName}</Descriptions.Item>
        <Descriptions.Item label="所在村">{trainee.villageName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="人员类别">
          <TraineeCategoryTag trainee={trainee} />
        </Descriptions.Item>
        <Descriptions.Item label="技能">
          {trainee.skills.length ? trainee.skills.join('、') : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="证书" span={2}>
          {trainee.certificates.length
            ? trainee.certificates
                .map(
                  (certificate) =>
                    `${certificate.name}${certificate.issuedOn ? `（${formatDate(certificate.issuedOn)}）` : ''}`,
                )
                .join('；')
            : '—'}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function FollowUpCard({
  trainee,
  onChange,
}: {
  trainee: TraineeDetail;
  onChange: (next: TraineeDetail) => void;
}) {
  const me = useMe();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      title="培训后跟踪"
      style={{ marginTop: 16 }}
      extra={
        can.writeTrainees(me.role) && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="follow-up-add">
            添加跟踪记录
          </Button>
        )
      }
    >
      {trainee.followUps.length === 0 ? (
        <Typography.Text type="secondary">暂无跟踪记录</Typography.Text>
      ) : (
        <Timeline
          data-testid="follow-ups"
          items={trainee.followUps.map((followUp) => ({
            key: followUp.id,
            content: (
              <>
                <Typography.Text strong>{formatDate(followUp.happenedOn)}</Typography.Text>{' '}
                {followUpKindLabels[followUp.kind]}：{followUpText(followUp)}
                {followUp.note && <Typography.Text type="secondary">（{followUp.note}）</Typography.Text>}
              </>
            ),
          }))}
        />
      )}
      <AddFollowUpModal trainee={trainee} open={adding} onClose={() => setAdding(false)} onSaved={onChange} />
    </Card>
  );
}

export function TraineeDetailPage() {
  const { id = '' } = useParams();
  const trainee = useLoader(
    () => unwrap(apiClient.GET('/api/trainees/{id}', { params: { path: { id } } })),
    id,
  );
  if (trainee.loading && !trainee.data)
    return (
      <>
        <PageHeader title="学员档案" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  if (trainee.notFound || !trainee.data)
    return (
      <>
        <PageHeader title="学员档案" crumbs={crumbs} />
        {trainee.notFound ? (
          <Card>
            <NotFoundState what="学员档案" backTo="/trainees" backLabel="返回学员档案列表" />
          </Card>
        ) : (
          <ErrorState message={trainee.error ?? '加载失败'} onRetry={trainee.reload} />
        )}
      </>
    );
  const detail = trainee.data;
  return (
    <>
      <PageHeader
        title={<span data-testid="trainee-title">{detail.name}</span>}
        crumbs={[...crumbs, { title: detail.name }]}
        subtitle={`${detail.etownName}${detail.villageName ? ` · ${detail.villageName}` : ''}`}
      />
      <TraineeCard trainee={detail} />
      <FollowUpCard trainee={detail} onChange={trainee.setData} />
    </>
  );
}
