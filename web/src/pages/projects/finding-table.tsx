import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Form,
  Input,
  Popconfirm,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiClient, fileBody } from '../../api/client.ts';
import type { Finding, FindingStatus, StoredFile } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { can } from '../../permissions.ts';
import { useRegionLink } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';
import { formatMinute } from '../../time.ts';
import { findingStatusColors, findingStatusLabels, inspectionKindLabels } from './project-types.ts';
import { inspectionPath, overdueTint, useModalTarget } from './supervision-shared.tsx';

type FindingActionKind = 'rectify' | 'close' | 'reopen';
type FindingAction = { finding: Finding; kind: FindingActionKind };

const actionTexts = (action: FindingAction) => {
  if (action.kind === 'rectify') {
    return { title: '提交整改情况', label: '整改情况', required: '请填写整改情况', done: '已提交整改情况' };
  }
  if (action.kind === 'close') {
    return { title: '验收销号', label: '销号意见', required: '请填写销号意见', done: '已验收销号' };
  }
  return action.finding.status === 'closed'
    ? { title: '重新打开问题', label: '重新打开的原因', required: '请填写重新打开的原因', done: '已重新打开' }
    : { title: '退回整改', label: '退回意见', required: '请填写退回意见', done: '已退回整改' };
};

/** Rectify, close (销号) or reopen one finding with a note; the server refuses a finding changed meanwhile. */
function FindingActionModal({
  action,
  onClose,
  onDone,
}: {
  action: FindingAction | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const texts = action ? actionTexts(action) : null;
  return (
    <FormModal<{ note: string }>
      title={texts?.title ?? ''}
      open={action !== null}
      onClose={onClose}
      testId="finding-action-form"
      fieldNames={['note']}
      onSubmit={async (values) => {
        if (!action || !texts) return;
        await apiClient.POST(`/api/findings/{id}/${action.kind}`, {
          params: { path: { id: action.finding.id } },
          body: { note: values.note, version: action.finding.version },
        });
        message.success(texts.done);
        onDone();
      }}
    >
      {action && <Typography.Paragraph type="secondary">{action.finding.description}</Typography.Paragraph>}
      <Form.Item
        name="note"
        label={texts?.label}
        rules={[{ required: true, whitespace: true, message: texts?.required ?? '请填写' }]}
      >
        <Input.TextArea rows={4} maxLength={2000} data-testid="finding-note" />
      </Form.Item>
    </FormModal>
  );
}

type FindingFileActions = {
  mayRectify: boolean;
  mayInspect: boolean;
  uploading: string | null;
  openAction: (action: FindingAction) => void;
  uploadEvidence: (finding: Finding, file: File) => boolean;
  removeEvidence: (finding: Finding, file: StoredFile) => Promise<unknown>;
};

/** The finding's text, with the inspection it came from (linked) on the problem list. */
function FindingDescription({ finding, showInspection }: { finding: Finding; showInspection: boolean }) {
  const regionLink = useRegionLink();
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{finding.description}</Typography.Text>
      {showInspection && (
        <Typography.Text type="secondary">
          <Link to={regionLink(inspectionPath(finding.inspectionId))} data-testid="finding-inspection-link">
            {inspectionKindLabels[finding.inspectionKind]} · {finding.inspectedOn}
          </Link>{' '}
          · {finding.etownName}
        </Typography.Text>
      )}
    </Space>
  );
}

/** One evidence file: a download link and, while the finding is not closed, a delete button. */
function EvidenceFile({
  finding,
  file,
  removable,
  remove,
}: {
  finding: Finding;
  file: StoredFile;
  removable: boolean;
  remove: (finding: Finding, file: StoredFile) => Promise<unknown>;
}) {
  return (
    <Space size={4} data-testid="finding-file">
      <a href={`/api/findings/${finding.id}/files/${file.id}`} download={file.fileName}>
        <DownloadOutlined /> {file.fileName}
      </a>
      {removable && (
        <Popconfirm
          title={`删除整改材料“${file.fileName}”？`}
          description="删除后不可恢复。"
          okText="删除"
          okButtonProps={{ danger: true, 'data-testid': 'finding-file-delete-confirm' } as ButtonProps}
          cancelText="取消"
          onConfirm={() => remove(finding, file)}
        >
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`删除 ${file.fileName}`}
            data-testid="finding-file-delete"
          />
        </Popconfirm>
      )}
    </Space>
  );
}

/** 整改与销号: the rectification and closing notes, and the evidence files. */
function FindingProgress({ finding, actions }: { finding: Finding; actions: FindingFileActions }) {
  const mayRemoveFiles = actions.mayRectify && finding.status !== 'closed';
  return (
    <Space orientation="vertical" size={2}>
      {finding.rectificationNote && (
        <Typography.Text>
          整改：{finding.rectificationNote}
          <Typography.Text type="secondary">
            （{finding.rectifiedByName}，{formatMinute(finding.rectifiedAt)}）
          </Typography.Text>
        </Typography.Text>
      )}
      {finding.closeNote && (
        <Typography.Text>
          {finding.status === 'closed' ? '销号' : '退回'}意见：{finding.closeNote}
          {finding.closedByName && (
            <Typography.Text type="secondary">
              （{finding.closedByName}，{formatMinute(finding.closedAt)}）
            </Typography.Text>
          )}
        </Typography.Text>
      )}
      {finding.files.map((file) => (
        <EvidenceFile
          key={file.id}
          finding={finding}
          file={file}
          removable={mayRemoveFiles}
          remove={actions.removeEvidence}
        />
      ))}
      {!finding.rectificationNote && !finding.closeNote && finding.files.length === 0 && (
        <Typography.Text type="secondary">尚未提交整改</Typography.Text>
      )}
    </Space>
  );
}

