import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export type Crumb = { title: string; to?: string };

type PageHeaderProps = {
  title: ReactNode;
  crumbs?: Crumb[];
  subtitle?: ReactNode;
  extra?: ReactNode;
};

/** Breadcrumbs, the page title and the page's main actions, the same on every screen. */
export function PageHeader({ title, crumbs = [], subtitle, extra }: PageHeaderProps) {
  return (
    <div className="page-header" data-testid="page-header">
      {crumbs.length > 0 && (
        <Breadcrumb
          data-testid="breadcrumb"
          items={crumbs.map((crumb) => ({
            key: `${crumb.title}-${crumb.to ?? ''}`,
            title: crumb.to ? <Link to={crumb.to}>{crumb.title}</Link> : crumb.title,
          }))}
        />
      )}
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginTop: 8 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
    </div>
  );
}
