import type { Lang, Text } from '../i18n';

/** One problem with one field of a request: where, which rule, and what to do, in both languages. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `body.password` or `params.value`. */
  path: string;
  /** The rule that failed (JSON-Schema keyword or a domain rule name), e.g. `required`, `minLength`. */
  rule: string;
  message: Text;
}

/**
 * The one error type of OneThing. Codes are stable and dotted (`auth.invalid_credentials`);
 * callers branch on the code, never on the message text.
 */
export class AppError extends Error {
  constructor(
    readonly status:
      400 | 401 | 403 | 404 | 408 | 409 | 413 | 414 | 415 | 422 | 423 | 429 | 431 | 500 | 503,
    readonly code: string,
    readonly text: Text,
    readonly details: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(text.en);
    this.name = 'AppError';
  }
}

/** The response body of every error: `{ error: { code, message, details, requestId } }`. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: { path: string; rule: string; message: string }[];
    requestId: string;
  };
}

/** Renders an error in the caller's language. */
export function errorBody(error: AppError, lang: Lang, requestId: string): ErrorBody {
  const message = error.text[lang];
  return {
    error: {
      code: error.code,
      // Messages are written to be embedded in sentences; shown alone, English starts with a capital.
      message: lang === 'en' ? message.charAt(0).toUpperCase() + message.slice(1) : message,
      details: error.details.map((d) => ({ path: d.path, rule: d.rule, message: d.message[lang] })),
      requestId,
    },
  };
}

/** 401: the caller is not signed in (or the session has ended). */
export function unauthenticated(): AppError {
  return new AppError(401, 'auth.required', {
    zh: '请先登录',
    en: 'sign-in required',
  });
}

/** 403: the caller is signed in but may not do this. */
export function forbidden(text?: Text): AppError {
  return new AppError(
    403,
    'auth.forbidden',
    text ?? { zh: '您的角色无权执行此操作', en: 'your role may not perform this action' },
  );
}

/** 404: no such object (or none the caller may see). */
export function notFound(what: Text): AppError {
  return new AppError(404, 'not_found', {
    zh: `未找到${what.zh}`,
    en: `${what.en} not found`,
  });
}

/** 422 for one field that breaks a domain rule. */
export function invalidField(path: string, rule: string, message: Text): AppError {
  return new AppError(
    422,
    'request.invalid',
    { zh: `请求参数有误：${message.zh}`, en: `invalid request: ${message.en}` },
    [{ path, rule, message }],
  );
}
