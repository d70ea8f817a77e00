import { Form, Input, Radio, Select } from 'antd';
import { apiClient, unwrap } from '../../api/client.ts';
import type { BrandDetail, BrandKind, EtownSummary } from '../../api/types.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { useLoader } from '../../use-loader.ts';
import { brandKindLabels } from './brand-types.ts';

type BrandFormValues = {
  etownCode: string;
  kind: BrandKind;
  name: string;
  description?: string;
  standardText?: string;
  trademarkNumber?: string;
  ownerEntityId?: string | null;
  parentBrandId?: string | null;
};

const fieldNames = [
  'etownCode',
  'kind',
  'name',
  'description',
  'standardText',
  'trademarkNumber',
  'ownerEntityId',
  'parentBrandId',
];

function OwnBrandFields({ etownCode }: { etownCode: string | undefined }) {
  const entities = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/entities', {
              params: { query: { regionCode: etownCode, status: 'active', pageSize: 200 } },
            }),
          )
      : null,
    etownCode,
  );
  const regionalBrands = useLoader(
    etownCode
      ? () =>
          unwrap(
            apiClient.GET('/api/brands', {
              params: { query: { regionCode: etownCode.slice(0, 6), kind: 'regional_public' } },
            }),
          )
      : null,
    etownCode,
  );
  return (
    <>
      <Form.Item
        name="trademarkNumber"
        label="注册商标号"
        rules={[{ pattern: /^[0-9A-Za-z-]{4,20}$/, message: '注册商标号须为 4–20 位数字或字母' }]}
        extra="商标注册证上的注册号；尚未注册可暂不填写"
      >
        <Input maxLength={20} data-testid="brand-trademark" />
      </Form.Item>
      <Form.Item name="ownerEntityId" label="权利人（市场主体）">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          loading={entities.loading}
          placeholder={etownCode ? '选择本e镇的市场主体' : '请先选择所在e镇'}
          options={(entities.data?.items ?? []).map((entity) => ({ value: entity.id, label: entity.name }))}
          data-testid="brand-owner"
        />
      </Form.Item>
      <Form.Item name="parentBrandId" label="母品牌" extra="“区域公用品牌 + 企业自有品牌”的母子品牌">
        <Select
          allowClear
          loading={regionalBrands.loading}
          placeholder="选择本县的区域公用品牌"
          options={(regionalBrands.data ?? []).map((brand) => ({ value: brand.id, label: brand.name }))}
          data-testid="brand-parent"
        />
      </Form.Item>
    </>
  );
}

/** Sends the form: a new brand is created with its e-town and kind, an edited one keeps them. */
async function saveBrand(brand: BrandDetail | undefined, values: BrandFormValues): Promise<BrandDetail> {
  const own = values.kind === 'own';
  const fields = {
    name: values.name.trim(),
    description: values.description?.trim() || null,
    standardText: own ? null : values.standardText?.trim() || null,
    trademarkNumber: values.trademarkNumber?.trim() || null,
    ownerEntityId: own ? (values.ownerEntityId ?? null) : null,
    parentBrandId: own ? (values.parentBrandId ?? null) : null,
  };
  return brand
    ? await unwrap(
        apiClient.PATCH('/api/brands/{id}', {
          params: { path: { id: brand.id } },
          body: { ...fields, version: brand.version },
        }),
      )
    : await unwrap(
        apiClient.POST('/api/brands', {
          body: { ...fields, etownCode: values.etownCode, kind: values.kind },
        }),
      );
}

/** Registers a brand, or edits one (the e-town and the kind stay as registered). */
export function BrandFormModal({
  open,
  onClose,
  brand,
  etowns = [],
  defaultEtownCode,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  brand?: BrandDetail;
  etowns?: EtownSummary[];
  defaultEtownCode?: string;
  onSaved: (brand: BrandDetail) => void;
}) {
  const editing = Boolean(brand);
  return (
    <FormModal<BrandFormValues>
      title={brand ? `编辑品牌：${brand.name}` : '登记品牌'}
      open={open}
      onClose={onClose}
      testId="brand-form"
      fieldNames={fieldNames}
      width={640}
      okText="保存"
      initialValues={
        brand
          ? {
              etownCode: brand.etownCode,
              kind: brand.kind,
              name: brand.name,
              description: brand.description ?? undefined,
              standardText: brand.standardText ?? undefined,
              trademarkNumber: brand.trademarkNumber ?? undefined,
              ownerEntityId: brand.ownerEntityId,
              parentBrandId: brand.parentBrandId,
            }
          : { kind: 'regional_public', etownCode: defaultEtownCode ?? etowns[0]?.code }
      }
      onSubmit={async (values) => onSaved(await saveBrand(brand, values))}
    >
      {(form) => (
        <>
          <Form.Item name="etownCode" label="所在e镇" rules={[{ required: true, message: '请选择所在e镇' }]}>
            <Select
              disabled={editing}
              options={
                brand
                  ? [{ value: brand.etownCode, label: brand.etownName }]
                  : etowns.map((etown) => ({ value: etown.code, label: etown.name }))
              }
              placeholder="选择e镇"
              data-testid="brand-etown"
            />
          </Form.Item>
          <Form.Item name="kind" label="品牌类型" rules={[{ required: true, message: '请选择品牌类型' }]}>
            <Radio.Group
              disabled={editing}
              optionType="button"
              options={(Object.keys(brandKindLabels) as BrandKind[]).map((kind) => ({
                value: kind,
                label: brandKindLabels[kind],
              }))}
              data-testid="brand-kind"
            />
          </Form.Item>
          <Form.Item
            name="name"
            label="品牌名称"
            rules={[{ required: true, whitespace: true, message: '请填写品牌名称' }]}
          >
            <Input maxLength={50} placeholder="如：垣曲六宝" data-testid="brand-name" />
          </Form.Item>
          <Form.Item name="description" label="品牌简介">
            <Input.TextArea rows={2} maxLength={2000} data-testid="brand-description" />
          </Form.Item>
          <Form.Item
            noStyle
            shouldUpdate={(previous, next) =>
              previous.kind !== next.kind || previous.etownCode !== next.etownCode
            }
          >
            {() =>
              form.getFieldValue('kind') === 'own' ? (
                <OwnBrandFields etownCode={form.getFieldValue('etownCode')} />
              ) : (
                <Form.Item
                  name="standardText"
                  label="品牌标准"
                  extra="准入条件、质量要求、包装标识等；标准文件（PDF/Word）可在品牌详情页上传"
                >
                  <Input.TextArea
                    rows={6}
                    maxLength={20000}
                    placeholder="如：地三宝（猴头菇、黑木耳、羊肚菌）须产自垣曲县域内备案基地……"
                    data-testid="brand-standard-text"
                  />
                </Form.Item>
              )
            }
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
