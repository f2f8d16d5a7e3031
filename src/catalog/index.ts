// The service catalog (事项目录): what other capabilities may use.
export { CatalogService, type ItemSummary } from './service';
export {
  applySituations,
  checkItem,
  describeLimit,
  limitInHours,
  validateFormData,
  type Answers,
} from './model';
export {
  ITEM_TYPES,
  type FormField,
  type ItemContent,
  type Material,
  type TimeLimit,
} from './schema';
export { catalogRoutes } from './routes';
export { readSeedCatalog, seedCatalog } from './seed';
export { itemNames } from './figures';
