import { userInfo } from 'node:os';
import { rotateSecretKey } from '../modules/system/key-rotation.ts';
import { type CommandSpec, helpText, parseCommand, UsageError } from './arguments.ts';
import { withMigratedContext } from './ledger-command.ts';

type Command = (argv: string[]) => Promise<number>;

const rotateSpec: CommandSpec = {
  name: 'key rotate',
  usage: 'ezhen key rotate [--new-key <32位十六进制>]',
  summary:
    '更换 SM4 数据密钥：在一个事务中用新密钥重新加密全部密文（动态口令密钥、联系电话等），已印制的追溯码仍然有效。' +
    '须先停止服务。密钥在数据目录中时自动替换 secret.key；使用 EZHEN_SECRET_KEY 时会打印新密钥，须在下次启动前改为新值。' +
    '旧备份仍需旧密钥才能恢复，请与旧备份一同妥善保存旧密钥。',
  options: { 'new-key': { type: 'string', description: '指定新密钥（否则随机生成）' } },
};

export const keyCommands: Record<string, Command> = {
  rotate: async (argv) => {
    const parsed = parseCommand(rotateSpec, argv);
    if (parsed.help) {
      console.log(helpText(rotateSpec));
      return 0;
    }
    const given = parsed.values['new-key'];
    if (given !== undefined && !/^[0-9a-fA-F]{32}$/.test(String(given))) {
      throw new UsageError('key rotate: --new-key 须为 32 位十六进制数字（SM4 128 位密钥）');
    }
    return withMigratedContext(async (context) => {
      const actor = { username: `cli:${userInfo().username}`, ip: 'local' };
      const result = await rotateSecretKey(context, actor, given === undefined ? undefined : String(given));
      const { totpSecrets, entityPhones, applicationPhones, traineeIdentities } = result.summary;
      console.log(
        `已用新密钥重新加密：动态口令密钥 ${totpSecrets} 个、主体联系电话 ${entityPhones} 个、入驻申请电话 ${applicationPhones} 个、学员证件号与电话 ${traineeIdentities} 份；追溯码保持不变。`,
      );
      if (result.keyFile) console.log(`新密钥已写入 ${result.keyFile}。`);
      else console.log(`请在下次启动前把 EZHEN_SECRET_KEY 改为：${result.newKeyHex}`);
      return 0;
    });
  },
};
