/** The ledger's lists under the names of the workbook's sheets, in the file's order. */
export const ledgerListLabels: Record<string, string> = {
  documents: '制度文件',
  entities: '市场主体',
  monthlyStats: '月度统计',
  investments: '投资',
  facilities: '设施',
  supplyChains: '供应链',
  pavilions: '特色馆',
  brands: '品牌',
  products: '网货产品',
  events: '展会大赛宣传',
  mediaChannels: '媒体渠道',
  trainings: '培训',
  people: '人才',
  complianceIncidents: '违规事件',
};
