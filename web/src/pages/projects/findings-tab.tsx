import { Segmented } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import type { FindingStatus } from '../../api/types.ts';
import { ErrorState } from '../../components/states.tsx';
import { useRegions } from '../../region-context.tsx';
import { useLoader } from '../../use-loader.ts';
import { FindingsTable } from './finding-table.tsx';
import { findingStatusLabels, optionsOf } from './project-types.ts';

export function FindingsTab() {
  const { currentCode, loading: regionsLoading } = useRegions();
  const [filter, setFilter] = useState<'all' | 'overdue' | FindingStatus>('all');
  const query = {
    regionCode: currentCode ?? undefined,
    status: filter === 'all' || filter === 'overdue' ? undefined : filter,
    overdue: filter === 'overdue' ? ('true' as const) : undefined,
  };
  const findings = useLoader(
    regionsLoading ? null : () => unwrap(apiClient.GET('/api/findings', { params: { query } })),
    JSON.stringify(query) + regionsLoading,
  );

  return (
    <>
      <Segmented<'all' | 'overdue' | FindingStatus>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: '全部' },
          { value: 'overdue', label: '已逾期' },
          ...optionsOf(findingStatusLabels),
        ]}
        data-testid="finding-filter"
      />
      {findings.error ? (
        <ErrorState message={findings.error} onRetry={findings.reload} />
      ) : (
        <FindingsTable
          findings={findings.data ?? []}
          loading={findings.loading || regionsLoading}
          onChanged={() => void findings.reload()}
          showInspection
          emptyText="问题清单为空"
        />
      )}
    </>
  );
}
