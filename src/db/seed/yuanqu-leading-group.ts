// 附件1 of 垣政办发〔2023〕8号: 垣曲县培育皋陶乡村e镇工作领导小组成员及工作职责 (shared/seeds/001_*).

export const yuanquGroup = {
  name: '垣曲县培育皋陶乡村e镇工作领导小组',
  docNo: '垣政办发〔2023〕8号',
  establishedOn: '2023-03-18',
  responsibilities:
    '领导小组负责统筹协调乡村e镇推进工作，领导小组下设办公室，办公室设在县工科局（县商务局），承担领导小组日常工作。办公室主任由县工科局主要负责人兼任。',
  officeLocation: '县工科局（县商务局）',
  memberChangeRule:
    '以上领导小组成员因工作变动需要调整的，由其所在单位接任领导自行替补，报领导小组备案，不再另行发文。',
};

const telecomDuties =
  '加强乡村e镇涉及的通信基础设施建设，改善通信条件，并对乡村e镇工作在技术等方面给予支持。';

/** Member units in the order of the annex, with their duties (县政府办公室 has none listed). */
export const yuanquUnits: { name: string; duties: string | null }[] = [
  { name: '县人民政府', duties: null },
  { name: '县政府办公室', duties: null },
  {
    name: '县工科局',
    duties:
      '负责规划和制定乡村e镇工作目标、措施，制定项目实施方案并组织实施；编写促进特色产业发展的政策；协调解决乡村e镇工作中的问题和困难；负责在网站上公开财政支持项目的决策过程文件，公开已经确定的省财政资金扶持项目基本信息，开展电子商务行业数据统计、监测和分析；负责指导建设公共服务中心工作，提升电商公共服务能力；及时报送资金使用、项目建设和运营情况，按时提交绩效自评价报告；及时填报省商务厅要求的信息系统；完成领导小组交办的其他事项。',
  },
  {
    name: '县财政局',
    duties:
      '配合拟定支持乡村e镇发展的扶持政策，统筹安排财政资金支持皋陶乡村e镇项目工作；负责省级财政资金及时拨付工作，开展省级专项资金安全使用指导和督查工作；协助电子商务领域投融资体系建设，协助推进产权交易、金融服务等领域的电子商务应用。',
  },
  { name: '县发改局', duties: '推进快递服务业与电子商务协同发展，落实乡村e镇项目。' },
  {
    name: '县农业农村局',
    duties:
      '负责发动全县特色农产品生产企业、农业专业合作社、种养大户、家庭农场等参与电子商务培训和应用推广；负责指导承办企业培育农特产品区域公共品牌，积极推动农产品质量安全和认证工作。',
  },
  {
    name: '县乡村振兴局',
    duties:
      '协调推进e镇区域乡村振兴重点帮扶工作，提供基础材料，督促落实财政、金融、土地、人才、公共基础设施等倾斜支持政策。负责制定电商助农、富民工作措施；协助工科局开展低收入农户的电商培训农村商品供货及上行工作。',
  },
  { name: '县教育局', duties: '负责配合开展电子商务培训和专业技术培训，并开展实习实训。' },
  {
    name: '县人社局',
    duties:
      '负责加强电子商务发展急需专业技术人才、高技能人才和经营管理人才的培养和交流；配合有关部门引进电子商务领军人才和团队；推动人力资源各类场景的电子商务应用；负责把电子商务就业、创业培训纳入全县就业创业培训体系，做好从业人员培训；落实大学生就业创业优惠政策等工作。',
  },
  {
    name: '县交通局',
    duties:
      '加快推动乡村e镇内交通基础设施建设，提升交通畅通通能力；指导物流资源和承办企业对接，实现快递上下行共同配送，达到提速降费要求。',
  },
  {
    name: '县文旅局',
    duties: '负责对乡村旅游进行全面摸底；积极推动旅游产品上线销售，促进农文旅线上线下全面融合发展。',
  },
  {
    name: '县市场监管局',
    duties:
      '加强网销产品认证监管，加快推动农产品企业商标注册和品牌培育工作；建立保障农业网销产品的质量安全，防止不合格商品上线销售的监管机制，加强对农村电子商务企业（网店）诚信教育和网上监管。',
  },
  {
    name: '县统计局',
    duties:
      '指导乡村e镇区域内市场主体统计工作，对相关部门提供的有关数据进行评估，做好统计监督工作，为项目验收提供指标性数据。',
  },
  {
    name: '县行政审批局',
    duties:
      '负责配合乡村e镇区域内孵化企业（网店）的登记审批工作；负责做好全县电子商务企业（网店）的登记工作；深化电商领域“放管服”改革，为电子商务企业或从业人员提供便利化的服务。',
  },
  {
    name: '县税务局',
    duties:
      '负责创造优质高效服务环境，为电子商务企业或从业人员提供便利化的服务；根据国家税收政策，办理税务登记相关工作；依法落实小微企业（电商）的税收优惠政策。',
  },
  { name: '县供销联社', duties: '配合建立完善供销体系，大力开展网络营销。' },
  {
    name: '县融媒体中心',
    duties:
      '配合利用广播、电视、网络等媒体发布电商培训通知，及时宣传报道电子商务及皋陶乡村e镇项目发展最新动态、典型案例、工作亮点和相关信息。',
  },
  {
    name: '县金融服务中心',
    duties:
      '对接银行和融资单位，建立起资本充足、风险可控、功能完善的金融服务体系，优化信贷环境，为辖区内企业和农户提供简捷高效的融资服务。',
  },
  { name: '县供电公司', duties: '加强农村电力需求供给，切实维护好农产品加工及网络日常用电需要。' },
  { name: '县电信公司', duties: telecomDuties },
  { name: '县移动公司', duties: telecomDuties },
  { name: '县联通公司', duties: telecomDuties },
  {
    name: '各乡（镇）人民政府',
    duties:
      '各乡（镇）负责组织协调区域内主导产业参与乡村e镇建设，组织指导主导产业生产，搞好商品流通，优化区域内招商引资环境；配备专职或兼职管理人员，参与做好乡村e镇工作的宣传、培训和其它电商相关工作；皋落乡、新城镇负责保障乡村e镇区域内重点工程建设，地方道路及基础公共设施建设。',
  },
];

