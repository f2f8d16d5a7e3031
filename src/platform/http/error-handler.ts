import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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

// The database cannot be reached or dropped the connection (server restarting, backend ended, network
// cut): the request did not happen, or its transaction's outcome is unknown; either way the caller
// retries later (with its Idempotency-Key) rather than reading a 500 as a bug.
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const CONNECTION_ERROR_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

/** Whether an error says the database is unreachable or lost the connection, not that the input is bad. */
export function isDatabaseUnavailable(error: { code?: string; message?: string }): boolean {
  const code = error.code ?? '';
  // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections
  if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300') return true;
  return CONNECTION_ERROR_CODES.has(code) || CONNECTION_ERROR_MESSAGE.test(error.message ?? '');
}

/** 503 `service.unavailable`: the database is out of reach for the moment. */
export function databaseUnavailable(): AppError {
  return new AppError(
    503,
    'service.unavailable',
    {
      zh: '服务暂时不可用（数据库连接中断），请稍后重试',
      en: 'the service is unavailable for the moment (the database connection was lost); please retry later',
    },
    [],
    { 'retry-after': '5' },
  );
}

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
    case 'FST_ERR_BAD_URL':
      return new AppError(400, 'request.bad_url', {
        zh: '请求地址中的编码无效',
        en: 'the request URL has an invalid encoding',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(414, 'request.uri_too_long', {
        zh: '请求地址中的参数过长',
        en: 'a parameter in the request URL is too long',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'request.malformed', {
        zh: '请求内容不是有效的 JSON',
        en: 'the request body is not valid JSON',
      });
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return databaseUnavailable();
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

/** The AppError for a connection-level client error, which Node raises before any request exists. */
export function clientError(error: { code?: string }): AppError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new AppError(431, 'request.headers_too_large', {
      zh: '请求头过大',
      en: 'the request headers are too large',
    });
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AppError(408, 'request.timeout', {
      zh: '请求超时',
      en: 'the request timed out',
    });
  }
  return new AppError(400, 'request.malformed', {
    zh: '请求格式错误',
    en: 'the request is malformed',
  });
}

/**
 * Answers a client error on the connection (headers too large, a request line HTTP cannot parse)
 * in the one error shape. No request was parsed, so the language is the default (zh-CN) and the
 * request id is new.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const appError = clientError(error);
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(appError, 'zh', requestId));
  socket.end(
    `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
