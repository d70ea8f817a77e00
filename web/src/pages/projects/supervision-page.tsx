import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { useRegions } from '../../region-context.tsx';
import { DocumentsTab } from './documents-tab.tsx';
import { FindingsTab } from './findings-tab.tsx';
import { IncidentsTab } from './incidents-tab.tsx';
import { InspectionsTab } from './inspections-tab.tsx';

const tabKeys = ['findings', 'inspections', 'incidents', 'documents'] as const;
type TabKey = (typeof tabKeys)[number];
const isTabKey = (value: string | null): value is TabKey => tabKeys.includes(value as TabKey);

/** 监督检查: the problem list, inspections, compliance incidents and policy documents. */
export function SupervisionPage() {
  const { current } = useRegions();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  // The open tab lives in the address (`?tab=`), so a breadcrumb or a reload comes back to it.
  const activeTab: TabKey = isTabKey(requested) ? requested : 'findings';
  const openTab = (key: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.set('tab', key);
        return next;
      },
      { replace: true },
    );
  return (
    <>
      <PageHeader
        title="监督检查"
        crumbs={[{ title: '监督检查' }, ...(current ? [{ title: current.name }] : [])]}
        subtitle="日常监督检查、现场检查和第三方核查发现的问题清单，整改销号；违规违法事件与制度文件"
      />
      <Card>
        <Tabs
          data-testid="supervision-tabs"
          destroyOnHidden
          activeKey={activeTab}
          onChange={openTab}
          items={[
            { key: 'findings', label: '问题清单', children: <FindingsTab /> },
            { key: 'inspections', label: '检查记录', children: <InspectionsTab /> },
            { key: 'incidents', label: '违规违法事件', children: <IncidentsTab /> },
            { key: 'documents', label: '制度文件', children: <DocumentsTab /> },
          ]}
        />
      </Card>
    </>
  );
}
