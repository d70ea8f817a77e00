import type { CountyTier, DocumentKind, FacilityFeature, FacilityKind } from './ledger-schema.ts';

/**
 * Indicator catalogs are data: each indicator is a list of conditions of a few generic kinds that the
 * engine knows how to evaluate. A new province rule or a county's own targets is a new catalog version,
 * not a code branch; versions are never edited once published, so a submitted evaluation (which records
 * the catalog id and version it used) always re-evaluates the same way.
 */

/** Lists of the ledger a count condition can count in. */
export type CountableList =
  | 'leadingIndustries'
  | 'documents'
  | 'entities'
  | 'supplyChains'
  | 'pavilions'
  | 'brands'
  | 'products'
  | 'events'
  | 'mediaChannels'
  | 'trainings'
  | 'people'
  | 'complianceIncidents';

/**
 * Counts the items of a list (or sums one integer field of them) and checks min ≤ value ≤ max.
 * `where`: every field equals the value, or, for a list field such as `tags`, includes it.
 * `window`: only items dated in the year ("in_year") or on or before its 31 December ("by_year").
 * `label` and `unit` make the sentence "2024年新增法人单位8个，少于10个"; `{year}` is replaced.
 */
export type CountCondition = {
  type: 'count';
  list: CountableList;
  where?: Readonly<Record<string, string | boolean>>;
  window?: 'in_year' | 'by_year';
  sumOf?: 'attendance';
  distinct?: boolean;
  min?: number;
  max?: number;
  label: string;
  unit: string;
  fact: string;
  requiredFact?: string;
  itemsFact?: string;
};

/** A document of this kind issued on or before 31 December of the year. */
export type DocumentCondition = { type: 'document'; kind: DocumentKind; label: string };

/** At least one facility of this kind within the area bounds (m², inclusive) having every feature. */
export type FacilityCondition = {
  type: 'facility';
  kind: FacilityKind;
  label: string;
  minAreaM2?: string;
  maxAreaM2?: string;
  features: readonly FacilityFeature[];
  countFact?: string;
  areaFact?: string;
};

export type MoneyMeasure = 'output' | 'online_retail' | 'investment';

/**
 * A money total at least the tier's threshold (yuan, decimal strings). `output` and `online_retail` sum
 * the monthly rows of the months of the year; `investment` sums investments dated by the year's end.
 */
export type AmountCondition = {
  type: 'amount';
  measure: MoneyMeasure;
  thresholdYuan: Readonly<Record<CountyTier, string>>;
  label: string;
  fact: string;
  targetFact: string;
};

/**
 * Year-on-year growth (Y over Y−1, in percent, exact) at least a fixed percentage or the city's
 * `cityOutputGrowthPct` plus some percentage points. Pending when the previous year's total is 0.
 */
export type GrowthCondition = {
  type: 'growth';
  measure: 'output' | 'online_retail';
  minimum: { kind: 'fixed'; pct: string } | { kind: 'city_output_growth_plus'; points: string };
  label: string;
  fact: string;
  previousFact: string;
  requiredFact: string;
};

/**
 * min ≤ land area ≤ max (km²), or building area ≥ minimum (m²). The land area is the boundary's geodesic
 * area when a boundary is given, else `landAreaKm2`. Unmet when what is given fails; pending when
 * neither land nor building area is given.
 */
export type SiteScaleCondition = {
  type: 'site_scale';
  landAreaKm2: { min: string; max: string };
  minBuildingAreaM2: string;
};

/** A target the ledger format has no data for: always pending, with this reason. */
export type NotInLedgerCondition = { type: 'not_in_ledger'; reason: string };

/**
 * Counts the platform supplies beside a ledger, never carried by a ledger file (whose contract stays as
 * it is): `training_institutions` are the e-town's registry entities tagged 培训机构 (registry-only tag),
 * registered by the year's end and not exited by then.
 */
export const platformCountSources = ['training_institutions'] as const;
export type PlatformCountSource = (typeof platformCountSources)[number];

/**
 * At least `min` items of a platform count (see `EvaluationOptions.platformCounts`). Pending, with
 * `pendingReason`, when evaluated without the platform's data (a ledger file on its own).
 */
export type PlatformCountCondition = {
  type: 'platform_count';
  source: PlatformCountSource;
  min: number;
  label: string;
  unit: string;
  fact: string;
  itemsFact?: string;
  pendingReason: string;
};