/** The buttons the user's role allows on one finding: rectify and upload, close, send back or reopen. */
function FindingActions({ finding, actions }: { finding: Finding; actions: FindingFileActions }) {
  const { mayRectify, mayInspect, openAction } = actions;
  return (
    <Space size={4} wrap>
      {mayRectify && finding.status !== 'closed' && (
        <>
          <Button
            size="small"
            type="primary"
            onClick={() => openAction({ finding, kind: 'rectify' })}
            data-testid="finding-rectify"
          >
            整改
          </Button>
          <Upload
            accept=".pdf,.doc,.docx,.xls,.xlsx,image/png,image/jpeg"
            showUploadList={false}
            beforeUpload={(file) => actions.uploadEvidence(finding, file)}
          >
            <Button
              size="small"
              icon={<UploadOutlined />}
              loading={actions.uploading === finding.id}
              data-testid="finding-upload"
            >
              材料
            </Button>
          </Upload>
        </>
      )}
      {mayInspect && finding.status === 'rectified' && (
        <Button
          size="small"
          type="primary"
          onClick={() => openAction({ finding, kind: 'close' })}
          data-testid="finding-close"
        >
          销号
        </Button>
      )}
      {mayInspect && finding.status !== 'open' && (
        <Button
          size="small"
          danger
          onClick={() => openAction({ finding, kind: 'reopen' })}
          data-testid="finding-reopen"
        >
          {finding.status === 'closed' ? '重新打开' : '退回'}
        </Button>
      )}
    </Space>
  );
}

function findingColumns(showInspection: boolean, actions: FindingFileActions): TableColumnsType<Finding> {
  return [
    {
      title: '问题',
      dataIndex: 'description',
      width: 240,
      render: (_: string, finding) => (
        <FindingDescription finding={finding} showInspection={showInspection} />
      ),
    },
    { title: '责任单位', dataIndex: 'owner', width: 130 },
    {
      title: '整改期限',
      dataIndex: 'deadline',
      width: 150,
      render: (value: string, finding) => (
        <Space size={4}>
          <span>{value}</span>
          {finding.overdue && (
            <Tag color="red" data-testid="finding-overdue">
              已逾期
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (value: FindingStatus) => (
        <Tag color={findingStatusColors[value]} data-testid="finding-status">
          {findingStatusLabels[value]}
        </Tag>
      ),
    },
    {
      title: '整改与销号',
      render: (_: unknown, finding) => <FindingProgress finding={finding} actions={actions} />,
    },
    {
      title: '操作',
      width: 190,
      fixed: 'end',
      render: (_: unknown, finding) => <FindingActions finding={finding} actions={actions} />,
    },
  ];
}

/** Evidence upload and removal for a finding; either reports its outcome and calls `onChanged`. */
function useEvidenceFiles(onChanged: () => void) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState<string | null>(null);
  const uploadEvidence = (finding: Finding, file: File) => {
    setUploading(finding.id);
    apiClient
      .POST('/api/findings/{id}/files', {
        params: { path: { id: finding.id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(`已上传 ${file.name}`);
        onChanged();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploading(null));
    return false;
  };
  const removeEvidence = (finding: Finding, file: StoredFile) =>
    apiClient
      .DELETE('/api/findings/{id}/files/{fileId}', { params: { path: { id: finding.id, fileId: file.id } } })
      .then(() => {
        message.success(`已删除 ${file.fileName}`);
        onChanged();
      })
      .catch((failure) => message.error(errorMessage(failure)));
  return { uploading, uploadEvidence, removeEvidence };
}

/**
 * Findings with their deadline (overdue in red), rectification, evidence files and the actions the
 * user's role allows; shared by the problem list and an inspection's page.
 */
export function FindingsTable({
  findings,
  loading,
  onChanged,
  showInspection,
  emptyText,
}: {
  findings: Finding[];
  loading: boolean;
  /** Called after any change, so the caller reloads what it shows. */
  onChanged: () => void;
  /** Show the inspection each finding came from, linked to its page (the problem list). */
  showInspection: boolean;
  emptyText: string;
}) {
  const me = useMe();
  const action = useModalTarget<FindingAction>();
  const evidence = useEvidenceFiles(onChanged);
  const columns = findingColumns(showInspection, {
    mayRectify: can.rectifyFindings(me.role),
    mayInspect: can.inspect(me.role),
    openAction: action.open,
    ...evidence,
  });
  return (
    <>
      <Table<Finding>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={findings}
        pagination={false}
        data-testid="finding-table"
        scroll={{ x: 1080 }}
        rowClassName={(finding) => (finding.overdue ? 'finding-overdue' : '')}
        onRow={(finding) =>
          ({ 'data-testid': `finding-row-${finding.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText }}
        columns={columns.map((column) => ({ ...column, onCell: overdueTint }))}
      />
      <FindingActionModal key={action.key} action={action.target} onClose={action.close} onDone={onChanged} />
    </>
  );
}
