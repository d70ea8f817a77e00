import { App } from 'antd';
import { type RefObject, useRef, useState } from 'react';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { EvaluationDetail, EvaluationItem, Rectification } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { STALE_RECORD_MESSAGE, staleRecord } from '../../components/form-modal.tsx';
import type { Loaded } from '../../use-loader.ts';

const maxEvidenceBytes = 20 * 1024 * 1024;

export type PlanItem = { indicatorNo: number | null; finding: string; owner: string; deadline: string };

export type ItemChange = { score?: number | null; statement?: string | null };

export type Act = (call: () => Promise<unknown>, done: string) => Promise<boolean>;

/** The workflow requests of one evaluation; `act` runs them and shows their answer. */
export function evaluationCalls(id: string) {
  const params = { path: { id } };
  return {
    submit: () => unwrap(apiClient.POST('/api/evaluations/{id}/submit', { params })),
    review: (returns: Record<number, string>) => {
      const body = {
        returns: Object.entries(returns).map(([no, reason]) => ({ indicatorNo: Number(no), reason })),
      };
      return unwrap(apiClient.POST('/api/evaluations/{id}/review', { params, body }));
    },
    reopen: (reason: string) =>
      unwrap(apiClient.POST('/api/evaluations/{id}/reopen', { params, body: { reason } })),
    submitExpertScores: () =>
      unwrap(apiClient.POST('/api/evaluations/{id}/expert-scores/submit', { params })),
    assignExperts: (expertUserIds: string[]) =>
      unwrap(apiClient.POST('/api/evaluations/{id}/experts', { params, body: { expertUserIds } })),
    planRectification: (item: PlanItem) =>
      unwrap(apiClient.POST('/api/evaluations/{id}/rectifications', { params, body: { items: [item] } })),
    updateRectification: (rectification: Rectification, status: Rectification['status']) =>
      unwrap(
        apiClient.PATCH('/api/rectifications/{id}', {
          params: { path: { id: rectification.id } },
          body: { status, version: rectification.version },
        }),
      ),
    accept: (body: { acceptedOn: string; conclusion: string }) =>
      unwrap(apiClient.POST('/api/evaluations/{id}/acceptance', { params, body })),
  };
}

/**
 * Runs the evaluation's workflow calls one at a time: calls that answer with the evaluation replace what is
 * shown, and a 409 shows the evaluation as it is now.
 */
export function useEvaluationAct(evaluation: Loaded<EvaluationDetail>) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  // The evaluation as last answered, read when a save is sent: the version it carries is the newest known.
  const latest = useRef<EvaluationDetail | undefined>(undefined);
  latest.current = evaluation.data;
  // Bumped when a 409 loads the current evaluation: the inline inputs remount with its values.
  const [loadedGeneration, setLoadedGeneration] = useState(0);

  /** Runs one workflow call; calls that answer with the evaluation replace what is shown. */
  const act: Act = async (call, done) => {
    setBusy(true);
    try {
      const result = await call();
      if (result && typeof result === 'object' && 'items' in result) {
        latest.current = result as EvaluationDetail;
        evaluation.setData(result as EvaluationDetail);
      } else await evaluation.reload();
      // One message at a time, so scoring 28 rows does not stack 28 toasts.
      message.success({ content: done, key: 'evaluation-action' });
      return true;
    } catch (error) {
      const stale = staleRecord(error);
      if (stale?.current) {
        // Someone changed it meanwhile: show the evaluation as it is now, in the inputs too.
        latest.current = stale.current as EvaluationDetail;
        evaluation.setData(stale.current as EvaluationDetail);
        setLoadedGeneration((generation) => generation + 1);
        message.warning({ content: STALE_RECORD_MESSAGE, key: 'evaluation-action' });
      } else message.error({ content: errorMessage(error), key: 'evaluation-action' });
      return false;
    } finally {
      setBusy(false);
    }
  };

  return { busy, act, latest, loadedGeneration };
}

/** The inline saves of the indicator table: self-scores, statements, evidence and expert scores. */
export function useItemSaves(
  id: string,
  meId: string,
  act: Act,
  latest: RefObject<EvaluationDetail | undefined>,
) {
  const { message } = App.useApp();
  // Inline saves run one after another, so a second field's save sends the version the first one made.
  const saves = useRef<Promise<unknown>>(Promise.resolve());

  /** The item as last answered (its newest version), or as rendered before any answer. */
  const newest = (item: EvaluationItem) =>
    latest.current?.items.find((row) => row.indicatorNo === item.indicatorNo) ?? item;
  const inTurn = (save: () => Promise<boolean>) => {
    const run = saves.current.then(save);
    saves.current = run.catch(() => undefined);
    return run;
  };

  const saveItem = (item: EvaluationItem, change: ItemChange) =>
    inTurn(() => {
      const current = newest(item);
      return act(
        () =>
          unwrap(
            apiClient.PUT('/api/evaluations/{id}/items/{no}', {
              params: { path: { id, no: item.indicatorNo } },
              body: {
                score: change.score !== undefined ? change.score : current.selfScore,
                statement: change.statement !== undefined ? change.statement : current.statement,
                version: current.version,
              },
            }),
          ),
        `已保存指标 ${item.indicatorNo}`,
      );
    });

  const uploadEvidence = async (item: EvaluationItem, file: File) => {
    if (file.size > maxEvidenceBytes) {
      message.error(`证明材料不能超过 20 MB（${file.name}）`);
      return;
    }
    await act(
      () =>
        unwrap(
          apiClient.POST('/api/evaluations/{id}/items/{no}/evidence', {
            params: { path: { id, no: item.indicatorNo }, query: { fileName: file.name } },
            ...fileBody(file),
          }),
        ),
      `已上传 ${file.name}`,
    );
  };

  const myScore = (item: EvaluationItem) => item.expertScores.find((score) => score.expertId === meId);
  const saveExpertScore = (item: EvaluationItem, score: number | null, finding: string | null) => {
    if (score === null) return;
    void inTurn(() =>
      act(
        () =>
          unwrap(
            apiClient.PUT('/api/evaluations/{id}/expert-scores/{no}', {
              params: { path: { id, no: item.indicatorNo } },
              // A first score of the indicator has no version yet.
              body: { score, finding, version: myScore(newest(item))?.version ?? null },
            }),
          ),
        `已保存指标 ${item.indicatorNo} 的评分`,
      ),
    );
  };

  return { saveItem, uploadEvidence, myScore, saveExpertScore };
}
