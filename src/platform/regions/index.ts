// Regions and departments: what capabilities may use of the platform's directory.
export {
  findDepartmentByCode,
  findRegion,
  listDepartments,
  listRegions,
  regionsUnder,
} from './store';
