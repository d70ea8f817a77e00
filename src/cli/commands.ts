import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { roleLabels, roles } from '../access/roles.ts';
import { type Config, loadConfig } from '../config.ts';
import { migrateDatabase } from '../db/client.ts';
import type { Role } from '../db/schema/accounts.ts';
import { databaseHasUsers, ensureReferenceRegions, seedDemo } from '../db/seed/seed.ts';
import type { AppContext } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import {
  createUser,
  findUserByUsername,
  resetPassword,
  setUserLocked,
} from '../modules/accounts/user.service.ts';
import { recordAuditAlone } from '../modules/audit/audit.service.ts';
import {
  anchorAuditChain,
  anchorFilePath,
  readAnchors,
  verifyAuditChainAnchored,
} from '../modules/audit/audit-anchor.service.ts';
import { backupDatabase, restoreDatabase } from '../modules/system/backup.service.ts';
import { loadTraceMacKey } from '../modules/system/key-rotation.ts';
import { verifySecretKey } from '../modules/system/secret-key-check.ts';
import { describeDemoAccounts, openContext } from '../runtime.ts';
import { type CommandSpec, helpText, type ParsedCommand, parseCommand, UsageError } from './arguments.ts';
import { evaluateCommand } from './evaluate-command.ts';
import { fundsCommands } from './funds-command.ts';
import { keyCommands } from './key-command.ts';
import { ledgerCommands } from './ledger-command.ts';
import { serve } from './serve.ts';

type Command = (argv: string[]) => Promise<number>;

const cliActor = () => ({ username: `cli:${userInfo().username}`, ip: 'local' });

async function withContext<T>(config: Config, run: (context: AppContext) => Promise<T>): Promise<T> {
  const context = await openContext(config);
  try {
    return await run(context);
  } finally {
    await context.database.close();
  }
}

/** Prints an AppError's Chinese message (and field details) instead of a stack trace. */
function explain(error: unknown): never {
  if (error instanceof AppError) {
    // A validation message already lists each field; repeat only the details it does not contain.
    const details = Array.isArray(error.details)
      ? (error.details as { path?: string; message?: string }[])
          .map((d) => `${d.path ?? ''}: ${d.message ?? ''}`)
          .filter((line) => !error.message.includes(line))
          .map((line) => `\n  ${line}`)
          .join('')
      : '';
    throw new Error(`${error.message} [${error.code}]${details}`);
  }
  throw error;
}

function simple(spec: CommandSpec, run: (parsed: ParsedCommand) => Promise<number>): Command {
  return async (argv) => {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      console.log(helpText(spec));
      return 0;
    }
    return run(parsed);
  };
}