export type SeedMember = {
  position: 'head' | 'deputy' | 'member' | 'office_director';
  personName: string;
  title: string;
  unit: string;
};

export const yuanquMembers: SeedMember[] = [
  { position: 'head', personName: '马巍', title: '县委副书记、县长', unit: '县人民政府' },
  { position: 'deputy', personName: '李明', title: '县政府副县长', unit: '县人民政府' },
  { position: 'member', personName: '闫锐明', title: '县政府办公室主任', unit: '县政府办公室' },
  { position: 'member', personName: '徐志伟', title: '县政府办四级主任科员', unit: '县政府办公室' },
  { position: 'member', personName: '侯锐波', title: '县工科局局长', unit: '县工科局' },
  { position: 'member', personName: '赵建刚', title: '县财政局局长', unit: '县财政局' },
  { position: 'member', personName: '文春祥', title: '县发改局局长', unit: '县发改局' },
  { position: 'member', personName: '张海岗', title: '县农业农村局局长', unit: '县农业农村局' },
  { position: 'member', personName: '王双红', title: '县乡村振兴局局长', unit: '县乡村振兴局' },
  { position: 'member', personName: '郭红云', title: '县教育局局长', unit: '县教育局' },
  { position: 'member', personName: '吉金良', title: '县人社局局长', unit: '县人社局' },
  { position: 'member', personName: '王杰', title: '县交通局局长', unit: '县交通局' },
  { position: 'member', personName: '尚炜', title: '县文旅局局长', unit: '县文旅局' },
  { position: 'member', personName: '张小虎', title: '县市场监管局局长', unit: '县市场监管局' },
  { position: 'member', personName: '毕大明', title: '县统计局局长', unit: '县统计局' },
  { position: 'member', personName: '席海强', title: '县行政审批局局长', unit: '县行政审批局' },
  { position: 'member', personName: '王正亭', title: '县税务局局长', unit: '县税务局' },
  { position: 'member', personName: '姚海鹏', title: '县供销联社主任', unit: '县供销联社' },
  { position: 'member', personName: '张坚', title: '县融媒体中心主任', unit: '县融媒体中心' },
  { position: 'member', personName: '刘磊', title: '县金融服务中心主任', unit: '县金融服务中心' },
  { position: 'member', personName: '王俊伟', title: '县供电公司经理', unit: '县供电公司' },
  { position: 'member', personName: '王欣欣', title: '县电信公司经理', unit: '县电信公司' },
  { position: 'member', personName: '王磊', title: '县移动公司经理', unit: '县移动公司' },
  { position: 'member', personName: '李强', title: '县联通公司经理', unit: '县联通公司' },
  {
    position: 'member',
    personName: '各乡（镇）长',
    title: '各乡（镇）人民政府乡（镇）长',
    unit: '各乡（镇）人民政府',
  },
  // 办公室主任由县工科局主要负责人兼任.
  { position: 'office_director', personName: '侯锐波', title: '县工科局局长（兼）', unit: '县工科局' },
];