export type Condition =
  | CountCondition
  | DocumentCondition
  | FacilityCondition
  | AmountCondition
  | GrowthCondition
  | SiteScaleCondition
  | NotInLedgerCondition
  | PlatformCountCondition;

export type IndicatorDefinition = {
  no: number;
  /** Short name for scorecards. */
  title: string;
  /** 项目, the Annex-2 group. */
  category: string;
  /** 建设内容, as worded in the Annex. */
  content: string;
  /** 建设标准, as worded in the Annex. */
  standard: string;
  conditions: readonly Condition[];
};

export type CatalogReference = { id: string; version: number };

export type IndicatorCatalog = CatalogReference & {
  title: string;
  /** The province's binding indicators, or one county's own targets on top of a given base catalog. */
  layer: { kind: 'province' } | { kind: 'county_add_on'; countyCode: string; base: CatalogReference };
  indicators: readonly IndicatorDefinition[];
};

const tierThresholds = (pilotDemo: string, overallAdvance: string, keySupport: string) => ({
  pilot_demo: pilotDemo,
  overall_advance: overallAdvance,
  key_support: keySupport,
});

const count = (
  list: CountableList,
  label: string,
  unit: string,
  fact: string,
  options: Omit<CountCondition, 'type' | 'list' | 'label' | 'unit' | 'fact'>,
): CountCondition => ({ type: 'count', list, label, unit, fact, ...options });

const document = (kind: DocumentKind, label: string): DocumentCondition => ({
  type: 'document',
  kind,
  label,
});