const serveSpec: CommandSpec = {
  name: 'serve',
  usage: 'ezhen serve',
  summary: '迁移数据库、在空库上写入演示数据，并在 HOST:PORT（默认 127.0.0.1:3000）提供接口与网页。',
};
const migrateSpec: CommandSpec = {
  name: 'migrate',
  usage: 'ezhen migrate',
  summary: '执行 drizzle/ 中尚未执行的数据库迁移，并写入山西省区划。',
};
const seedSpec: CommandSpec = {
  name: 'seed',
  usage: 'ezhen seed --demo',
  summary: '向空数据库写入演示数据（演示数据）：垣曲县皋陶乡村e镇、领导小组与各角色演示账号。',
  options: { demo: { type: 'boolean', description: '写入演示数据（必填）' } },
};
const backupSpec: CommandSpec = {
  name: 'backup',
  usage: 'ezhen backup <文件.ezbak>',
  summary: '把数据库的一致性快照写入文件（gzip 压缩的 JSON 行）。',
  positionals: { min: 1, max: 1 },
  options: { force: { type: 'boolean', description: '覆盖已存在的文件' } },
};
const restoreSpec: CommandSpec = {
  name: 'restore',
  usage: 'ezhen restore <文件.ezbak>',
  summary: '把备份恢复到新的数据目录或空的 PostgreSQL 数据库（全部成功或全部不写入）。',
  positionals: { min: 1, max: 1 },
};
const auditVerifySpec: CommandSpec = {
  name: 'audit verify',
  usage: 'ezhen audit verify',
  summary:
    '校验审计日志的 SM3 哈希链，报告第一处断链；并按数据目录中的链锚（audit-anchors.jsonl）检查链尾是否被截断。断链时退出码为 1。',
};
const auditAnchorSpec: CommandSpec = {
  name: 'audit anchor',
  usage: 'ezhen audit anchor',
  summary: '立即把当前链头（最后记录号与哈希）写入链锚文件（服务运行时每天自动写一次，停止时也写）。',
};
const auditAnchorsExportSpec: CommandSpec = {
  name: 'audit anchors export',
  usage: 'ezhen audit anchors export [--output <文件>]',
  summary: '导出全部链锚（JSON 行），交审计管理员在数据库与服务器之外另行保存。',
  options: { output: { type: 'string', description: '写入文件（默认输出到终端）' } },
};
const userCreateSpec: CommandSpec = {
  name: 'user create',
  usage:
    'ezhen user create --username <用户名> --name <姓名> --role <角色> [--scope <区划代码>] [--etowns <e镇代码,…>] [--password <密码>]',
  summary: `创建账号。角色：${roles.map((role) => `${role}（${roleLabels[role]}）`).join('、')}。未给密码时生成临时密码，首次登录须修改。`,
  options: {
    username: { type: 'string', description: '用户名（小写字母、数字、点）' },
    name: { type: 'string', description: '姓名' },
    role: { type: 'string', description: '角色代码' },
    scope: { type: 'string', description: '范围区划代码：市 4 位、县 6 位、e镇 县代码-E两位' },
    etowns: { type: 'string', description: '专家负责的e镇代码，逗号分隔' },
    password: { type: 'string', description: '初始密码（须符合密码策略）' },
  },
};
const userTargetSpec = (name: string, summary: string, options?: CommandSpec['options']): CommandSpec => ({
  name: `user ${name}`,
  usage: `ezhen user ${name} <用户名>${options ? ' [--password <密码>]' : ''}`,
  summary,
  positionals: { min: 1, max: 1 },
  ...(options ? { options } : {}),
});
const userResetSpec = userTargetSpec(
  'reset-password',
  '重置密码；用户下次登录须修改密码，并解除登录失败锁定。',
  {
    password: { type: 'string', description: '指定新密码（否则随机生成）' },
  },
);
const userLockSpec = userTargetSpec('lock', '锁定账号并使其会话失效。');
const userUnlockSpec = userTargetSpec('unlock', '解锁账号，并解除连续登录失败造成的锁定。');

async function requireUser(context: AppContext, username: string) {
  const user = await findUserByUsername(context, username.trim().toLowerCase());
  if (!user) throw new Error(`用户 ${username} 不存在`);
  return user;
}

const userCommands: Record<string, Command> = {
  create: simple(userCreateSpec, async ({ values }) => {
    const config = loadConfig();
    const get = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
    const username = get('username');
    const name = get('name');
    const role = get('role');
    if (!username || !name || !role) throw new UsageError('user create: 须提供 --username、--name 和 --role');
    if (!(roles as readonly string[]).includes(role)) {
      throw new UsageError(`user create: 未知角色 "${role}"，可选：${roles.join(', ')}`);
    }
    const etowns = get('etowns')
      ?.split(',')
      .map((code) => code.trim())
      .filter(Boolean);
    const password = get('password');
    return withContext(config, async (context) => {
      await migrateDatabase(context.database);
      const result = await createUser(
        context,
        cliActor(),
        {
          username,
          displayName: name,
          role: role as Role,
          scopeRegionCode: get('scope') ?? null,
          expertEtownCodes: etowns,
        },
        password ? { password } : {},
      ).catch(explain);
      console.log(`已创建用户 ${result.user.username}（${result.user.roleLabel}）`);
      if (!password) console.log(`临时密码：${result.temporaryPassword}（只显示这一次，首次登录须修改）`);
      return 0;
    });
  }),
  'reset-password': simple(userResetSpec, async ({ values, positionals }) =>
    withContext(loadConfig(), async (context) => {
      const user = await requireUser(context, positionals[0] as string);
      const password = typeof values.password === 'string' ? values.password : undefined;
      const result = await resetPassword(context, cliActor(), user.id, password ? { password } : {}).catch(
        explain,
      );
      console.log(
        `已重置 ${user.username} 的密码${password ? '' : `，临时密码：${result.temporaryPassword}`}（下次登录须修改）`,
      );
      return 0;
    }),
  ),
  lock: simple(userLockSpec, async ({ positionals }) =>
    withContext(loadConfig(), async (context) => {
      const user = await requireUser(context, positionals[0] as string);
      await setUserLocked(context, cliActor(), user.id, true);
      console.log(`已锁定 ${user.username}`);
      return 0;
    }),
  ),
  unlock: simple(userUnlockSpec, async ({ positionals }) =>
    withContext(loadConfig(), async (context) => {
      const user = await requireUser(context, positionals[0] as string);
      await setUserLocked(context, cliActor(), user.id, false);
      console.log(`已解锁 ${user.username}`);
      return 0;
    }),
  ),
};

