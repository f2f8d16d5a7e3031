// Bundles (一件事): what other capabilities may use.
export { BundleService, type BundleSummary, type PublishedBundle } from './service';
export {
  checkBundle,
  guideBundle,
  splitFormData,
  type BundleProblem,
  type Guide,
  type GuideField,
  type GuideItem,
  type GuideMaterial,
} from './model';
export type { BundleContent, BundleMaterial, Member } from './schema';
export { bundleRoutes } from './routes';
export { readSeedBundles } from './seed';
export { bundleCommitments, committedHoursOf, type BundleCommitment } from './figures';
