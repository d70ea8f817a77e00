import { Tabs } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { can } from '../../permissions.ts';
import { useRegionLink } from '../../region-context.tsx';
import { useMe } from '../../session.tsx';

/** The sections of 资金管理, as tabs under the page header. */
export function FundsNav() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const regionLink = useRegionLink();
  const items = [
    { key: '/funds/applications', label: '资金申请' },
    { key: '/funds/budgets', label: '预算与额度' },
    { key: '/funds/policies', label: '资金政策' },
    ...(can.readDisbursementRequests(me.role)
      ? [{ key: '/funds/disbursement-requests', label: '拨付审批' }]
      : []),
    ...(can.readFundReports(me.role)
      ? [
          { key: '/funds/reports', label: '使用情况' },
          { key: '/funds/disclosure', label: '公示名单' },
        ]
      : []),
  ];
  const active = items.find((item) => location.pathname.startsWith(item.key))?.key ?? items[0]?.key;
  return (
    <Tabs
      activeKey={active}
      items={items}
      onChange={(key) => navigate(regionLink(key))}
      data-testid="funds-nav"
      style={{ marginBottom: 8 }}
    />
  );
}
