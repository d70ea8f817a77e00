import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiClient, unwrap } from './api/client.ts';
import type { RegionNode } from './api/types.ts';
import { errorMessage } from './api.ts';
import { can } from './permissions.ts';
import { useMe } from './session.tsx';

export type IndexedRegion = RegionNode & { parentCode: string | null; path: RegionNode[] };

type RegionState = {
  roots: RegionNode[];
  loading: boolean;
  error: string | null;
  byCode: Map<string, IndexedRegion>;
  /** The region the header switcher points at (URL `?region=`), defaulting to the first visible root. */
  currentCode: string | null;
  current: IndexedRegion | null;
  setCurrentCode: (code: string) => void;
  reload: () => Promise<void>;
};

const RegionContext = createContext<RegionState | null>(null);

export function useRegions(): RegionState {
  const state = useContext(RegionContext);
  if (!state) throw new Error('useRegions must be used inside RegionProvider');
  return state;
}

function indexTree(roots: RegionNode[]): Map<string, IndexedRegion> {
  const index = new Map<string, IndexedRegion>();
  const visit = (node: RegionNode, parent: IndexedRegion | null) => {
    const path = parent ? [...parent.path, node] : [node];
    const entry: IndexedRegion = { ...node, parentCode: parent?.code ?? null, path };
    index.set(node.code, entry);
    for (const child of node.children) visit(child, entry);
  };
  for (const root of roots) visit(root, null);
  return index;
}

export function RegionProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const enabled = can.readRegions(me.role);
  const [roots, setRoots] = useState<RegionNode[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();

  const reload = useCallback(async () => {
    if (!enabled) return;
    setLoading(true);
    try {
      const tree = await unwrap(apiClient.GET('/api/regions'));
      setRoots(tree.roots);
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setLoading(false);
    }
  }, [enabled]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const byCode = useMemo(() => indexTree(roots), [roots]);
  const requested = searchParams.get('region');
  const currentCode = requested && byCode.has(requested) ? requested : (roots[0]?.code ?? null);
  const current = currentCode ? (byCode.get(currentCode) ?? null) : null;

  const setCurrentCode = useCallback(
    (code: string) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.set('region', code);
          return next;
        },
        { replace: false },
      );
    },
    [setSearchParams],
  );

  const value = useMemo(
    () => ({ roots, loading, error, byCode, currentCode, current, setCurrentCode, reload }),
    [roots, loading, error, byCode, currentCode, current, setCurrentCode, reload],
  );
  return <RegionContext.Provider value={value}>{children}</RegionContext.Provider>;
}

/** Appends the current region to an in-app link, so moving between pages keeps the switcher's choice. */
export function useRegionLink() {
  const [searchParams] = useSearchParams();
  const region = searchParams.get('region');
  return useCallback(
    (path: string) =>
      region ? `${path}${path.includes('?') ? '&' : '?'}region=${encodeURIComponent(region)}` : path,
    [region],
  );
}
