import { ConfigError } from '../config.ts';
import { UsageError } from './arguments.ts';
import { commands, printTopLevelHelp } from './commands.ts';

/** `ezhen <command> …`: exit 0 on success, 1 on failure, 2 on a wrong command line. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) throw new UsageError('缺少命令，运行 ezhen --help 查看可用命令');
  if (name === '--help' || name === '-h' || name === 'help') {
    printTopLevelHelp();
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { loadConfig } = await import('../config.ts');
    console.log(loadConfig().version);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`未知命令 "${name}"，运行 ezhen --help 查看可用命令`);
  return command(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`ezhen: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(`ezhen: ${(error as Error).message}`);
    if (process.env.EZHEN_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
