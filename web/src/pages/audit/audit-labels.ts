/** Chinese names for the audit actions the server records; unknown actions show their code. */
export const auditActionLabels: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'user.create': '创建用户',
  'user.update': '修改用户',
  'user.reset_password': '重置密码',
  'user.change_own_password': '修改本人密码',
  'user.lock': '锁定账号',
  'user.unlock': '解锁账号',
  'user.totp_enable': '绑定动态口令',
  'user.totp_disable': '关闭动态口令',
  'user.reset_totp': '重置动态口令',
  'region.set_tier': '调整县分类',
  'etown.create': '新建e镇',
  'etown.update': '修改e镇档案',
  'etown.delete': '删除e镇',
  'leading_group.create': '新建领导小组',
  'leading_group.update': '修改领导小组',
  'leading_group.delete': '删除领导小组',
  'leading_group.add_unit': '添加成员单位',
  'leading_group.update_unit': '修改成员单位',
  'leading_group.add_member': '添加成员',
  'leading_group.replace_member': '更换成员',
  'leading_group.end_member': '结束成员任职',
  'settings.update': '修改系统设置',
  'entity.invitation.create': '邀请企业开通账号',
  'entity.invitation.revoke': '撤销企业账号邀请',
  'user.create_by_invitation': '凭邀请开通企业账号',
  'stats.rules.update': '修改统计校验规则',
  'stats.deadline.set': '调整报送截止日期',
  'stats.deadline.reset': '恢复默认截止日期',
  'seed.demo': '写入演示数据',
  'system.backup': '备份数据',
  'system.restore': '恢复数据',
};

export const targetTypeLabels: Record<string, string> = {
  user: '用户',
  region: '区划',
  etown: 'e镇',
  leading_group: '领导小组',
  settings: '系统设置',
  stats_deadline: '报送截止日期',
  database: '数据库',
  request: '请求',
};

export function actionLabel(action: string): string {
  return auditActionLabels[action] ?? action;
}
