import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BuildOutlined,
  CheckSquareOutlined,
  CloudDownloadOutlined,
  ControlOutlined,
  EnvironmentOutlined,
  HeatMapOutlined,
  IdcardOutlined,
  LineChartOutlined,
  LogoutOutlined,
  MoneyCollectOutlined,
  QrcodeOutlined,
  ReadOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  SoundOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Flex, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/types.ts';
import { can } from '../permissions.ts';
import { RegionProvider, useRegionLink, useRegions } from '../region-context.tsx';
import { useMe, useSession } from '../session.tsx';
import { DisableTotpModal } from './disable-totp-modal.tsx';
import { NotificationBell } from './notification-bell.tsx';
import { RegionTreeSelect } from './region-tree-select.tsx';

/** 三员分立 roles must keep the second factor on. */
const adminRoles: Role[] = ['auditor', 'security_admin', 'system_admin'];

export const platformName = 'e镇通 · 山西省乡村e镇管理平台';

type MenuEntry = { key: string; label: string; icon: React.ReactNode };

function useMenuEntries(): MenuEntry[] {
  const me = useMe();
  const entries: MenuEntry[] = [];
  if (can.readRegions(me.role)) {
    entries.push({
      key: '/regions',
      label: me.role === 'security_admin' ? '区划' : '区划与e镇',
      icon: <ApartmentOutlined />,
    });
  }
  if (can.readEtowns(me.role))
    entries.push({ key: '/etowns', label: 'e镇档案', icon: <EnvironmentOutlined /> });
  if (can.readLeadingGroups(me.role)) {
    entries.push({ key: '/leading-groups', label: '领导小组', icon: <TeamOutlined /> });
  }
  if (can.readOverview(me.role))
    entries.push({ key: '/overview', label: '指标总览', icon: <HeatMapOutlined /> });
  if (can.readEvaluations(me.role))
    entries.push({ key: '/evaluations', label: '评价', icon: <CheckSquareOutlined /> });
  if (can.readEntities(me.role)) {
    entries.push({
      key: '/entities',
      label: me.role === 'enterprise' ? '本企业 / 入驻申请' : '市场主体',
      icon: <ShopOutlined />,
    });
  }
  if (can.readTrainees(me.role))
    entries.push({ key: '/trainees', label: '学员档案', icon: <IdcardOutlined /> });
  if (can.readTrainings(me.role))
    entries.push({ key: '/trainings', label: '培训场次', icon: <ReadOutlined /> });
  if (can.readTalentPeople(me.role))
    entries.push({ key: '/talent-people', label: '专家、带头人与网红', icon: <SolutionOutlined /> });
  if (can.readBrands(me.role)) entries.push({ key: '/brands', label: '品牌与网货', icon: <TagsOutlined /> });
  if (can.readTrace(me.role)) entries.push({ key: '/trace', label: '扫码分析', icon: <QrcodeOutlined /> });
  if (can.readProjects(me.role)) {
    entries.push({ key: '/projects', label: '项目与设施', icon: <BuildOutlined /> });
    entries.push({ key: '/supervision', label: '监督检查', icon: <SafetyCertificateOutlined /> });
  }
  if (can.readPromotion(me.role))
    entries.push({ key: '/promotion', label: '展会与宣传', icon: <SoundOutlined /> });
  if (can.readStats(me.role))
    entries.push({ key: '/stats/monthly', label: '月度统计', icon: <LineChartOutlined /> });
  if (can.readStats(me.role))
    entries.push({ key: '/stats/aggregates', label: '统计汇总', icon: <BarChartOutlined /> });
  if (can.readCityOutputGrowth(me.role))
    entries.push({ key: '/stats/city-output-growth', label: '市级增长率', icon: <RiseOutlined /> });
  if (can.manageStatsSettings(me.role))
    entries.push({ key: '/stats/settings', label: '统计设置', icon: <ControlOutlined /> });
  if (can.readFunds(me.role))
    entries.push({ key: '/funds', label: '资金管理', icon: <MoneyCollectOutlined /> });
  if (can.readLedger(me.role) || can.importLedger(me.role))
    entries.push({ key: '/downloads', label: '下载中心', icon: <CloudDownloadOutlined /> });
  if (can.manageUsers(me.role)) entries.push({ key: '/users', label: '用户管理', icon: <UserOutlined /> });
  if (can.readAudit(me.role)) entries.push({ key: '/audit', label: '审计日志', icon: <AuditOutlined /> });
  if (can.manageSettings(me.role))
    entries.push({ key: '/settings', label: '系统设置', icon: <SettingOutlined /> });
  return entries;
}

