// Regions and departments: what capabilities may use of the platform's directory.
export {
  departmentCodeOf,
  departmentNames,
  findDepartmentByCode,
  findRegion,
  listDepartments,
  listRegions,
  regionsUnder,
} from './store';
