import { DeleteOutlined, EditOutlined, LinkOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Image,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { CertificationKind, ProductDetail } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { dayjs, formatDate, formatMinute } from '../../time.ts';
import { useLoader } from '../../use-loader.ts';
import { AuthorizationStatusTag } from './authorization-panel.tsx';
import { BrandKindTag } from './brand-list-page.tsx';
import { certificationKindLabels } from './brand-types.ts';
import { ProductBatchesCard } from './product-batches-card.tsx';
import { ProductFormModal } from './product-form-modal.tsx';

type Save = (request: () => Promise<ProductDetail>, done: string) => Promise<void>;

/** For actions outside a form (confirmations, uploads): a failure is told, not thrown. */
function useReport() {
  const { message } = App.useApp();
  return (promise: Promise<unknown>) =>
    promise.catch((failure) => {
      message.error(errorMessage(failure));
    });
}

function PhotosCard({ product, writable, save }: { product: ProductDetail; writable: boolean; save: Save }) {
  const [uploading, setUploading] = useState(false);
  const report = useReport();
  return (
    <Card
      title="产品图片"
      data-testid="photos-card"
      extra={
        writable && (
          <Upload
            accept="image/jpeg,image/png,image/webp"
            showUploadList={false}
            multiple
            beforeUpload={(file) => {
              setUploading(true);
              void report(
                save(
                  () =>
                    unwrap(
                      apiClient.POST('/api/products/{id}/photos', {
                        params: { path: { id: product.id }, query: { fileName: file.name } },
                        ...fileBody(file),
                      }),
                    ),
                  `已上传 ${file.name}`,
                ),
              ).finally(() => setUploading(false));
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="photo-upload">
              上传图片
            </Button>
          </Upload>
        )
      }
    >
      {product.photos.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            writable
              ? '还没有图片。点击“上传图片”添加 JPEG、PNG 或 WebP 图片（≤ 5 MB），第一张作为封面。'
              : '还没有图片'
          }
        />
      ) : (
        <Image.PreviewGroup>
          <Space wrap size={12}>
            {product.photos.map((photo) => (
              <div key={photo.id} style={{ position: 'relative' }} data-testid="product-photo">
                <Image
                  src={`/api/products/${product.id}/photos/${photo.id}`}
                  width={112}
                  height={112}
                  style={{ objectFit: 'cover', borderRadius: 6 }}
                  alt={photo.fileName}
                />
                {writable && (
                  <Popconfirm
                    title="删除这张图片？"
                    onConfirm={() =>
                      report(
                        save(
                          () =>
                            unwrap(
                              apiClient.DELETE('/api/products/{id}/photos/{photoId}', {
                                params: { path: { id: product.id, photoId: photo.id } },
                              }),
                            ),
                          '已删除图片',
                        ),
                      )
                    }
                  >
                    <Button
                      size="small"
                      danger
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label="删除图片"
                      style={{ position: 'absolute', top: 2, right: 2, background: 'rgba(255,255,255,0.85)' }}
                    />
                  </Popconfirm>
                )}
              </div>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
    </Card>
  );
}

function ProductShopModal({
  productId,
  available,
  open,
  onClose,
  save,
}: {
  productId: ProductDetail['id'];
  available: ProductDetail['entityShops'];
  open: boolean;
  onClose: () => void;
  save: Save;
}) {
  return (
    <FormModal<{ shopId: string; url?: string }>
      title="关联销售网店"
      open={open}
      onClose={onClose}
      testId="product-shop-modal"
      fieldNames={['shopId', 'url']}
      onSubmit={(values) =>
        save(
          () =>
            unwrap(
              apiClient.POST('/api/products/{id}/shops', {
                params: { path: { id: productId } },
                body: { shopId: values.shopId, url: values.url?.trim() || null },
              }),
            ),
          '已关联网店',
        )
      }
    >
      <Form.Item name="shopId" label="网店" rules={[{ required: true, message: '请选择网店' }]}>
        <Select
          options={available.map((shop) => ({
            value: shop.id,
            label: `${shop.platform} · ${shop.shopName}`,
          }))}
          data-testid="product-shop-select"
        />
      </Form.Item>
      <Form.Item
        name="url"
        label="商品链接"
        rules={[{ type: 'url', message: '请填写以 http:// 或 https:// 开头的网址' }]}
      >
        <Input maxLength={500} placeholder="https://" />
      </Form.Item>
    </FormModal>
  );
}

function ShopsCard({ product, writable, save }: { product: ProductDetail; writable: boolean; save: Save }) {
  const [adding, setAdding] = useState(false);
  const report = useReport();
  const linked = new Set(product.shops.map((shop) => shop.shopId));
  const available = product.entityShops.filter((shop) => !linked.has(shop.id));
  return (
    <Card
      title="销售网店"
      data-testid="product-shops-card"
      extra={
        writable &&
        product.entityId && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={available.length === 0}
            onClick={() => setAdding(true)}
            data-testid="product-shop-add"
          >
            关联网店
          </Button>
        )
      }
    >
      <Table
        rowKey="shopId"
        size="small"
        pagination={false}
        dataSource={product.shops}
        locale={{
          emptyText: !product.entityId
            ? '请先为产品选择生产主体'
            : product.entityShops.length === 0
              ? '生产主体还没有登记网店，请先在市场主体档案中添加网店'
              : '还没有关联网店，点击“关联网店”选择销售本产品的网店',
        }}
        columns={[
          { title: '平台', dataIndex: 'platform', width: 100, render: (value: string) => <Tag>{value}</Tag> },
          { title: '店铺', dataIndex: 'shopName' },
          {
            title: '商品链接',
            dataIndex: 'url',
            render: (url: string | null) =>
              url ? (
                <a href={url} target="_blank" rel="noopener noreferrer">
                  <LinkOutlined /> 打开
                </a>
              ) : (
                '—'
              ),
          },
          ...(writable
            ? [
                {
                  title: '',
                  width: 50,
                  render: (_: unknown, shop: ProductDetail['shops'][number]) => (
                    <Popconfirm
                      title={`取消关联“${shop.shopName}”？`}
                      onConfirm={() =>
                        report(
                          save(
                            () =>
                              unwrap(
                                apiClient.DELETE('/api/products/{id}/shops/{shopId}', {
                                  params: { path: { id: product.id, shopId: shop.shopId } },
                                }),
                              ),
                            '已取消关联',
                          ),
                        )
                      }
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label="取消关联"
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ProductShopModal
        productId={product.id}
        available={available}
        open={adding}
        onClose={() => setAdding(false)}
        save={save}
      />
    </Card>
  );
}

type CertificationForm = {
  kind: CertificationKind;
  number: string;
  issuer?: string;
  term?: [Dayjs | null, Dayjs | null];
};

type Certification = ProductDetail['certifications'][number];

/** Kind, number, issuer and term; the edit and delete buttons are added for writers. */
function certificationColumns({
  writable,
  onEdit,
  onRemove,
}: {
  writable: boolean;
  onEdit: (certification: Certification) => void;
  onRemove: (certification: Certification) => Promise<unknown>;
}): TableColumnsType<Certification> {
  return [
    {
      title: '类型',
      dataIndex: 'kind',
      width: 130,
      render: (kind: CertificationKind) => <Tag color="green">{certificationKindLabels[kind]}</Tag>,
    },
    { title: '证书编号', dataIndex: 'number' },
    { title: '发证机构', dataIndex: 'issuer', render: (issuer: string | null) => issuer ?? '—' },
    {
      title: '有效期',
      width: 260,
      render: (_: unknown, certification: Certification) => (
        <Space size={4}>
          <span>
            {certification.validFrom || certification.validTo
              ? `${formatDate(certification.validFrom)} 至 ${formatDate(certification.validTo)}`
              : '长期'}
          </span>
          {certification.expired && (
            <Tag color="warning" data-testid="certification-expired">
              已过期
            </Tag>
          )}
        </Space>
      ),
    },
    ...(writable
      ? [
          {
            title: '',
            width: 90,
            render: (_: unknown, certification: Certification) => (
              <Space size={0}>
                <Button
                  size="small"
                  type="text"
                  icon={<EditOutlined />}
                  aria-label="编辑认证"
                  onClick={() => onEdit(certification)}
                />
                <Popconfirm title="删除这条认证？" onConfirm={() => onRemove(certification)}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="删除认证" />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
}

function CertificationModal({
  productId,
  current,
  open,
  onClose,
  onStale,
  save,
}: {
  productId: ProductDetail['id'];
  /** The certification being edited; null adds a new one. */
  current: Certification | null;
  open: boolean;
  onClose: () => void;
  onStale: (reloaded: ProductDetail) => void;
  save: Save;
}) {
  return (
    <FormModal<CertificationForm>
      title={current ? '编辑认证' : '添加认证'}
      open={open}
      onClose={onClose}
      testId="certification-modal"
      fieldNames={['kind', 'number', 'issuer']}
      onStale={(reloaded) => onStale(reloaded as ProductDetail)}
      initialValues={
        current
          ? {
              kind: current.kind,
              number: current.number,
              issuer: current.issuer ?? undefined,
              term: [
                current.validFrom ? dayjs(current.validFrom) : null,
                current.validTo ? dayjs(current.validTo) : null,
              ],
            }
          : { kind: 'green_food' }
      }
      onSubmit={(values) => {
        const body = {
          kind: values.kind,
          number: values.number.trim(),
          issuer: values.issuer?.trim() || null,
          validFrom: values.term?.[0]?.format('YYYY-MM-DD') ?? null,
          validTo: values.term?.[1]?.format('YYYY-MM-DD') ?? null,
        };
        return save(
          () =>
            current
              ? unwrap(
                  apiClient.PUT('/api/products/{id}/certifications/{certificationId}', {
                    params: { path: { id: productId, certificationId: current.id } },
                    body: { ...body, version: current.version },
                  }),
                )
              : unwrap(
                  apiClient.POST('/api/products/{id}/certifications', {
                    params: { path: { id: productId } },
                    body,
                  }),
                ),
          current ? '已保存认证' : '已添加认证',
        );
      }}
    >
      <Form.Item name="kind" label="认证类型" rules={[{ required: true, message: '请选择认证类型' }]}>
        <Select
          options={(Object.keys(certificationKindLabels) as CertificationKind[]).map((kind) => ({
            value: kind,
            label: certificationKindLabels[kind],
          }))}
          data-testid="certification-kind"
        />
      </Form.Item>
      <Form.Item
        name="number"
        label="证书编号"
        rules={[{ required: true, whitespace: true, message: '请填写证书编号' }]}
      >
        <Input maxLength={60} data-testid="certification-number" />
      </Form.Item>
      <Form.Item name="issuer" label="发证机构">
        <Input maxLength={100} placeholder="如：中国绿色食品发展中心" />
      </Form.Item>
      <Form.Item name="term" label="有效期" extra="长期有效可不填">
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          style={{ width: '100%' }}
          data-testid="certification-term"
        />
      </Form.Item>
    </FormModal>
  );
}

function CertificationsCard({
  product,
  writable,
  save,
  onReloaded,
}: {
  product: ProductDetail;
  writable: boolean;
  save: Save;
  /** A 409 handed the product as it is now: the page shows it. */
  onReloaded: (product: ProductDetail) => void;
}) {
  const [editing, setEditing] = useState<Certification | 'new' | null>(null);
  const report = useReport();
  const current = editing && editing !== 'new' ? editing : null;
  const remove = (certification: Certification) =>
    report(
      save(
        () =>
          unwrap(
            apiClient.DELETE('/api/products/{id}/certifications/{certificationId}', {
              params: { path: { id: product.id, certificationId: certification.id } },
            }),
          ),
        '已删除认证',
      ),
    );
  return (
    <Card
      title="认证"
      data-testid="certifications-card"
      extra={
        writable && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="certification-add"
          >
            添加认证
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={product.certifications}
        data-testid="certification-table"
        locale={{ emptyText: '暂无认证。绿色食品、有机产品、地理标志和承诺达标合格证可在此登记。' }}
        columns={certificationColumns({ writable, onEdit: setEditing, onRemove: remove })}
      />
      <CertificationModal
        productId={product.id}
        current={current}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onStale={(now) => {
          onReloaded(now);
          // The certification as it is now is what the form edits; gone, the form closes.
          setEditing(now.certifications.find((row) => row.id === current?.id) ?? null);
        }}
        save={save}
      />
    </Card>
  );
}

function ProductBasicsCard({ detail }: { detail: ProductDetail }) {
  return (
    <Card title="基本信息" data-testid="product-basics">
      <Descriptions column={1} size="middle">
        <Descriptions.Item label="品牌">
          <Space wrap>
            {detail.brandId ? (
              <Link to={`/brands/${detail.brandId}`}>{detail.brandName}</Link>
            ) : (
              detail.brandName
            )}
            {detail.brandKind && <BrandKindTag kind={detail.brandKind} />}
          </Space>
        </Descriptions.Item>
        {detail.brandKind === 'regional_public' && (
          <Descriptions.Item label="品牌授权">
            {detail.brandAuthorization ? (
              <Space wrap>
                <AuthorizationStatusTag status={detail.brandAuthorization.effectiveStatus} />
                {detail.brandAuthorization.certificateNumber && (
                  <Typography.Text>{detail.brandAuthorization.certificateNumber}</Typography.Text>
                )}
                {detail.brandAuthorization.validTo && (
                  <Typography.Text type="secondary">
                    至 {formatDate(detail.brandAuthorization.validTo)}
                  </Typography.Text>
                )}
              </Space>
            ) : (
              <Typography.Text type="warning">
                生产主体尚未获得该区域公用品牌授权，扫码页不显示品牌
              </Typography.Text>
            )}
          </Descriptions.Item>
        )}
        <Descriptions.Item label="生产主体">
          {detail.entityId ? (
            <Link to={`/entities/${detail.entityId}`}>{detail.entityName}</Link>
          ) : (
            '—（台账导入，请编辑选择）'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="品类">{detail.category ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="规格">{detail.specification ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="零售价">
          <span data-testid="product-price-value">{detail.priceYuan ? `¥${detail.priceYuan}` : '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="产品介绍">
          <span style={{ whiteSpace: 'pre-wrap' }}>{detail.description ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export function ProductDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const product = useLoader(
    () => unwrap(apiClient.GET('/api/products/{id}', { params: { path: { id } } })),
    id,
  );
  const [editing, setEditing] = useState(false);
  const writable = can.writeProducts(me.role);
  const crumbs = [
    { title: '品牌与网货', to: '/brands' },
    { title: '网货产品', to: '/brands/products' },
  ];

  if (product.loading && !product.data) {
    return (
      <>
        <PageHeader title="产品" crumbs={crumbs} />
        <LoadingState />
      </>
    );
  }
  if (product.notFound) {
    return (
      <>
        <PageHeader title="产品" crumbs={crumbs} />
        <Card>
          <NotFoundState what="产品" backTo="/brands/products" backLabel="返回产品列表" />
        </Card>
      </>
    );
  }
  if (!product.data) {
    return (
      <>
        <PageHeader title="产品" crumbs={crumbs} />
        <ErrorState message={product.error ?? '加载失败'} onRetry={product.reload} />
      </>
    );
  }
  const detail = product.data;
  const save: Save = async (request, done) => {
    product.setData(await request());
    message.success(done);
  };

  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            <span data-testid="product-title">{detail.name}</span>
            {detail.online ? <Tag color="blue">网货</Tag> : <Tag>非网货</Tag>}
          </Space>
        }
        crumbs={[...crumbs, { title: detail.name }]}
        subtitle={`${detail.etownName} · 最后更新 ${formatMinute(detail.updatedAt)}`}
        extra={
          writable && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="product-edit">
                编辑
              </Button>
              <Popconfirm
                title={`删除产品“${detail.name}”？`}
                description="已有批次的产品不能删除。"
                onConfirm={async () => {
                  try {
                    await apiClient.DELETE('/api/products/{id}', { params: { path: { id: detail.id } } });
                    message.success('已删除产品');
                    navigate('/brands/products');
                  } catch (failure) {
                    message.error(errorMessage(failure));
                  }
                }}
              >
                <Button danger icon={<DeleteOutlined />} data-testid="product-delete">
                  删除
                </Button>
              </Popconfirm>
            </>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ProductBasicsCard detail={detail} />
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <PhotosCard product={detail} writable={writable} save={save} />
            <ShopsCard product={detail} writable={writable} save={save} />
          </Space>
        </Col>
        <Col span={24}>
          <CertificationsCard
            product={detail}
            writable={writable}
            save={save}
            onReloaded={(reloaded) => product.setData(reloaded)}
          />
        </Col>
        <Col span={24}>
          <ProductBatchesCard product={detail} writable={writable} onChanged={() => void product.reload()} />
        </Col>
      </Row>
      {writable && (
        <ProductFormModal
          open={editing}
          product={detail}
          regionCode={detail.etownCode}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            product.setData(saved);
            message.success('已保存');
          }}
        />
      )}
    </>
  );
}