/** Annex 2 (附件2) of the county plan: the province's 28 binding indicators (约束性指标). */
export const provinceCatalogV1: IndicatorCatalog = {
  id: 'shanxi-province',
  version: 1,
  title: '山西省乡村e镇建设约束性指标',
  layer: { kind: 'province' },
  indicators: [
    {
      no: 1,
      title: '乡村e镇方案和发展规划',
      category: '一、科学谋划布局',
      content: '高标准编制乡村 e 镇方案和发展规划。',
      standard: '与实施方案协调一致，区域经济协调一致。',
      conditions: [document('plan', '乡村e镇实施方案或发展规划')],
    },
    {
      no: 2,
      title: '主导产业',
      category: '二、培育乡村 e 镇主导产业',
      content: '培育最具核心竞争力的特色产业。',
      standard: '主导产业数量 1—3 个。',
      conditions: [
        count('leadingIndustries', '主导产业', '个', 'count', {
          distinct: true,
          min: 1,
          max: 3,
          itemsFact: 'leadingIndustries',
        }),
      ],
    },
    {
      no: 3,
      title: '产业链供应链',
      category: '二、培育乡村 e 镇主导产业',
      content: '对接省内外优势电商产业和市场优质资源，建立和完善乡村 e 镇电商产业链供应链。',
      standard: '不少于 1 个乡村 e 镇上下游产业链供应链。',
      conditions: [
        count('supplyChains', '产业链供应链', '个', 'count', { min: 1, requiredFact: 'required' }),
      ],
    },
    {
      no: 4,
      title: '电商龙头企业',
      category: '三、培育引进电子商务企业',
      content: '发展壮大市场主体，引进培育一批电商龙头企业。',
      standard: '引进和培育在本市有一定影响电商龙头企业不少于 5 家。',
      conditions: [
        count('entities', '电商龙头企业', '家', 'count', {
          where: { tags: 'leading' },
          min: 5,
          requiredFact: 'required',
        }),
      ],
    },
    {
      no: 5,
      title: '电商企业奖励办法',
      category: '三、培育引进电子商务企业',
      content: '对注册和引进到乡村 e 镇的电子商务企业以及乡村 e 镇内电商业绩突出的企业给予奖励。',
      standard: '制定资金奖励办法，明确奖补标准。',
      conditions: [document('reward_policy', '电商企业资金奖励办法')],
    },
    {
      no: 6,
      title: '本地产品特色馆',
      category: '三、培育引进电子商务企业',
      content: '在电商平台建设山西产品特色馆。',
      standard: '至少在国内有影响的电商平台建立 1 个本地产品特色馆。',
      conditions: [count('pavilions', '本地产品特色馆', '个', 'count', { min: 1, requiredFact: 'required' })],
    },
    {
      no: 7,
      title: '金融服务网点',
      category: '三、培育引进电子商务企业',
      content: '开展金融扶持，对接金融机构，创新金融产品，为企业提供优惠金融服务。',
      standard: '至少引进 1 家金融服务网点。',
      conditions: [
        count('entities', '金融服务网点', '家', 'count', {
          where: { tags: 'finance_outlet' },
          min: 1,
          requiredFact: 'required',
        }),
      ],
    },
    {
      no: 8,
      title: '区域公用品牌、自主品牌和网货产品',
      category: '四、打造区域公用品牌',
      content: '打造做强区域公用品牌，创建一批“小而美”特色产品自主品牌，开发一批适销对路的网货产品。',
      standard: '打造或做强当地区域公用品牌不少于 1 个，“小而美”自主品牌不少于 5 个，网货产品不少于 5 款。',
      conditions: [
        count('brands', '区域公用品牌', '个', 'regionalPublicBrands', {
          where: { kind: 'regional_public' },
          min: 1,
        }),
        count('brands', '“小而美”自主品牌', '个', 'ownBrands', { where: { kind: 'own' }, min: 5 }),
        count('products', '网货产品', '款', 'onlineProducts', { where: { online: true }, min: 5 }),
      ],
    },
    {
      no: 9,
      title: '区域公用品牌运行和管理制度',
      category: '四、打造区域公用品牌',
      content: '建立区域公用品牌运行和管理制度。',
      standard: '制定建立区域公用品牌运行和管理制度。',
      conditions: [document('brand_management', '区域公用品牌运行和管理制度')],
    },
    {
      no: 10,
      title: '品牌展会和宣传矩阵',
      category: '四、打造区域公用品牌',
      content:
        '做好品牌营销推广机制，挖掘品牌内涵，讲好品牌故事，创新品牌营销，组织开展区域公用品牌线上、线下营销推广活动，畅通线上线下销售渠道。',
      standard:
        '每年举办或参加不少于1次区域公用品牌展会；建立线上及线下宣传矩阵，宣传推广区域公用品牌（建立新媒体与传统媒体宣传渠道）。',
      conditions: [
        count('events', '区域公用品牌展会', '次', 'expoEventsInYear', {
          where: { kind: 'expo' },
          window: 'in_year',
          min: 1,
        }),
        count('mediaChannels', '新媒体宣传渠道', '个', 'newMediaChannels', {
          where: { kind: 'new_media' },
          min: 1,
        }),
        count('mediaChannels', '传统媒体宣传渠道', '个', 'traditionalMediaChannels', {
          where: { kind: 'traditional' },
          min: 1,
        }),
      ],
    },
    {
      no: 11,
      title: '电商产业培训孵化中心',
      category: '五、培育乡村e镇商业带头人',
      content: '建立电商产业培训孵化中心。',
      standard:
        '可与跨境电子商务创业培训基地共用，建筑面积不少于100平方米，培训人数不少于500人次。（电子商务进农村综合示范县，要统筹使用培训中心）',
      conditions: [
        {
          type: 'facility',
          kind: 'training_center',
          label: '电商产业培训孵化中心',
          minAreaM2: '100',
          features: [],
          areaFact: 'trainingCenterAreaM2',
        },
        count('trainings', '培训', '人次', 'attendanceByYear', {
          sumOf: 'attendance',
          window: 'by_year',
          min: 500,
        }),
      ],
    },
    {
      no: 12,
      title: '电商专家和商业带头人',
      category: '五、培育乡村e镇商业带头人',
      content: '培育一批具有示范带动效应的商业带头人。',
      standard: '聘用专家不少于5人，培育带头人不少5人。',
      conditions: [
        count('people', '聘用电商专家', '人', 'experts', { where: { role: 'expert' }, min: 5 }),
        count('people', '培育商业带头人', '人', 'businessLeaders', {
          where: { role: 'business_leader' },
          min: 5,
        }),
      ],
    },
    {
      no: 13,
      title: '本地网红',
      category: '五、培育乡村e镇商业带头人',
      content: '培育一批本地网红，发挥网红效应。',
      standard: '培育本地网红数量不少于5人。',
      conditions: [
        count('people', '本地网红', '个', 'count', {
          where: { role: 'influencer' },
          min: 5,
          requiredFact: 'required',
        }),
      ],
    },
    {
      no: 14,
      title: '创业创新和技能大赛',
      category: '五、培育乡村e镇商业带头人',
      content: '举办创业创新和技能大赛。',
      standard: '每年举办大赛不少于1次。',
      conditions: [
        count('events', '举办创业创新和技能大赛', '次', 'competitionsInYear', {
          where: { kind: 'competition' },
          window: 'in_year',
          min: 1,
        }),
      ],
    },
    {
      no: 15,
      title: '电商公共服务中心',
      category: '六、健全电商公共服务体系',
      content: '建立乡村e镇电商服务中心。',
      standard:
        '建筑面积不少于1000平方米；能满足入驻企业需要，建立大数据中心，至少设立1个主直播间，发挥综合协调服务功能。',
      conditions: [
        {
          type: 'facility',
          kind: 'service_center',
          label: '电商公共服务中心',
          minAreaM2: '1000',
          features: ['big_data_center', 'live_room'],
          countFact: 'serviceCenters',
        },
      ],
    },
    {
      no: 16,
      title: '电商产品展示体验中心',
      category: '六、健全电商公共服务体系',
      content: '建立电商产品展示体验中心，宣传展示推介山西优特产品和优势资源。',
      standard: '建筑面积 ≥ 100平方米， ≤ 300平方米。 功能区域包括：产品线下陈列展示、体验品鉴、销售对接。',
      conditions: [
        {
          type: 'facility',
          kind: 'showroom',
          label: '电商产品展示体验中心',
          minAreaM2: '100',
          maxAreaM2: '300',
          features: ['display', 'tasting', 'sales_matching'],
          countFact: 'showrooms',
        },
      ],
    },
    {
      no: 17,
      title: '物流配送中心',
      category: '七、完善物流配送体系',
      content: '建立乡村e镇物流配送中心。',
      standard: '建筑面积原则上不少于500平方米，功能区划与基础设施根据实际需要配备。',
      conditions: [
        {
          type: 'facility',
          kind: 'logistics_center',
          label: '物流配送中心',
          minAreaM2: '500',
          features: [],
          countFact: 'logisticsCenters',
        },
      ],
    },
    {
      no: 18,
      title: '“放管服”专门政策',
      category: '八、优化营商环境',
      content: '在乡村e镇内推动“放管服”改革，创新管理模式，提高服务水平，营造良好营商环境。',
      standard: '针对“乡村e镇”制定“放管服”的专门政策。',
      conditions: [document('streamlining_policy', '“放管服”专门政策')],
    },
    {
      no: 19,
      title: '宣传活动',
      category: '九、加强宣传强化管理',
      content: '利用各种媒体，加大对乡村 e 镇相关政策、活动、经验、成效的宣传报道力度。',
      standard: '每年开展不少于 2 次以上有关“乡村 e 镇”内容的宣传活动。',
      conditions: [
        count('events', '开展乡村e镇宣传活动', '次', 'publicityEventsInYear', {
          where: { kind: 'publicity' },
          window: 'in_year',
          min: 2,
        }),
      ],
    },
    {
      no: 20,
      title: '合规合法',
      category: '九、加强宣传强化管理',
      content: '强化管理，确保乡村 e 镇在用地、生态环保、债务防控、房住不炒和生产安全等方面合规合法。',
      standard: '确保合规合法，不发生违规违法事件。',
      conditions: [
        count('complianceIncidents', '违规违法事件', '起', 'incidentsInYear', {
          window: 'in_year',
          max: 0,
          itemsFact: 'incidents',
        }),
      ],
    },
    {
      no: 21,
      title: '工作领导小组',
      category: '十、加强组织领导',
      content:
        '建立县委或政府一名负责同志牵头成立乡村 e 镇工作领导组，相关部门共同参与的工作协调推进机制，明确各部门工作职责并形成工作合力。',
      standard: '建立和完善相应体制机制。',
      conditions: [document('leading_group', '成立乡村e镇工作领导小组的文件')],
    },
    {
      no: 22,
      title: '资金管理办法',
      category: '十、加强组织领导',
      content: '鼓励各地优先采取项目补助、贷款贴息、以奖代补等支持方式，开展乡村 e 镇打造工作。',
      standard: '制定资金管理办法，明确支持标准。',
      conditions: [document('fund_management', '资金管理办法')],
    },
    {
      no: 23,
      title: '年总产值',
      category: '十一、产业定位',
      content: '保证乡村 e 镇建成后“十四五”期间，年总产值同比增长率高于所在市平均水平 2 百分点。',
      standard:
        '先行示范县不少于 2 亿元/年(验收当年)。整体推进县不少于 1.5 亿元/年(验收当年)。重点帮扶县不少于 1 亿元/年(验收当年)。',
      conditions: [
        {
          type: 'amount',
          measure: 'output',
          thresholdYuan: tierThresholds('200000000', '150000000', '100000000'),
          label: '{year}年总产值',
          fact: 'outputYuan',
          targetFact: 'targetYuan',
        },
        {
          type: 'growth',
          measure: 'output',
          minimum: { kind: 'city_output_growth_plus', points: '2' },
          label: '{year}年总产值同比增长率',
          fact: 'growthPct',
          previousFact: 'previousOutputYuan',
          requiredFact: 'requiredGrowthPct',
        },
      ],
    },
    {
      no: 24,
      title: '建设规模',
      category: '十二、建设规模',
      content: '合理规划乡村 e 镇，科学设定乡村 e 镇规模。',
      standard:
        '占地面积应 ≥ 0.5 平方公里， ≤ 5 平方公里，或者建筑面积在 50 万平方米以上，建设边界清晰、集中连片、空间相对独立、四至范围精确。',
      conditions: [
        { type: 'site_scale', landAreaKm2: { min: '0.5', max: '5' }, minBuildingAreaM2: '500000' },
      ],
    },
    {
      no: 25,
      title: '总投资规模',
      category: '十二、建设规模',
      content: '总投资规模。',
      standard: '先行示范县不少于 3 亿元。整体推进县不少于 2 亿元。重点帮扶县不少于 1 亿元。',
      conditions: [
        {
          type: 'amount',
          measure: 'investment',
          thresholdYuan: tierThresholds('300000000', '200000000', '100000000'),
          label: '截至{year}年底总投资',
          fact: 'investmentYuan',
          targetFact: 'targetYuan',
        },
      ],
    },
    {
      no: 26,
      title: '年网络零售额',
      category: '十三、市场主体发展',
      content: '保证乡村 e 镇建成后“十四五”期间，年网络零售额同比增长率不低于 10%。',
      standard:
        '先行示范县不少于 5000 万元/年 (验收当年)。整体推进县不少于 3000 万元/年 (验收当年)。重点帮扶县不少于 2000 万元/年 (验收当年)。',
      conditions: [
        {
          type: 'amount',
          measure: 'online_retail',
          thresholdYuan: tierThresholds('50000000', '30000000', '20000000'),
          label: '{year}年网络零售额',
          fact: 'onlineRetailYuan',
          targetFact: 'targetYuan',
        },
        {
          type: 'growth',
          measure: 'online_retail',
          minimum: { kind: 'fixed', pct: '10' },
          label: '{year}年网络零售额同比增长率',
          fact: 'growthPct',
          previousFact: 'previousOnlineRetailYuan',
          requiredFact: 'requiredGrowthPct',
        },
      ],
    },
    {
      no: 27,
      title: '新增法人单位',
      category: '十三、市场主体发展',
      content: '发展壮大市场主体。',
      standard: '法人单位不少于 10 个/年/镇。',
      conditions: [
        count('entities', '新增法人单位', '个', 'count', {
          where: { legalEntity: true },
          window: 'in_year',
          min: 10,
          requiredFact: 'required',
        }),
      ],
    },
    {
      no: 28,
      title: '创新创业服务体系',
      category: '十四、创新驱动',
      content:
        '乡村 e 镇应聚焦创新创业，培育新产业新业态新商业模式，健全研发设计、成果孵化、金融导入、场景应用相结合的创新创业服务体系。',
      standard: '至少有 1 个电商研发机构，至少设立 1 个金融服务网点和 1 个通讯服务网点。',
      conditions: [
        count('entities', '电商研发机构', '个', 'rnd', { where: { tags: 'rnd' }, min: 1 }),
        count('entities', '金融服务网点', '个', 'financeOutlets', {
          where: { tags: 'finance_outlet' },
          min: 1,
        }),
        count('entities', '通讯服务网点', '个', 'telecomOutlets', {
          where: { tags: 'telecom_outlet' },
          min: 1,
        }),
      ],
    },
  ],
};

