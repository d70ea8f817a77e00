import { App, Button, Flex, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { ApplicationDetail, Role } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import {
  ApplicationInfoCard,
  DisbursementRequestsCard,
  EvidenceCard,
  InstalmentsCard,
  MovementsCard,
} from './fund-application-cards.tsx';
import { ApplicationDialogs, type Dialog } from './fund-application-dialogs.tsx';
import { ApplicationStatusTag } from './fund-applications-page.tsx';
import { newIdempotencyKey } from './fund-types.ts';
import { FundsNav } from './funds-nav.tsx';

type HeaderActionsOptions = {
  application: ApplicationDetail;
  role: Role;
  editable: boolean;
  reviewable: boolean;
  payable: boolean;
  viaFinance: boolean;
  open: (kind: NonNullable<Dialog>['kind']) => void;
};

/** The header's buttons: the audit trail, and the steps this user may take on the application now. */
function headerActions({
  application,
  role,
  editable,
  reviewable,
  payable,
  viaFinance,
  open,
}: HeaderActionsOptions): ReactNode[] {
  const id = application.id;
  const actions: ReactNode[] = [];
  if (can.readAudit(role)) {
    // 县纪委监委: the application's audit trail, every step with who and when.
    actions.push(
      <Link
        key="audit"
        to={`/audit?targetType=fund_application&targetId=${id}`}
        data-testid="application-audit"
      >
        <Button>审计记录</Button>
      </Link>,
    );
  }
  if (editable) {
    actions.push(
      <Button key="edit" onClick={() => open('edit')} data-testid="application-edit">
        {application.status === 'returned' ? '修改并重新提交' : '修改申请'}
      </Button>,
    );
  }
  if (reviewable) {
    actions.push(
      <Button key="return" onClick={() => open('return')} data-testid="application-return">
        退回修改
      </Button>,
      <Button key="reject" danger onClick={() => open('reject')} data-testid="application-reject">
        不予支持
      </Button>,
      <Button key="approve" type="primary" onClick={() => open('approve')} data-testid="application-approve">
        审核通过并核定金额
      </Button>,
    );
  }
  if (payable) {
    actions.push(
      <Button key="settle" onClick={() => open('settle')} data-testid="application-settle">
        结算
      </Button>,
      viaFinance ? (
        <Button
          key="request"
          type="primary"
          onClick={() => open('request')}
          data-testid="application-request-disbursement"
        >
          提交拨付申请
        </Button>
      ) : (
        <Button
          key="disburse"
          type="primary"
          onClick={() => open('disburse')}
          data-testid="application-disburse"
        >
          拨付
        </Button>
      ),
    );
  }
  return actions;
}

export function FundApplicationDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [uploading, setUploading] = useState(false);
  const detail = useLoader(
    () => unwrap(apiClient.GET('/api/funds/applications/{id}', { params: { path: { id } } })),
    id,
  );
  const policies = useLoader(
    can.applyFunds(me.role) ? () => unwrap(apiClient.GET('/api/funds/policies')) : null,
    'policies',
  );
  const open = (kind: NonNullable<Dialog>['kind'], requestId?: string) =>
    setDialog({ kind, key: newIdempotencyKey(), requestId });
  const close = () => setDialog(null);

  if (detail.loading && !detail.data) return <LoadingState />;
  if (detail.notFound)
    return <NotFoundState what="资金申请" backTo="/funds/applications" backLabel="返回申请列表" />;
  if (detail.error || !detail.data)
    return <ErrorState message={detail.error ?? '加载失败'} onRetry={detail.reload} />;
  const application = detail.data;
  const applicantSide =
    can.applyFunds(me.role) &&
    (me.role === 'enterprise' ? application.entityId !== null : application.entityId === null);
  const editable = applicantSide && (application.status === 'submitted' || application.status === 'returned');
  const reviewable = can.reviewFunds(me.role) && application.status === 'submitted';
  const payable = can.disburseFunds(me.role) && application.status === 'approved';
  // Where the county requires it, the county asks for each instalment and the finance bureau approves it.
  const viaFinance = application.disbursementApprovalRequired;
  const decidable = can.approveDisbursements(me.role) && application.status === 'approved';
  const decidingRequest = application.disbursementRequests.find(
    (request) => request.id === dialog?.requestId,
  );
  const done = async (promise: Promise<unknown>, text: string) => {
    await promise;
    message.success(text);
    await detail.reload();
  };

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await apiClient.POST('/api/funds/applications/{id}/files', {
        params: { path: { id }, query: { fileName: file.name } },
        ...fileBody(file),
      });
      message.success(`已上传 ${file.name}`);
      await detail.reload();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setUploading(false);
    }
  };

  return (
    <>
      <PageHeader
        title={application.title}
        crumbs={[
          { title: '资金管理', to: '/funds/applications' },
          { title: '资金申请', to: '/funds/applications' },
          { title: application.title },
        ]}
        subtitle={
          <Space>
            <ApplicationStatusTag status={application.status} />
            <span>{application.applicantName}</span>
          </Space>
        }
        extra={headerActions({ application, role: me.role, editable, reviewable, payable, viaFinance, open })}
      />
      <FundsNav />
      <Flex vertical gap={16}>
        <ApplicationInfoCard application={application} />
        <EvidenceCard application={application} editable={editable} uploading={uploading} onUpload={upload} />
        {(viaFinance || application.disbursementRequests.length > 0) && (
          <DisbursementRequestsCard
            application={application}
            viaFinance={viaFinance}
            decidable={decidable}
            onDecide={(kind, requestId) => open(kind, requestId)}
          />
        )}
        <InstalmentsCard application={application} />
        <MovementsCard application={application} />
      </Flex>

      <ApplicationDialogs
        application={application}
        dialog={dialog}
        close={close}
        done={done}
        decidingRequest={decidingRequest}
        policies={(policies.data ?? []).filter((policy) => policy.validToday)}
      />
    </>
  );
}
