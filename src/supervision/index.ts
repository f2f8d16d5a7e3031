// Supervision (综合监管, 双随机一公开, 信用): what other capabilities and the composition may use.
export { supervisionRoutes } from './routes';
export { seedSupervision } from './seed';
export { INSPECTION_FINISHED } from './inspections';
export { creditGradeOf } from './credit-service';
export { drawPlan, verifyDraw, commitSeed, type DrawInputs, type DrawResult } from './draw';
export {
  readInspections,
  readUnpublishedInspections,
  supervisionCounts,
  type InspectionRecord,
  type SupervisionCounts,
} from './figures';
