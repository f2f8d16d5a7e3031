// 好差评 (evaluations): what other capabilities may use.
export {
  BAD_AT_MOST,
  LEVEL_LABELS,
  LEVELS,
  SATISFIED_AT_LEAST,
  SERVICE_KINDS,
  type Level,
  type ServiceKind,
} from './codes';
export { evaluationRoutes } from './routes';
export { EvaluationService, type RatingView, type ServiceView } from './service';
export { RectificationService } from './rectifications';
export {
  evaluationCounts,
  evaluationCountsByDepartment,
  readOverdueRectifications,
  readRatings,
  readRectifications,
  RECTIFICATION_STATES,
  type EvaluationCounts,
  type RatingRecord,
  type RectificationRecord,
} from './figures';
