import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from './api.ts';

export type Loaded<T> = {
  data: T | undefined;
  loading: boolean;
  error: string | null;
  notFound: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
};

/**
 * Loads one thing for a page, keeping loading / not-found / error apart. It loads again whenever `key` changes
 * (compared with Object.is), so callers pass what the request depends on; a null `load` waits.
 */
export function useLoader<T>(load: (() => Promise<T>) | null, key: unknown): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(load !== null);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const current = loadRef.current;
    if (!current) {
      setLoading(false);
      return;
    }
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await current();
      if (mine !== generation.current) return;
      setData(result);
      setError(null);
      setNotFound(false);
    } catch (failure) {
      if (mine !== generation.current) return;
      setNotFound(failure instanceof ApiError && failure.status === 404);
      setError(errorMessage(failure));
      setData(undefined);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  const waiting = load === null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what the caller's load reads
  useEffect(() => {
    if (!waiting) void reload();
  }, [reload, key, waiting]);

  return { data, loading, error, notFound, reload, setData };
}
