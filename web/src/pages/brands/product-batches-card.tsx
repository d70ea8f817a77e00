import { DownloadOutlined, PlusOutlined, QrcodeOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { BatchView, ProductDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { dayjs, formatDate, formatMinute, todayInShanghai } from '../../time.ts';
import { batchUnits } from './brand-types.ts';

const day = (value: Dayjs) => value.format('YYYY-MM-DD');
const today = () => dayjs(todayInShanghai());

function Inspections({
  batch,
  writable,
  onChanged,
}: {
  batch: BatchView;
  writable: boolean;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const uploadReport = async (inspectionId: string, file: File) => {
    try {
      await apiClient.POST('/api/batches/{id}/inspections/{inspectionId}/report', {
        params: { path: { id: batch.id, inspectionId }, query: { fileName: file.name } },
        ...fileBody(file),
      });
      message.success('已上传检测报告');
      onChanged();
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  if (batch.inspections.length === 0) {
    return (
      <Typography.Text type="secondary">
        该批次还没有检验检测记录{writable ? '，点击“检测”登记' : ''}。
      </Typography.Text>
    );
  }
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={batch.inspections}
      data-testid={`inspections-${batch.batchNumber}`}
      columns={[
        { title: '检测日期', dataIndex: 'inspectedOn', width: 130, render: formatDate },
        { title: '检测机构', dataIndex: 'agency', width: 220 },
        { title: '检测项目', dataIndex: 'items' },
        {
          title: '结论',
          dataIndex: 'result',
          width: 90,
          render: (result: string) => (
            <Tag color={result === 'pass' ? 'green' : 'red'}>{result === 'pass' ? '合格' : '不合格'}</Tag>
          ),
        },
        {
          title: '检测报告',
          width: 220,
          render: (_: unknown, inspection: BatchView['inspections'][number]) => (
            <Space size={4} wrap>
              {inspection.reportFileName ? (
                <a
                  href={`/api/batches/${batch.id}/inspections/${inspection.id}/report`}
                  data-testid="inspection-report"
                >
                  <DownloadOutlined /> {inspection.reportFileName}
                </a>
              ) : (
                <Typography.Text type="secondary">未上传</Typography.Text>
              )}
              {writable && (
                <Upload
                  accept=".pdf,.doc,.docx,.png,.jpg,.jpeg"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void uploadReport(inspection.id, file);
                    return false;
                  }}
                >
                  <Button
                    size="small"
                    type="link"
                    icon={<UploadOutlined />}
                    data-testid="inspection-report-upload"
                  >
                    {inspection.reportFileName ? '更换' : '上传'}
                  </Button>
                </Upload>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** Number, date, quantity, origin, latest inspection and the trace, inspect and recall actions. */
function batchColumns({
  writable,
  onInspect,
  onRecall,
}: {
  writable: boolean;
  onInspect: (batch: BatchView) => void;
  onRecall: (batch: BatchView) => void;
}): TableColumnsType<BatchView> {
  return [
    {
      title: '批次号',
      dataIndex: 'batchNumber',
      width: 150,
      render: (number: string, batch) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid={`batch-row-${number}`}>
            {number}
          </Typography.Text>
          {batch.recalledAt && (
            <Tag color="red" data-testid="batch-recalled">
              已召回
            </Tag>
          )}
        </Space>
      ),
    },
    { title: '生产/采收日期', dataIndex: 'producedOn', width: 130, render: formatDate },
    {
      title: '数量',
      width: 110,
      render: (_: unknown, batch) => `${batch.quantity.toLocaleString('zh-CN')} ${batch.unit}`,
    },
    { title: '产地基地', dataIndex: 'originBase' },
    {
      title: '检测',
      width: 110,
      render: (_: unknown, batch) => {
        const latest = batch.inspections[0];
        if (!latest) return <Typography.Text type="secondary">未检测</Typography.Text>;
        return (
          <Tag color={latest.result === 'pass' ? 'green' : 'red'}>
            {latest.result === 'pass' ? '合格' : '不合格'}（{batch.inspections.length}）
          </Tag>
        );
      },
    },
    {
      title: '操作',
      width: 250,
      render: (_: unknown, batch) => (
        <Space size={0} wrap>
          <Link to={`/trace/batches/${batch.id}`} data-testid={`batch-trace-${batch.batchNumber}`}>
            <Button size="small" type="link" icon={<QrcodeOutlined />}>
              赋码与扫码
            </Button>
          </Link>
          {writable && (
            <Button
              size="small"
              type="link"
              onClick={() => onInspect(batch)}
              data-testid={`batch-inspect-${batch.batchNumber}`}
            >
              检测
            </Button>
          )}
          {writable && !batch.recalledAt && (
            <Button
              size="small"
              type="link"
              danger
              onClick={() => onRecall(batch)}
              data-testid={`batch-recall-${batch.batchNumber}`}
            >
              召回
            </Button>
          )}
        </Space>
      ),
    },
  ];
}

function RecalledBatchesAlert({ batches }: { batches: BatchView[] }) {
  if (!batches.some((batch) => batch.recalledAt)) return null;
  return (
    <Alert
      style={{ marginTop: 12 }}
      type="error"
      showIcon
      title="有批次已召回"
      description={batches
        .filter((batch) => batch.recalledAt)
        .map(
          (batch) =>
            `${batch.batchNumber}：${formatMinute(batch.recalledAt)} 召回，原因：${batch.recallReason ?? '—'}`,
        )
        .join('；')}
    />
  );
}

function BatchFields() {
  return (
    <>
      <Form.Item
        name="batchNumber"
        label="批次号"
        rules={[
          { required: true, whitespace: true, message: '请填写批次号' },
          { pattern: /^[0-9A-Za-z_-]{1,40}$/, message: '批次号须为字母、数字、下划线或短横线' },
        ]}
        extra="同一产品内不能重复，如 HTG-20260512"
      >
        <Input maxLength={40} data-testid="batch-number" />
      </Form.Item>
      <Form.Item name="producedOn" label="生产/采收日期" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(value) => value.isAfter(today(), 'day')} />
      </Form.Item>
      <Space size={16} align="start">
        <Form.Item
          name="quantity"
          label="数量"
          rules={[
            { required: true, message: '请填写数量' },
            { type: 'integer', min: 1, message: '数量须为大于 0 的整数' },
          ]}
        >
          <InputNumber min={1} precision={0} style={{ width: 180 }} data-testid="batch-quantity" />
        </Form.Item>
        <Form.Item
          name="unit"
          label="单位"
          rules={[{ required: true, whitespace: true, message: '请填写单位' }]}
        >
          <AutoComplete options={batchUnits.map((unit) => ({ value: unit }))} style={{ width: 120 }} />
        </Form.Item>
      </Space>
      <Form.Item
        name="originBase"
        label="产地基地"
        rules={[{ required: true, whitespace: true, message: '请填写产地基地' }]}
      >
        <Input maxLength={100} placeholder="如：皋落乡食用菌标准化种植基地" data-testid="batch-origin" />
      </Form.Item>
    </>
  );
}

function BatchModal({
  product,
  open,
  onClose,
  onChanged,
}: {
  product: ProductDetail;
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<{
      batchNumber: string;
      producedOn: Dayjs;
      quantity: number;
      unit: string;
      originBase: string;
    }>
      title={`登记批次：${product.name}`}
      open={open}
      onClose={onClose}
      testId="batch-modal"
      okText="登记"
      fieldNames={['batchNumber', 'producedOn', 'quantity', 'unit', 'originBase']}
      initialValues={{ producedOn: today(), unit: '盒' }}
      onSubmit={async (values) => {
        const body = {
          batchNumber: values.batchNumber.trim(),
          producedOn: day(values.producedOn),
          quantity: values.quantity,
          unit: values.unit.trim(),
          originBase: values.originBase.trim(),
        };
        await apiClient.POST('/api/products/{id}/batches', { params: { path: { id: product.id } }, body });
        message.success('已登记批次');
        onChanged();
      }}
    >
      <BatchFields />
    </FormModal>
  );
}

function InspectionFields({ onPickReport }: { onPickReport: (file: File | null) => void }) {
  return (
    <>
      <Form.Item name="inspectedOn" label="检测日期" rules={[{ required: true, message: '请选择检测日期' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(value) => value.isAfter(today(), 'day')} />
      </Form.Item>
      <Form.Item
        name="agency"
        label="检测机构"
        rules={[{ required: true, whitespace: true, message: '请填写检测机构' }]}
      >
        <Input
          maxLength={100}
          placeholder="如：运城市农产品质量安全检验检测中心"
          data-testid="inspection-agency"
        />
      </Form.Item>
      <Form.Item
        name="items"
        label="检测项目"
        rules={[{ required: true, whitespace: true, message: '请填写检测项目' }]}
      >
        <Input.TextArea
          rows={2}
          maxLength={1000}
          placeholder="如：农药残留、重金属、二氧化硫"
          data-testid="inspection-items"
        />
      </Form.Item>
      <Form.Item name="result" label="检测结论">
        <Radio.Group
          optionType="button"
          options={[
            { value: 'pass', label: '合格' },
            { value: 'fail', label: '不合格' },
          ]}
        />
      </Form.Item>
      <Form.Item label="检测报告" extra="PDF、Word 或图片，≤ 20 MB；也可以稍后在检测记录中上传">
        <Upload
          accept=".pdf,.doc,.docx,.png,.jpg,.jpeg"
          maxCount={1}
          beforeUpload={(file) => {
            onPickReport(file);
            return false;
          }}
          onRemove={() => onPickReport(null)}
        >
          <Button icon={<UploadOutlined />} data-testid="inspection-report-pick">
            选择文件
          </Button>
        </Upload>
      </Form.Item>
    </>
  );
}

/** Records an inspection of the batch, then uploads the report picked with it, if any. */
function InspectionModal({
  batch,
  onClose,
  onChanged,
}: {
  batch: BatchView | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const [reportFile, setReportFile] = useState<File | null>(null);
  return (
    <FormModal<{ inspectedOn: Dayjs; agency: string; items: string; result: 'pass' | 'fail' }>
      title={`检验检测：批次 ${batch?.batchNumber ?? ''}`}
      open={Boolean(batch)}
      onClose={() => {
        onClose();
        setReportFile(null);
      }}
      testId="inspection-modal"
      okText="登记检测"
      fieldNames={['inspectedOn', 'agency', 'items', 'result']}
      initialValues={{ inspectedOn: today(), result: 'pass' }}
      onSubmit={async (values) => {
        if (!batch) return;
        const body = {
          inspectedOn: day(values.inspectedOn),
          agency: values.agency.trim(),
          items: values.items.trim(),
          result: values.result,
        };
        const saved = await unwrap(
          apiClient.POST('/api/batches/{id}/inspections', {
            params: { path: { id: batch.id } },
            body,
          }),
        );
        const inspection = saved.inspections[0];
        if (reportFile && inspection) {
          try {
            await apiClient.POST('/api/batches/{id}/inspections/{inspectionId}/report', {
              params: {
                path: { id: saved.id, inspectionId: inspection.id },
                query: { fileName: reportFile.name },
              },
              ...fileBody(reportFile),
            });
          } catch (failure) {
            message.warning(`检测已登记，但报告未能上传：${errorMessage(failure)}`);
            onChanged();
            return;
          }
        }
        message.success(reportFile ? '已登记检测并上传报告' : '已登记检测');
        onChanged();
      }}
    >
      <InspectionFields onPickReport={setReportFile} />
    </FormModal>
  );
}

function RecallModal({
  batch,
  onClose,
  onChanged,
}: {
  batch: BatchView | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<{ reason: string }>
      title={`召回批次 ${batch?.batchNumber ?? ''}`}
      open={Boolean(batch)}
      onClose={onClose}
      testId="recall-modal"
      okText="确认召回"
      danger
      fieldNames={['reason']}
      onSubmit={async (values) => {
        if (!batch) return;
        await apiClient.POST('/api/batches/{id}/recall', {
          params: { path: { id: batch.id } },
          body: { reason: values.reason.trim() },
        });
        message.success('已召回；扫码页立即显示召回提示');
        onChanged();
      }}
    >
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        title="召回不可撤销"
        description="召回后，该批次所有追溯码的扫码页都会显示召回提示与原因。"
      />
      <Form.Item
        name="reason"
        label="召回原因"
        rules={[{ required: true, whitespace: true, message: '请填写召回原因' }]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid="recall-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** Batches of the product with their inspections; a recall is final. */
export function ProductBatchesCard({
  product,
  writable,
  onChanged,
}: {
  product: ProductDetail;
  writable: boolean;
  onChanged: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [inspecting, setInspecting] = useState<BatchView | null>(null);
  const [recalling, setRecalling] = useState<BatchView | null>(null);

  return (
    <Card
      title={`批次（${product.batches.length}）`}
      data-testid="batches-card"
      extra={
        writable && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="batch-add"
          >
            登记批次
          </Button>
        )
      }
    >
      <Table<BatchView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={product.batches}
        data-testid="batch-table"
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (batch) => (
            <Inspections batch={batch} writable={writable} onChanged={onChanged} />
          ),
        }}
        locale={{
          emptyText: writable
            ? '还没有批次。每次生产或采收后点击“登记批次”，再为批次赋码、登记检测报告。'
            : '还没有批次。',
        }}
        columns={batchColumns({ writable, onInspect: setInspecting, onRecall: setRecalling })}
      />
      <RecalledBatchesAlert batches={product.batches} />

      <BatchModal product={product} open={adding} onClose={() => setAdding(false)} onChanged={onChanged} />

      <InspectionModal batch={inspecting} onClose={() => setInspecting(null)} onChanged={onChanged} />

      <RecallModal batch={recalling} onClose={() => setRecalling(null)} onChanged={onChanged} />
    </Card>
  );
}
