import { Col, Row, Space } from 'antd';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { InvestmentsCard, ProjectHeaderActions, ProjectOverviewCard } from './project-detail-cards.tsx';
import { ProjectModals } from './project-detail-modals.tsx';
import { type ProjectEditing, useProjectDetail, useProjectModals } from './project-editing.ts';
import { ProjectStatusTag } from './project-list-page.tsx';
import { MilestonesCard, ReportsCard } from './project-progress-cards.tsx';

/** One project: its overview, investments, milestones and progress reports, and the forms that change them. */
export function ProjectDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { loaded, save, report } = useProjectDetail(id);
  const modals = useProjectModals();
  const project = loaded.data;

  if (loaded.notFound) return <NotFoundState what="项目" backTo="/projects" />;
  if (loaded.error) {
    return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  }
  if (!project) return <LoadingState />;

  const editing: ProjectEditing = { id, project, writable: can.writeProjects(me.role), save, report };
  return (
    <>
      <PageHeader
        title={project.name}
        crumbs={[{ title: '项目与设施', to: '/projects' }, { title: project.name }]}
        subtitle={
          <Space>
            <ProjectStatusTag status={project.status} />
            <span>{project.etownName}</span>
          </Space>
        }
        extra={
          editing.writable && (
            <ProjectHeaderActions
              editing={editing}
              onStatus={modals.openStatus}
              onEdit={() => modals.open('edit')}
            />
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ProjectOverviewCard project={project} />
        </Col>
        <Col xs={24} xl={10}>
          <InvestmentsCard editing={editing} onAdd={() => modals.open('investment')} />
        </Col>
        <Col xs={24} xl={10}>
          <MilestonesCard editing={editing} onOpen={modals.openMilestone} />
        </Col>
        <Col xs={24} xl={14}>
          <ReportsCard editing={editing} onAdd={() => modals.open('report')} />
        </Col>
      </Row>
      <ProjectModals editing={editing} modals={modals} />
    </>
  );
}
