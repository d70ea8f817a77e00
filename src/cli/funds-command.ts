import { verifyFundLedger } from '../modules/funds/fund-ledger.ts';
import { fundTransactionKindLabels } from '../modules/funds/funds.schemas.ts';
import { type CommandSpec, helpText, parseCommand } from './arguments.ts';
import { withMigratedContext } from './ledger-command.ts';

type Command = (argv: string[]) => Promise<number>;

const verifySpec: CommandSpec = {
  name: 'funds verify',
  usage: 'ezhen funds verify',
  summary:
    '用分录重算资金台账每个账户的余额并与存储的余额核对，检查每笔资金业务借贷平衡（分录合计为零）。有任何不符时退出码为 1。',
};

export const fundsCommands: Record<string, Command> = {
  verify: async (argv) => {
    const parsed = parseCommand(verifySpec, argv);
    if (parsed.help) {
      console.log(helpText(verifySpec));
      return 0;
    }
    return withMigratedContext(async (context) => {
      const result = await verifyFundLedger(context.database.db);
      const counts = `${result.accounts} 个账户、${result.transactions} 笔业务、${result.entries} 条分录`;
      if (result.mismatchedAccounts.length === 0 && result.unbalancedTransactions.length === 0) {
        console.log(`资金台账核对无误：${counts}；每个账户余额与分录重算一致，每笔业务借贷平衡。`);
        return 0;
      }
      console.error(`资金台账核对发现问题（共 ${counts}）：`);
      for (const account of result.mismatchedAccounts) {
        console.error(
          `  账户 ${account.label}（${account.id}）：存储余额 ${account.storedYuan} 元，分录重算 ${account.rebuiltYuan} 元`,
        );
      }
      for (const transaction of result.unbalancedTransactions) {
        const kind = fundTransactionKindLabels[transaction.kind as keyof typeof fundTransactionKindLabels];
        console.error(
          `  业务 ${transaction.id}（${kind ?? transaction.kind}）：分录合计 ${transaction.sumYuan} 元，${transaction.entries} 条分录，不平衡`,
        );
      }
      return 1;
    });
  },
};