function group(name: string, summary: string, subcommands: Record<string, Command>): Command {
  const help = () =>
    console.log(
      `用法: ezhen ${name} <${Object.keys(subcommands).join('|')}> …\n\n${summary}\n每个子命令都支持 --help。`,
    );
  return async ([sub, ...rest]) => {
    if (!sub) throw new UsageError(`${name}: 缺少子命令，可选：${Object.keys(subcommands).join('、')}`);
    if (sub === '--help' || sub === '-h') {
      help();
      return 0;
    }
    const command = subcommands[sub];
    if (!command)
      throw new UsageError(`${name}: 未知子命令 "${sub}"，可选：${Object.keys(subcommands).join('、')}`);
    return command(rest);
  };
}

export const commands: Record<string, Command> = {
  serve: simple(serveSpec, async () => {
    await serve(loadConfig());
    return 0;
  }),
  migrate: simple(migrateSpec, async () =>
    withContext(loadConfig(), async (context) => {
      await migrateDatabase(context.database);
      const added = await ensureReferenceRegions(context);
      console.log(`数据库迁移完成（${context.database.kind}）${added ? `，写入区划 ${added} 条` : ''}`);
      return 0;
    }),
  ),
  seed: simple(seedSpec, async ({ values }) => {
    if (!values.demo) throw new UsageError('seed: 目前只支持 --demo（写入演示数据）');
    const config = loadConfig();
    return withContext(config, async (context) => {
      await migrateDatabase(context.database);
      if (await databaseHasUsers(context)) {
        console.error('数据库中已有用户，演示数据只能写入空数据库');
        return 1;
      }
      const accounts = await seedDemo(context, config);
      console.log(describeDemoAccounts(accounts, !!config.demoPassword));
      return 0;
    });
  }),
  user: group('user', '账号管理：create、reset-password、lock、unlock。', userCommands),
  audit: group('audit', '审计日志：verify 校验哈希链与链锚，anchor 写入链锚，anchors export 导出链锚。', {
    verify: simple(auditVerifySpec, async () =>
      withContext(loadConfig(), async (context) => {
        await migrateDatabase(context.database);
        await verifySecretKey(context);
        await loadTraceMacKey(context);
        const result = await verifyAuditChainAnchored(context);
        if (result.ok) {
          console.log(
            `审计日志哈希链完整，共 ${result.records} 条记录${result.anchors ? `，与 ${result.anchors} 个链锚相符` : '（尚无链锚）'}`,
          );
          return 0;
        }
        console.error(`审计日志哈希链在第 ${result.brokenAtId} 号记录处断开：${result.reason}`);
        return 1;
      }),
    ),
    anchor: simple(auditAnchorSpec, async () =>
      withContext(loadConfig(), async (context) => {
        await migrateDatabase(context.database);
        await verifySecretKey(context);
        await loadTraceMacKey(context);
        const outcome = await anchorAuditChain(context);
        if (outcome.written) {
          console.log(
            `已写入链锚：第 ${outcome.anchor.lastId} 号记录，哈希 ${outcome.anchor.headHash}（${anchorFilePath(context.config.dataDir)}）`,
          );
        } else if (outcome.reason === 'no_file') {
          console.error('数据目录在内存中，没有链锚文件');
          return 1;
        } else {
          console.log(
            outcome.reason === 'empty_chain'
              ? '审计日志为空，无需链锚'
              : '链头自上个链锚以来未变，无需新链锚',
          );
        }
        return 0;
      }),
    ),
    anchors: group('audit anchors', '链锚：export 导出全部链锚。', {
      export: simple(auditAnchorsExportSpec, async ({ values }) => {
        const config = loadConfig();
        const { anchors, unreadableLines } = readAnchors(config.dataDir);
        const text = anchors.map((anchor) => `${JSON.stringify(anchor)}\n`).join('');
        if (typeof values.output === 'string') {
          const file = path.resolve(values.output);
          writeFileSync(file, text);
          console.log(`已导出 ${anchors.length} 个链锚到 ${file}`);
        } else {
          process.stdout.write(text);
        }
        if (unreadableLines.length > 0) {
          console.error(`链锚文件第 ${unreadableLines.join('、')} 行无法读取，未导出`);
          return 1;
        }
        return 0;
      }),
    }),
  }),
  backup: simple(backupSpec, async ({ positionals, values }) => {
    const file = path.resolve(positionals[0] as string);
    if (existsSync(file) && !values.force)
      throw new UsageError(`backup: 文件 ${file} 已存在（用 --force 覆盖）`);
    return withContext(loadConfig(), async (context) => {
      await migrateDatabase(context.database);
      const summary = await backupDatabase(context, file);
      // A full export (password hashes included) leaves a trace in the audit log.
      await recordAuditAlone(context.database.db, cliActor(), {
        action: 'system.backup',
        targetType: 'database',
        targetId: file,
        diff: { rows: summary.tables },
      });
      const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
      console.log(`已备份 ${Object.keys(summary.tables).length} 张表、${rows} 行到 ${file}`);
      return 0;
    });
  }),
  restore: simple(restoreSpec, async ({ positionals }) => {
    const file = path.resolve(positionals[0] as string);
    if (!existsSync(file)) throw new UsageError(`restore: 文件 ${file} 不存在`);
    return withContext(loadConfig(), async (context) => {
      await migrateDatabase(context.database);
      const summary = await restoreDatabase(context, file);
      const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
      console.log(`已从 ${file} 恢复 ${rows} 行（${context.database.kind}）`);
      return 0;
    });
  }),
  evaluate: evaluateCommand,
};

