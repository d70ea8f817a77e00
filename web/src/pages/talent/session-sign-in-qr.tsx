import { QrcodeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { apiClient, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api.ts';
import { formatMinute } from '../../time.ts';

type SignInCode = { url: string; expiresAt: string; qrSvg: string };

/**
 * 扫码签到: opens a fresh sign-in code for the session and shows it as a QR image to put on the screen of
 * the training room. The code is shown only here and now; opening a new one ends the previous one.
 */
export function SessionSignInQr({ sessionId, topic }: { sessionId: string; topic: string }) {
  const { message } = App.useApp();
  const [code, setCode] = useState<SignInCode | null>(null);
  const [opening, setOpening] = useState(false);
  const open = async () => {
    setOpening(true);
    try {
      setCode(
        await unwrap(
          apiClient.POST('/api/trainings/sessions/{id}/sign-in-code', {
            params: { path: { id: sessionId } },
          }),
        ),
      );
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setOpening(false);
    }
  };
  return (
    <>
      <Button
        icon={<QrcodeOutlined />}
        loading={opening}
        onClick={() => void open()}
        data-testid="sign-in-qr"
      >
        扫码签到二维码
      </Button>
      <Modal
        open={code !== null}
        title={`扫码签到 · ${topic}`}
        onCancel={() => setCode(null)}
        footer={
          <Space>
            <Button onClick={() => void open()} loading={opening}>
              重新生成（旧码失效）
            </Button>
            <Button type="primary" onClick={() => setCode(null)}>
              关闭
            </Button>
          </Space>
        }
        width={460}
      >
        {code && (
          <Space direction="vertical" style={{ width: '100%', alignItems: 'center' }}>
            <img
              src={`data:image/svg+xml;base64,${btoa(code.qrSvg)}`}
              alt="扫码签到二维码"
              width={300}
              height={300}
              data-testid="sign-in-qr-image"
            />
            <Typography.Paragraph copyable={{ text: code.url }} style={{ wordBreak: 'break-all', margin: 0 }}>
              {code.url}
            </Typography.Paragraph>
            <Alert
              type="info"
              showIcon
              message={`有效至 ${formatMinute(code.expiresAt)}`}
              description="学员用手机扫码，填写姓名和身份证号即可签到，无需登录；须已建档，每人每场一次。关闭后如需再次展示，请重新生成。"
            />
          </Space>
        )}
      </Modal>
    </>
  );
}
