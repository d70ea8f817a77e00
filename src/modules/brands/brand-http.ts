import { z } from 'zod';

export const idParams = z.object({ id: z.uuid('编号格式不正确') });