/**
 * Yuanqu county's own targets from its plan (seeds/001_*, 发展目标 and 功能要求), beyond the binding 28:
 * shown and counted separately.
 */
export const yuanquAddOnCatalogV1: IndicatorCatalog = {
  id: 'yuanqu-140827',
  version: 1,
  title: '垣曲县自定目标',
  layer: { kind: 'county_add_on', countyCode: '140827', base: { id: 'shanxi-province', version: 1 } },
  indicators: [
    {
      no: 1,
      title: '新增市场主体结构',
      category: '发展目标',
      content: '新增市场主体数量 10 个/年/镇，其中开展电子商务企业 6 家，跨境电商企业 1 家。',
      standard: '当年新增市场主体中电子商务企业不少于 6 家、跨境电商企业不少于 1 家。',
      conditions: [
        count('entities', '新增电子商务企业', '家', 'newEcommerceEntities', {
          where: { tags: 'ecommerce' },
          window: 'in_year',
          min: 6,
        }),
        count('entities', '新增跨境电商企业', '家', 'newCrossBorderEntities', {
          where: { tags: 'cross_border' },
          window: 'in_year',
          min: 1,
        }),
      ],
    },
    {
      no: 2,
      title: '跨境电商培训',
      category: '跨境电商体系建设',
      content: '积极开展跨境电商培训。',
      standard: '确保跨境电商培训不少于 200 人次。',
      conditions: [
        count('trainings', '跨境电商培训', '人次', 'crossBorderAttendanceByYear', {
          where: { crossBorder: true },
          sumOf: 'attendance',
          window: 'by_year',
          min: 200,
        }),
      ],
    },
    {
      no: 3,
      title: '电商培训机构',
      category: '人才培养体系建设',
      content: '引进电商培训机构，支持电商培训机构与大专院校合作，开展电商人才定制培训。',
      standard: '引进电商培训机构不少于 1 家。',
      conditions: [
        {
          type: 'not_in_ledger',
          reason: '台账格式 ezhen-ledger/1 没有登记电商培训机构的字段，需在平台中核实后评价',
        },
      ],
    },
  ],
};

