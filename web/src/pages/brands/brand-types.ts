import type {
  BrandKind,
  CertificationKind,
  EffectiveAuthorizationStatus,
  MediaChannelKind,
  PromotionEventKind,
} from '../../api/types.ts';

// Labels and form helpers of the brand pages; the answer types are in ../../api/types.ts.

export const brandKindLabels: Record<BrandKind, string> = {
  regional_public: '区域公用品牌',
  own: '“小而美”自主品牌',
};
export const brandKindColors: Record<BrandKind, string> = { regional_public: 'volcano', own: 'geekblue' };

export const effectiveStatusLabels: Record<EffectiveAuthorizationStatus, string> = {
  applied: '待审核',
  rejected: '已驳回',
  active: '有效',
  not_started: '未到起始日',
  expired: '已过期',
  suspended: '已暂停',
  revoked: '已撤销',
};
export const effectiveStatusColors: Record<EffectiveAuthorizationStatus, string> = {
  applied: 'processing',
  rejected: 'default',
  active: 'success',
  not_started: 'cyan',
  expired: 'warning',
  suspended: 'orange',
  revoked: 'error',
};

export const authorizationActionLabels: Record<string, string> = {
  applied: '提交申请',
  authorized: '审核通过并授权',
  rejected: '驳回申请',
  suspended: '暂停授权',
  reinstated: '恢复授权',
  revoked: '撤销授权',
  renewed: '续期',
};

export const certificationKindLabels: Record<CertificationKind, string> = {
  green_food: '绿色食品',
  organic: '有机产品',
  geographic_indication: '地理标志',
  compliance_certificate: '承诺达标合格证',
};

export const promotionEventKindLabels: Record<PromotionEventKind, string> = {
  expo: '展会',
  competition: '大赛',
  publicity: '宣传活动',
};
export const promotionEventKindColors: Record<PromotionEventKind, string> = {
  expo: 'volcano',
  competition: 'purple',
  publicity: 'blue',
};
export const mediaChannelKindLabels: Record<MediaChannelKind, string> = {
  new_media: '新媒体',
  traditional: '传统媒体',
};

export const batchUnits = ['盒', '袋', '箱', '瓶', '罐', '千克', '斤', '尾', '件'];
export const productCategories = ['食用菌', '干果', '水产', '杂粮', '果蔬', '畜禽', '加工食品', '其他'];

/** "12.5" or "1280" as the server takes prices: at most two decimals. */
export const pricePattern = /^\d{1,9}(\.\d{1,2})?$/;
