import { DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { DocumentKind, PolicyDocument } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { ErrorState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs } from '../../time.ts';
import { useEtownOptions } from './project-list-page.tsx';
import { documentKindLabels, optionsOf } from './project-types.ts';
import { DeleteButton, type EtownOption, useModalTarget, useRegionList } from './supervision-shared.tsx';

type DocumentForm = {
  etownCode?: string;
  kind: DocumentKind;
  title: string;
  docNo?: string;
  issuer?: string;
  issuedOn: dayjs.Dayjs;
};

type DocumentRowActions = {
  writable: boolean;
  uploading: string | null;
  attach: (document: PolicyDocument, file: File) => boolean;
  onEdit: (document: PolicyDocument) => void;
  onDeleted: () => void;
};

/** The attached file, downloadable, with an upload (or replace) button for those who may write. */
function DocumentFileCell({
  document,
  writable,
  uploading,
  attach,
}: {
  document: PolicyDocument;
  writable: boolean;
  uploading: boolean;
  attach: (document: PolicyDocument, file: File) => boolean;
}) {
  return (
    <Space size={4} wrap>
      {document.fileName ? (
        <a
          href={`/api/policy-documents/${document.id}/file`}
          download={document.fileName}
          data-testid="document-download"
        >
          <DownloadOutlined /> {document.fileName}
        </a>
      ) : (
        <Typography.Text type="secondary">未上传</Typography.Text>
      )}
      {writable && (
        <Upload
          accept=".pdf,.docx,.doc,image/png,image/jpeg"
          showUploadList={false}
          beforeUpload={(file) => attach(document, file)}
        >
          <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="document-upload">
            {document.fileName ? '替换' : '上传'}
          </Button>
        </Upload>
      )}
    </Space>
  );
}

/** The table's columns; those who may write get the edit and delete column. */
function documentColumns({ writable, uploading, attach, onEdit, onDeleted }: DocumentRowActions) {
  const actionColumn: TableColumnsType<PolicyDocument>[number] = {
    title: '操作',
    width: 140,
    fixed: 'end' as const,
    render: (_: unknown, document: PolicyDocument) => (
      <Space size={0}>
        <Button
          type="link"
          size="small"
          icon={<EditOutlined />}
          onClick={() => onEdit(document)}
          data-testid="document-edit"
        >
          修改
        </Button>
        <DeleteButton
          title="删除这份制度文件？"
          description="文件登记及其附件一并删除，不可恢复。"
          remove={() =>
            apiClient.DELETE('/api/policy-documents/{id}', {
              params: { path: { id: document.id } },
            })
          }
          testId="document-delete"
          onDeleted={onDeleted}
        />
      </Space>
    ),
  };
  const columns: TableColumnsType<PolicyDocument> = [
    {
      title: '文件标题',
      dataIndex: 'title',
      render: (title: string, document) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{title}</Typography.Text>
          <Typography.Text type="secondary">{document.etownName}</Typography.Text>
        </Space>
      ),
    },
    {
      title: '类别',
      dataIndex: 'kind',
      width: 150,
      render: (kind: DocumentKind) => documentKindLabels[kind],
    },
    { title: '文号', dataIndex: 'docNo', width: 170, render: (value: string | null) => value ?? '—' },
    {
      title: '发文机关',
      dataIndex: 'issuer',
      width: 150,
      render: (value: string | null) => value ?? '—',
    },
    { title: '印发日期', dataIndex: 'issuedOn', width: 100 },
    {
      title: '附件',
      width: 210,
      render: (_: unknown, document) => (
        <DocumentFileCell
          document={document}
          writable={writable}
          uploading={uploading === document.id}
          attach={attach}
        />
      ),
    },
  ];
  return writable ? [...columns, actionColumn] : columns;
}

