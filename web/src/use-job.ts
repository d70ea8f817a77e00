import { useEffect, useState } from 'react';
import { apiClient, unwrap } from './api/client.ts';
import type { Job } from './api/types.ts';
import { errorMessage } from './api.ts';

const POLL_MS = 800;

/** Follows a background job until it ends, polling its progress; `null` follows nothing. */
export function useJob(id: string | null): { job: Job | null; error: string | null } {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await unwrap(apiClient.GET('/api/jobs/{id}', { params: { path: { id } } }));
        if (stopped) return;
        setJob(current);
        if (current.status === 'running') timer = setTimeout(poll, POLL_MS);
      } catch (failure) {
        if (!stopped) setError(errorMessage(failure));
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return { job, error };
}

export const jobPercent = (job: Job) =>
  job.status === 'succeeded'
    ? 100
    : job.progress.total > 0
      ? Math.min(99, Math.round((job.progress.done / job.progress.total) * 100))
      : 0;