function RegionSwitcher() {
  const { roots, loading, currentCode, setCurrentCode } = useRegions();
  const location = useLocation();
  const navigate = useNavigate();
  if (!loading && roots.length === 0) return null;
  const onChange = (value: string | string[]) => {
    const code = Array.isArray(value) ? value[0] : value;
    if (!code) return;
    const section = location.pathname.split('/')[1];
    if (section === 'regions') navigate(`/regions/${code}?region=${code}`);
    else if (section === 'etowns' || section === 'leading-groups') navigate(`/${section}?region=${code}`);
    else setCurrentCode(code);
  };
  return (
    <Flex align="center" gap={8}>
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        当前区划
      </Typography.Text>
      <RegionTreeSelect
        testId="region-switcher"
        roots={roots}
        value={currentCode}
        onChange={onChange}
        loading={loading}
        style={{ width: 220 }}
        placeholder="选择区划"
      />
    </Flex>
  );
}

function Shell() {
  const me = useMe();
  const { logout } = useSession();
  const entries = useMenuEntries();
  const location = useLocation();
  const navigate = useNavigate();
  const regionLink = useRegionLink();
  const [collapsed, setCollapsed] = useState(false);
  const [disablingTotp, setDisablingTotp] = useState(false);
  // The longest menu key the address starts with, so /stats/monthly and /stats/settings each light up.
  const selected =
    entries
      .map((entry) => entry.key)
      .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`))
      .sort((a, b) => b.length - a.length)[0] ?? '';

  const items: MenuProps['items'] = entries.map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label: entry.label,
    'data-testid': `menu-${entry.key.slice(1)}`,
  }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header" data-testid="app-header">
        <Link to="/" className="app-brand">
          <span className="app-brand-mark">e</span>
          <span className="app-brand-name">{platformName}</span>
        </Link>
        <Flex align="center" gap={20} style={{ marginLeft: 'auto' }}>
          {can.readRegions(me.role) && <RegionSwitcher />}
          <NotificationBell />
          <Space size={8} data-testid="current-user">
            {me.isDemo && (
              <Tooltip title="本账号及其数据为演示数据，仅供体验">
                <Tag color="gold" data-testid="demo-tag">
                  演示数据
                </Tag>
              </Tooltip>
            )}
            <Dropdown
              menu={{
                items: [
                  { key: 'password', label: '修改密码' },
                  me.totpEnabled
                    ? { key: 'totp-off', label: '关闭动态口令', disabled: adminRoles.includes(me.role) }
                    : { key: 'totp-on', label: '绑定动态口令' },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') navigate('/setup/password');
                  if (key === 'totp-on') navigate('/setup/totp');
                  if (key === 'totp-off') setDisablingTotp(true);
                },
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="account-menu">
                <span className="user-name" data-testid="user-display-name">
                  {me.displayName}
                </span>
              </Button>
            </Dropdown>
            <Tag color="blue" data-testid="user-role">
              {me.roleLabel}
            </Tag>
            <Tooltip title="数据范围">
              <Tag data-testid="user-scope">{me.scope.label}</Tag>
            </Tooltip>
          </Space>
          <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
            退出
          </Button>
        </Flex>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          theme="light"
          width={200}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          className="app-sider"
        >
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={items}
            onClick={({ key }) => navigate(regionLink(key))}
            data-testid="side-menu"
            style={{ borderInlineEnd: 'none' }}
          />
        </Layout.Sider>
        <Layout.Content className="app-content">
          <Outlet />
        </Layout.Content>
        <DisableTotpModal open={disablingTotp} onClose={() => setDisablingTotp(false)} />
      </Layout>
    </Layout>
  );
}

export function AppLayout() {
  return (
    <RegionProvider>
      <Shell />
    </RegionProvider>
  );
}