/** Uploads a document's attachment (or replaces it), then calls `onAttached`. */
function useDocumentAttachment(onAttached: () => void) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState<string | null>(null);
  const attach = (document: PolicyDocument, file: File) => {
    setUploading(document.id);
    apiClient
      .POST('/api/policy-documents/{id}/file', {
        params: { path: { id: document.id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(document.fileName ? `已将附件替换为 ${file.name}` : `已上传 ${file.name}`);
        onAttached();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploading(null));
    return false;
  };
  return { uploading, attach };
}

export function DocumentsTab() {
  const me = useMe();
  const editing = useModalTarget<PolicyDocument | 'new'>();
  const writable = can.writeProjects(me.role);
  const documents = useRegionList((regionCode) =>
    unwrap(apiClient.GET('/api/policy-documents', { params: { query: { regionCode } } })),
  );
  const { uploading, attach } = useDocumentAttachment(() => void documents.reload());
  const etownOptions = useEtownOptions(writable);
  return (
    <>
      <Typography.Paragraph type="secondary">
        实施方案、奖励办法、品牌管理制度、“放管服”政策、资金管理办法（指标 1、5、9、18、22）。
        指标21的领导小组文件以<Link to="/leading-groups">领导小组</Link>登记的文号和成立日期为准，不在此登记。
      </Typography.Paragraph>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => editing.open('new')}
          data-testid="document-create"
        >
          登记制度文件
        </Button>
      )}
      {documents.error ? (
        <ErrorState message={documents.error} onRetry={documents.reload} />
      ) : (
        <Table<PolicyDocument>
          rowKey="id"
          size="middle"
          loading={documents.loading}
          dataSource={documents.data ?? []}
          pagination={false}
          data-testid="document-table"
          scroll={{ x: writable ? 1120 : 980 }}
          onRow={(document) =>
            ({ 'data-testid': `document-row-${document.id}` }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: '还没有制度文件' }}
          columns={documentColumns({
            writable,
            uploading,
            attach,
            onEdit: editing.open,
            onDeleted: () => void documents.reload(),
          })}
        />
      )}
      <DocumentModal
        key={editing.key}
        document={editing.target === 'new' ? undefined : (editing.target ?? undefined)}
        open={editing.target !== null}
        etownOptions={etownOptions}
        onClose={editing.close}
        onSaved={() => void documents.reload()}
      />
    </>
  );
}

function DocumentModal({
  document: loadedDocument,
  open,
  etownOptions,
  onClose,
  onSaved,
}: {
  document?: PolicyDocument;
  open: boolean;
  etownOptions: EtownOption[];
  onClose: () => void;
  onSaved: () => void;
}) {
  // The version this form edits; a 409 replaces it with the current record.
  const [document, setDocument] = useState(loadedDocument);
  const { message } = App.useApp();
  return (
    <FormModal<DocumentForm>
      title={document ? '修改制度文件' : '登记制度文件'}
      open={open}
      onClose={onClose}
      testId="document-form"
      onStale={(current) => {
        setDocument(current as PolicyDocument);
        onSaved();
      }}
      fieldNames={['etownCode', 'kind', 'title', 'docNo', 'issuer', 'issuedOn']}
      initialValues={
        document
          ? {
              kind: document.kind,
              title: document.title,
              docNo: document.docNo ?? undefined,
              issuer: document.issuer ?? undefined,
              issuedOn: dayjs(document.issuedOn),
            }
          : { etownCode: etownOptions.length === 1 ? etownOptions[0]?.value : undefined }
      }
      onSubmit={async (values) => {
        const body = {
          kind: values.kind,
          title: values.title,
          docNo: values.docNo,
          issuer: values.issuer,
          issuedOn: values.issuedOn.format('YYYY-MM-DD'),
        };
        if (document) {
          await apiClient.PUT('/api/policy-documents/{id}', {
            params: { path: { id: document.id } },
            body: { ...body, version: document.version },
          });
        } else {
          // The e-town is a required field of the create form.
          await apiClient.POST('/api/policy-documents', {
            body: { ...body, etownCode: values.etownCode ?? '' },
          });
        }
        message.success(document ? '已保存' : '已登记制度文件');
        onSaved();
      }}
    >
      {document ? (
        <Form.Item label="e镇">
          <Typography.Text>{document.etownName}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item name="etownCode" label="e镇" rules={[{ required: true, message: '请选择e镇' }]}>
          <Select options={etownOptions} placeholder="请选择" data-testid="document-etown" />
        </Form.Item>
      )}
      <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
        <Select
          options={optionsOf(documentKindLabels).filter((option) => option.value !== 'leading_group')}
          placeholder="请选择"
          data-testid="document-kind"
        />
      </Form.Item>
      <Form.Item
        name="title"
        label="文件标题"
        rules={[{ required: true, whitespace: true, message: '请填写文件标题' }]}
      >
        <Input maxLength={300} data-testid="document-title" />
      </Form.Item>
      <Form.Item name="docNo" label="文号">
        <Input maxLength={100} placeholder="如：垣政办发〔2023〕15号" data-testid="document-doc-no" />
      </Form.Item>
      <Form.Item name="issuer" label="发文机关">
        <Input maxLength={200} data-testid="document-issuer" />
      </Form.Item>
      <Form.Item name="issuedOn" label="印发日期" rules={[{ required: true, message: '请选择印发日期' }]}>
        <DatePicker style={{ width: '100%' }} data-testid="document-issued-on" />
      </Form.Item>
    </FormModal>
  );
}
