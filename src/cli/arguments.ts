import { parseArgs } from 'node:util';

/** A wrong command line: printed as one line, exit status 2. */
export class UsageError extends Error {}

export type CommandSpec = {
  name: string;
  summary: string;
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; description: string }>;
  positionals?: { min: number; max: number };
};

export type ParsedCommand = {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
};

export function parseCommand(spec: CommandSpec, argv: string[]): ParsedCommand {
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          Object.entries(spec.options ?? {}).map(([name, option]) => [name, { type: option.type }]),
        ),
      },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help)
      return {
        help: true,
        values: parsed.values as ParsedCommand['values'],
        positionals: parsed.positionals,
      };
    const count = parsed.positionals.length;
    const { min, max } = spec.positionals ?? { min: 0, max: 0 };
    if (count < min) throw new UsageError(`${spec.name}: 缺少参数，用法：${spec.usage}`);
    if (count > max)
      throw new UsageError(`${spec.name}: 多余的参数 "${parsed.positionals[max]}"，用法：${spec.usage}`);
    return { help: false, values: parsed.values as ParsedCommand['values'], positionals: parsed.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${spec.name}: ${describeParseError(error as NodeJS.ErrnoException)}，用法：${spec.usage}`,
    );
  }
}

/** node:util parseArgs explains itself in English; the CLI speaks Chinese. */
function describeParseError(error: NodeJS.ErrnoException): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `未知选项 ${option}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return error.message.includes('does not take an argument')
      ? `选项 ${option} 不带值`
      : `选项 ${option} 缺少值`;
  }
  return error.message;
}

export function helpText(spec: CommandSpec): string {
  const lines = [`用法: ${spec.usage}`, '', spec.summary];
  const options = Object.entries(spec.options ?? {});
  if (options.length > 0) {
    lines.push('', '选项:');
    for (const [name, option] of options) {
      lines.push(`  --${name}${option.type === 'string' ? ' <值>' : ''}  ${option.description}`);
    }
  }
  lines.push('  -h, --help  显示帮助');
  return lines.join('\n');
}