export function printTopLevelHelp() {
  console.log(`EZhen e镇通 — 山西省乡村e镇管理平台

用法: ezhen <命令> [选项]

命令:
  serve                     启动服务（接口 + 网页）
  migrate                   执行数据库迁移
  seed --demo               向空数据库写入演示数据
  user create|reset-password|lock|unlock   账号管理
  audit verify              校验审计日志哈希链与链锚（链尾是否被截断）
  audit anchor              立即写入链锚
  audit anchors export      导出链锚（交审计管理员另行保存）
  backup <文件>             备份数据库（一致性快照）
  restore <文件>            恢复到新数据目录或空数据库
  evaluate --ledger <文件>  按28项约束性指标评价台账文件（JSON 或 XLSX）
  evaluate --etown <代码> --year <年度> | --all --year <年度>   按平台数据评价
  ledger template|export|import   台账模板、导出与导入（JSON / XLSX）
  funds verify              用分录重算资金台账余额并核对借贷平衡
  key rotate                更换 SM4 数据密钥（先停止服务）

每个命令都支持 --help。环境变量见 README.md（DATABASE_URL、EZHEN_DATA_DIR、PORT、HOST …）。`);
}

commands.ledger = group(
  'ledger',
  '台账文件：template 写出 XLSX 模板，export 导出，import 导入。',
  ledgerCommands,
);

commands.funds = group('funds', '资金台账：verify 用分录重算余额并核对借贷平衡。', fundsCommands);

commands.key = group('key', 'SM4 数据密钥：rotate 更换密钥并重新加密全部密文。', keyCommands);
