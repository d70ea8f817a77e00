import type {
  DocumentKind,
  EntityTag,
  FacilityFeature,
  FacilityKind,
} from '../../../../src/indicators/ledger-schema.ts';

// The ledger vocabulary in the words of src/indicators/ledger-schema.ts (and so of the XLSX template the
// clerks fill in). Copied, not imported: that module builds zod schemas at load time and would pull zod
// into the web bundle; the key types keep the copies complete.

export const documentKindLabels: Record<DocumentKind, string> = {
  plan: '实施方案和发展规划',
  reward_policy: '电商企业奖励办法',
  brand_management: '区域公用品牌运行和管理制度',
  streamlining_policy: '“放管服”专门政策',
  leading_group: '工作领导小组文件',
  fund_management: '资金管理办法',
};

export const entityTagLabels: Record<EntityTag, string> = {
  ecommerce: '电子商务企业',
  leading: '龙头企业',
  cross_border: '跨境电商企业',
  finance_outlet: '金融服务网点',
  telecom_outlet: '通讯服务网点',
  rnd: '电商研发机构',
};

export const facilityKindLabels: Record<FacilityKind, string> = {
  service_center: '电商公共服务中心',
  showroom: '电商产品展示体验中心',
  logistics_center: '物流配送中心',
  training_center: '电商产业培训孵化中心',
};

export const facilityFeatureLabels: Record<FacilityFeature, string> = {
  big_data_center: '大数据中心',
  live_room: '直播间',
  display: '产品陈列展示',
  tasting: '体验品鉴',
  sales_matching: '销售对接',
  sorting: '分拣',
  cold_storage: '冷链仓储',
  dispatch: '配送调度',
  office: '办公',
};

export const brandKindLabels: Record<string, string> = {
  regional_public: '区域公用品牌',
  own: '“小而美”自主品牌',
};
export const eventKindLabels: Record<string, string> = {
  expo: '展会',
  competition: '大赛',
  publicity: '宣传活动',
};
export const mediaChannelKindLabels: Record<string, string> = {
  new_media: '新媒体',
  traditional: '传统媒体',
};
export const personRoleLabels: Record<string, string> = {
  expert: '电商专家',
  business_leader: '商业带头人',
  influencer: '本地网红',
};
export const incidentCategoryLabels: Record<string, string> = {
  land: '用地',
  environment: '生态环保',
  debt: '债务防控',
  housing_speculation: '房住不炒',
  work_safety: '生产安全',
};

/** A code as people read it: its label, or the code itself when the vocabulary does not know it. */
export function labelOf(labels: Record<string, string>, code: string): string {
  return labels[code] ?? code;
}
