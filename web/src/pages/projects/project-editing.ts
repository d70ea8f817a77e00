import { App } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ProjectDetail, ProjectStatus } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { staleRecord } from '../../components/form-modal.tsx';
import { type dayjs, todayInShanghai } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';

export type StatusAction = { to: ProjectStatus; label: string };
export type Milestone = ProjectDetail['milestones'][number];
export type Investment = ProjectDetail['investments'][number];
export type Photo = ProjectDetail['photos'][number];

export const statusActions: Record<ProjectStatus, StatusAction[]> = {
  planned: [
    { to: 'in_progress', label: '开工' },
    { to: 'suspended', label: '暂停' },
  ],
  in_progress: [
    { to: 'completed', label: '完工' },
    { to: 'suspended', label: '暂停' },
  ],
  suspended: [{ to: 'in_progress', label: '恢复建设' }],
  completed: [{ to: 'in_progress', label: '撤销完工' }],
};

/** The changes that record an actual day: the first start of work, and completion. */
export const dateLabel = (project: ProjectDetail, to: ProjectStatus) =>
  to === 'completed' ? '实际完工日期' : to === 'in_progress' && !project.actualStart ? '实际开工日期' : null;

/** An actual day cannot lie in the future. */
export const afterToday = (value: dayjs.Dayjs) => value.format('YYYY-MM-DD') > todayInShanghai();

/**
 * What a card or modal needs to change the project: `save` runs a request answering the changed project
 * and shows it; `report` shows a failure of a change started outside a form.
 */
export type ProjectEditing = {
  id: string;
  project: ProjectDetail;
  writable: boolean;
  save: (request: () => Promise<ProjectDetail>, done: string) => Promise<void>;
  report: (promise: Promise<unknown>) => Promise<unknown>;
};

/** Loads one project, and the `save` / `report` its cards change it through. */
export function useProjectDetail(id: string) {
  const { message } = App.useApp();
  const loaded = useLoader(
    () => unwrap(apiClient.GET('/api/projects/{id}', { params: { path: { id } } })),
    id,
  );
  const save = async (request: () => Promise<ProjectDetail>, done: string) => {
    try {
      loaded.setData(await request());
      message.success(done);
    } catch (failure) {
      // Someone else changed the project: show it as it is now, so trying again works.
      const stale = staleRecord(failure);
      if (stale?.current) loaded.setData(stale.current as ProjectDetail);
      throw failure;
    }
  };
  const report = (promise: Promise<unknown>) =>
    promise.catch((failure) => message.error(errorMessage(failure)));
  return { loaded, save, report };
}

export const changeStatus = (
  { id, project, save }: ProjectEditing,
  action: StatusAction,
  on?: string | null,
) =>
  save(
    () =>
      unwrap(
        apiClient.POST('/api/projects/{id}/status', {
          params: { path: { id } },
          body: { status: action.to, on: on ?? null, version: project.version },
        }),
      ),
    `已${action.label}`,
  );

export type ProjectModal = 'edit' | 'status' | 'milestone' | 'milestone-done' | 'report' | 'investment';

/** Which modal of the project page is open, and what it works on. */
export function useProjectModals() {
  const [modal, setModal] = useState<ProjectModal | null>(null);
  // Each opening mounts a fresh form, so it starts from what it edits this time, not from the last one.
  const [openings, setOpenings] = useState(0);
  // What the open modal works on; kept after closing so a closing modal does not change its title.
  const [statusAction, setStatusAction] = useState<StatusAction | null>(null);
  const [targetMilestone, setTargetMilestone] = useState<Milestone | null>(null);
  const open = (which: ProjectModal) => {
    setOpenings((count) => count + 1);
    setModal(which);
  };
  return {
    modal,
    openings,
    statusAction,
    targetMilestone,
    open,
    close: () => setModal(null),
    openStatus: (action: StatusAction) => {
      setStatusAction(action);
      open('status');
    },
    openMilestone: (which: 'milestone' | 'milestone-done', target: Milestone | null) => {
      setTargetMilestone(target);
      open(which);
    },
  };
}

export type ProjectModalState = ReturnType<typeof useProjectModals>;