/**
 * Version 2: target 3 (电商培训机构) is counted from the registry's entities tagged 培训机构 instead of
 * always pending; targets 1 and 2 are unchanged.
 */
export const yuanquAddOnCatalogV2: IndicatorCatalog = {
  ...yuanquAddOnCatalogV1,
  version: 2,
  indicators: yuanquAddOnCatalogV1.indicators.map((indicator) =>
    indicator.no === 3
      ? {
          ...indicator,
          conditions: [
            {
              type: 'platform_count',
              source: 'training_institutions',
              min: 1,
              label: '主体库中标注为培训机构的在册市场主体',
              unit: '家',
              fact: 'trainingInstitutions',
              itemsFact: 'trainingInstitutionNames',
              pendingReason:
                '电商培训机构按平台市场主体库中标注为“培训机构”的在册主体计数；台账文件 ezhen-ledger/1 不含此标签，需在平台中评价',
            },
          ],
        }
      : indicator,
  ),
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}

/** Every published catalog version; published versions are frozen and never edited. */
export const indicatorCatalogs: readonly IndicatorCatalog[] = deepFreeze([
  provinceCatalogV1,
  yuanquAddOnCatalogV1,
  yuanquAddOnCatalogV2,
]);

export function findCatalog(reference: CatalogReference): IndicatorCatalog | undefined {
  return indicatorCatalogs.find(
    (catalog) => catalog.id === reference.id && catalog.version === reference.version,
  );
}

/** The newest province catalog: what a new evaluation uses. */
export function currentProvinceCatalog(): IndicatorCatalog {
  const provinceCatalogs = indicatorCatalogs.filter((catalog) => catalog.layer.kind === 'province');
  return provinceCatalogs.reduce((newest, catalog) => (catalog.version > newest.version ? catalog : newest));
}

/** The newest version of each county add-on written for this county on top of this base catalog. */
export function addOnCatalogsFor(base: CatalogReference, countyCode: string): IndicatorCatalog[] {
  const newest = new Map<string, IndicatorCatalog>();
  for (const catalog of indicatorCatalogs) {
    const { layer } = catalog;
    if (layer.kind !== 'county_add_on' || layer.countyCode !== countyCode) continue;
    if (layer.base.id !== base.id || layer.base.version !== base.version) continue;
    const known = newest.get(catalog.id);
    if (!known || catalog.version > known.version) newest.set(catalog.id, catalog);
  }
  return [...newest.values()];
}
