import { DeleteOutlined, DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Row,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { BrandDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { AuthorizationPanel } from './authorization-panel.tsx';
import { BrandFormModal } from './brand-form-modal.tsx';
import { BrandKindTag } from './brand-list-page.tsx';

function StandardCard({
  brand,
  writable,
  onSaved,
}: {
  brand: BrandDetail;
  writable: boolean;
  onSaved: (brand: BrandDetail) => void;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    setUploading(true);
    try {
      onSaved(
        await unwrap(
          apiClient.POST('/api/brands/{id}/standard-file', {
            params: { path: { id: brand.id }, query: { fileName: file.name } },
            ...fileBody(file),
          }),
        ),
      );
      message.success('已上传品牌标准文件');
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Card
      title="品牌标准"
      data-testid="standard-card"
      extra={
        writable && (
          <Upload
            accept=".pdf,.doc,.docx,.png,.jpg,.jpeg"
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="standard-upload">
              {brand.standardFile ? '更换标准文件' : '上传标准文件'}
            </Button>
          </Upload>
        )
      }
    >
      {brand.standardText ? (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="standard-text">
          {brand.standardText}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary">
          尚未填写标准内容{writable ? '，可点击“编辑”补充准入条件、质量要求和包装标识等' : ''}。
        </Typography.Paragraph>
      )}
      {brand.standardFile ? (
        <a href={`/api/brands/${brand.id}/standard-file`} data-testid="standard-file">
          <DownloadOutlined /> {brand.standardFile.fileName}
        </a>
      ) : (
        <Typography.Text type="secondary">尚未上传标准文件（PDF、Word 或图片，≤ 20 MB）。</Typography.Text>
      )}
    </Card>
  );
}

function BrandProductsCard({ detail }: { detail: BrandDetail }) {
  return (
    <Card title={`产品（${detail.products.length}）`} data-testid="brand-products">
      {detail.products.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="还没有使用本品牌的产品；在“网货产品”中登记产品时选择本品牌即可。"
        />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {detail.products.map((product) => (
            <Space key={product.id}>
              <Link to={`/brands/products/${product.id}`}>{product.name}</Link>
              {product.online && <Tag color="blue">网货</Tag>}
              <Typography.Text type="secondary">{product.entityName ?? ''}</Typography.Text>
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}

function BrandBasicsCard({ detail }: { detail: BrandDetail }) {
  const regional = detail.kind === 'regional_public';
  return (
    <Card title="基本信息" data-testid="brand-basics">
      <Descriptions column={1} size="middle">
        <Descriptions.Item label="所在e镇">{detail.etownName}</Descriptions.Item>
        <Descriptions.Item label="注册商标号">{detail.trademarkNumber ?? '—'}</Descriptions.Item>
        {!regional && (
          <>
            <Descriptions.Item label="权利人">
              {detail.ownerEntityId ? (
                <Link to={`/entities/${detail.ownerEntityId}`}>{detail.ownerEntityName}</Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="母品牌">
              {detail.parentBrandId ? (
                <Link to={`/brands/${detail.parentBrandId}`}>{detail.parentBrandName}</Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label="品牌简介">
          <span style={{ whiteSpace: 'pre-wrap' }}>{detail.description ?? '—'}</span>
        </Descriptions.Item>
        {regional && (
          <Descriptions.Item label="子品牌">
            {detail.childBrands.length === 0 ? (
              <Typography.Text type="secondary">暂无（登记自主品牌时可选择本品牌为母品牌）</Typography.Text>
            ) : (
              <Space size={[0, 4]} wrap>
                {detail.childBrands.map((child) => (
                  <Link key={child.id} to={`/brands/${child.id}`}>
                    <Tag>{child.name}</Tag>
                  </Link>
                ))}
              </Space>
            )}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

export function BrandDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const brand = useLoader(() => unwrap(apiClient.GET('/api/brands/{id}', { params: { path: { id } } })), id);
  const [editing, setEditing] = useState(false);
  const writable = can.writeBrands(me.role);
  const crumbs = [{ title: '品牌与网货', to: '/brands' }];

  if (brand.loading && !brand.data) {
    return (
      <>
        <PageHeader title="品牌" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (brand.notFound) {
    return (
      <>
        <PageHeader title="品牌" crumbs={crumbs} />
        <Card>
          <NotFoundState what="品牌" backTo="/brands" backLabel="返回品牌列表" />
        </Card>
      </>
    );
  }
  if (!brand.data) {
    return (
      <>
        <PageHeader title="品牌" crumbs={crumbs} />
        <ErrorState message={brand.error ?? '加载失败'} onRetry={brand.reload} />
      </>
    );
  }
  const detail = brand.data;
  const regional = detail.kind === 'regional_public';

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            <span data-testid="brand-title">{detail.name}</span>
            <BrandKindTag kind={detail.kind} />
          </Space>
        }
        crumbs={[...crumbs, { title: detail.etownName }, { title: detail.name }]}
        subtitle={`${detail.etownName} · 最后更新 ${formatMinute(detail.updatedAt)}`}
        extra={
          writable && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="brand-edit">
                编辑
              </Button>
              <Popconfirm
                title={`删除品牌“${detail.name}”？`}
                description="仅没有授权、产品和子品牌的品牌可以删除。"
                onConfirm={async () => {
                  try {
                    await apiClient.DELETE('/api/brands/{id}', { params: { path: { id: detail.id } } });
                    message.success('已删除品牌');
                    navigate('/brands');
                  } catch (failure) {
                    message.error(errorMessage(failure));
                  }
                }}
              >
                <Button danger icon={<DeleteOutlined />} data-testid="brand-delete">
                  删除
                </Button>
              </Popconfirm>
            </>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <BrandBasicsCard detail={detail} />
        </Col>
        <Col xs={24} xl={12}>
          {regional ? (
            <StandardCard brand={detail} writable={writable} onSaved={(saved) => brand.setData(saved)} />
          ) : (
            <BrandProductsCard detail={detail} />
          )}
        </Col>
        {regional && (
          <Col span={24}>
            <AuthorizationPanel brand={detail} onChanged={() => void brand.reload()} />
          </Col>
        )}
        {regional && (
          <Col span={24}>
            <BrandProductsCard detail={detail} />
          </Col>
        )}
      </Row>
      {writable && (
        <BrandFormModal
          open={editing}
          brand={detail}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            brand.setData(saved);
            message.success('已保存');
          }}
        />
      )}
    </>
  );
}
