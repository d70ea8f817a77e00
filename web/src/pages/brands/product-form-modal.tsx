import { AutoComplete, Form, Input, Select, Switch } from 'antd';
import { apiClient, unwrap } from '../../api/client.ts';
import type { ProductDetail } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { useMe } from '../../session.tsx';
import { useLoader } from '../../use-loader.ts';
import { brandKindLabels, pricePattern, productCategories } from './brand-types.ts';

type ProductFormValues = {
  entityId: string;
  brandId: string;
  name: string;
  category?: string;
  specification?: string;
  priceYuan?: string;
  online: boolean;
  description?: string;
};

const fieldNames = [
  'entityId',
  'brandId',
  'name',
  'category',
  'specification',
  'priceYuan',
  'online',
  'description',
];

/** Sends the form: a new product is created, an edited one carries the version it was read at. */
async function saveProduct(
  product: ProductDetail | undefined,
  values: ProductFormValues,
): Promise<ProductDetail> {
  const body = {
    entityId: values.entityId,
    brandId: values.brandId,
    name: values.name.trim(),
    category: values.category?.trim() || null,
    specification: values.specification?.trim() || null,
    priceYuan: values.priceYuan?.trim() || null,
    online: values.online,
    description: values.description?.trim() || null,
  };
  return product
    ? await unwrap(
        apiClient.PATCH('/api/products/{id}', {
          params: { path: { id: product.id } },
          body: { ...body, version: product.version },
        }),
      )
    : await unwrap(apiClient.POST('/api/products', { body }));
}

/** Registers a product, or edits one; the producer is chosen among the region's entities (an enterprise: itself). */
export function ProductFormModal({
  open,
  onClose,
  product,
  regionCode,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  product?: ProductDetail;
  regionCode: string | null;
  onSaved: (product: ProductDetail) => void;
}) {
  const me = useMe();
  const isEnterprise = me.role === 'enterprise';
  const scopeCode = product ? product.etownCode : (regionCode ?? undefined);
  const entities = useLoader(
    open
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: {
                query: { regionCode: isEnterprise ? undefined : scopeCode, status: 'active', pageSize: 200 },
              },
            }),
          )
      : null,
    `${open}|${scopeCode}`,
  );
  const brands = useLoader(
    open
      ? () =>
          unwrap(
            apiClient.GET('/api/brands', {
              params: { query: { regionCode: isEnterprise ? undefined : scopeCode?.slice(0, 6) } },
            }),
          )
      : null,
    `${open}|${scopeCode}`,
  );
  return (
    <FormModal<ProductFormValues>
      title={product ? `编辑产品：${product.name}` : '登记产品'}
      open={open}
      onClose={onClose}
      testId="product-form"
      okText="保存"
      width={640}
      fieldNames={fieldNames}
      initialValues={
        product
          ? {
              entityId: product.entityId ?? undefined,
              brandId: product.brandId ?? undefined,
              name: product.name,
              category: product.category ?? undefined,
              specification: product.specification ?? undefined,
              priceYuan: product.priceYuan ?? undefined,
              online: product.online,
              description: product.description ?? undefined,
            }
          : { online: true, entityId: isEnterprise ? (me.scope.entityId ?? undefined) : undefined }
      }
      onSubmit={async (values) => onSaved(await saveProduct(product, values))}
    >
      <Form.Item
        name="name"
        label="产品名称"
        rules={[{ required: true, whitespace: true, message: '请填写产品名称' }]}
      >
        <Input maxLength={100} placeholder="如：垣曲猴头菇礼盒" data-testid="product-name" />
      </Form.Item>
      <Form.Item name="entityId" label="生产主体" rules={[{ required: true, message: '请选择生产主体' }]}>
        <Select
          showSearch
          disabled={isEnterprise}
          optionFilterProp="label"
          loading={entities.loading}
          options={(entities.data?.items ?? []).map((entity) => ({ value: entity.id, label: entity.name }))}
          placeholder="选择生产或经营该产品的市场主体"
          data-testid="product-entity"
        />
      </Form.Item>
      <Form.Item name="brandId" label="品牌" rules={[{ required: true, message: '请选择品牌' }]}>
        <Select
          showSearch
          optionFilterProp="label"
          loading={brands.loading}
          options={(brands.data ?? []).map((brand) => ({
            value: brand.id,
            label: `${brand.name}（${brandKindLabels[brand.kind]}）`,
          }))}
          placeholder="选择区域公用品牌或自主品牌"
          data-testid="product-brand"
          notFoundContent="本县还没有登记品牌，请先在“品牌”中登记"
        />
      </Form.Item>
      <Form.Item name="category" label="品类">
        <AutoComplete
          options={productCategories.map((category) => ({ value: category }))}
          placeholder="如：食用菌"
          maxLength={40}
          data-testid="product-category"
        />
      </Form.Item>
      <Form.Item name="specification" label="规格">
        <Input maxLength={100} placeholder="如：250g×4袋/盒" data-testid="product-specification" />
      </Form.Item>
      <Form.Item
        name="priceYuan"
        label="零售价（元）"
        rules={[{ pattern: pricePattern, message: '请填写不超过两位小数的金额，如 59.90' }]}
      >
        <Input prefix="¥" maxLength={13} placeholder="59.90" data-testid="product-price" />
      </Form.Item>
      <Form.Item name="online" label="网货（在网上销售）" valuePropName="checked">
        <Switch checkedChildren="是" unCheckedChildren="否" data-testid="product-online" />
      </Form.Item>
      <Form.Item name="description" label="产品介绍">
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
    </FormModal>
  );
}
