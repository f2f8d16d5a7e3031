import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody, forbidden } from './errors';
import { validationError } from './validation';

// Database errors that come from what the caller sent, mapped to what they mean for the caller.
const DB_ERRORS: Record<string, AppError> = {
  '23505': new AppError(409, 'conflict.duplicate', {
    zh: '记录已存在，不能重复创建',
    en: 'the record already exists',
  }),
  '23503': new AppError(422, 'request.reference', {
    zh: '引用的记录不存在',
    en: 'a referenced record does not exist',
  }),
  '40001': new AppError(409, 'conflict.concurrent', {
    zh: '与其他操作冲突，请重试',
    en: 'conflicts with a concurrent change; please retry',
  }),
  '40P01': new AppError(409, 'conflict.concurrent', {
    zh: '与其他操作冲突，请重试',
    en: 'conflicts with a concurrent change; please retry',
  }),
};

/** 404 for a request that matched no route. */
export function notFoundError(request: FastifyRequest): AppError {
  const what = `${request.method} ${request.url.split('?')[0]}`;
  return new AppError(404, 'http.not_found', {
    zh: `接口不存在：${what}`,
    en: `no such endpoint: ${what}`,
  });
}

/**
 * Maps anything thrown while handling a request to an AppError: our own errors as they are, schema
 * and parser errors to 4xx, database errors caused by the input to 409/422, the rest to a logged 500.
 */
export function toAppError(
  error: FastifyError & { code?: string },
  request: FastifyRequest,
): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) return validationError(error.validation, error.validationContext ?? 'body');
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'request.media_type', {
        zh: '不支持的内容类型，请使用 application/json',
        en: 'unsupported content type; send application/json',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'request.too_large', {
        zh: '请求内容过大',
        en: 'the request body is too large',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'request.malformed', {
        zh: '请求内容不是有效的 JSON',
        en: 'the request body is not valid JSON',
      });
  }
  if (error.code && DB_ERRORS[error.code]) return DB_ERRORS[error.code]!;
  if (error.code?.startsWith('22')) {
    return new AppError(422, 'request.invalid_value', {
      zh: '请求中的某个值超出允许范围',
      en: 'a value in the request is out of the allowed range',
    });
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new AppError(400, 'request.malformed', {
      zh: '请求格式错误',
      en: 'the request is malformed',
    });
  }
  if (error.statusCode === 403) return forbidden();
  if (error.statusCode === 404) return notFoundError(request);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(400, 'request.bad', {
      zh: '请求无法处理',
      en: 'the request cannot be handled',
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return new AppError(500, 'internal', {
    zh: '服务器内部错误，请稍后重试；如需帮助请提供请求编号',
    en: 'internal error; please retry later, and quote the request id if you need help',
  });
}

/** Sends an AppError in the one error shape, in the caller's language. */
export function sendError(reply: FastifyReply, error: AppError) {
  return reply
    .status(error.status)
    .headers(error.headers)
    .send(errorBody(error, reply.request.lang ?? 'zh', String(reply.request.id)));
}
