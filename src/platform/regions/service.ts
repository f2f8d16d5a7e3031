import type { Kdb } from '../db/database';
import { appendAudit } from '../audit/store';
import type { Actor } from '../auth/model';
import type { RequestMeta } from '../auth/service';
import { AppError, invalidField, notFound } from '../http/errors';
import { checkUscc, findRegionCode } from '../ids';
import {
  findDepartmentByCode,
  findDepartmentByUscc,
  findRegion,
  insertDepartment,
  insertRegions,
  updateDepartmentNames,
} from './store';

/** 409 naming the field whose value another record already has, so a form can show it there. */
function duplicateField(path: string, message: { zh: string; en: string }): AppError {
  return new AppError(409, 'conflict.duplicate', message, [{ path, rule: 'unique', message }]);
}

/** What an administrator gives to add a department. */
export interface NewDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  uscc: string;
  regionCode: string;
}

/** Adds a department after checking its credit code and region; audited. */
export async function createDepartment(
  db: Kdb,
  actor: Actor,
  input: NewDepartment,
  meta: RequestMeta,
) {
  const uscc = checkUscc(input.uscc);
  if (!uscc.valid) throw invalidField('body.uscc', uscc.reason ?? 'uscc', uscc.message!);
  return db.transaction().execute(async (trx) => {
    if (!(await findRegion(trx, input.regionCode))) {
      throw invalidField('body.regionCode', 'exists', {
        zh: `区划 ${input.regionCode} 不存在`,
        en: `region ${input.regionCode} does not exist`,
      });
    }
    if (await findDepartmentByCode(trx, input.code)) {
      throw duplicateField('body.code', {
        zh: `部门代码 ${input.code} 已被使用`,
        en: `department code ${input.code} is already taken`,
      });
    }
    if (await findDepartmentByUscc(trx, uscc.normalized)) {
      throw duplicateField('body.uscc', {
        zh: `统一社会信用代码 ${uscc.normalized} 已属于另一部门`,
        en: `the credit code ${uscc.normalized} already belongs to another department`,
      });
    }
    const department = await insertDepartment(trx, { ...input, uscc: uscc.normalized });
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'department.created',
      objectType: 'department',
      objectId: department.id,
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { code: department.code, uscc: department.uscc, regionCode: department.regionCode },
    });
    return department;
  });
}

/** What an administrator gives to add a region. */
export interface NewRegion {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string;
  /** A functional zone (经开区, 高区 …) that GB/T 2260 does not list. */
  zone: boolean;
}

/**
 * Adds a region under an existing parent. A standard region must carry its GB/T 2260 code and
 * name; a functional zone gets a code of its own that must not look like a GB/T 2260 code.
 */
export async function createRegion(db: Kdb, actor: Actor, input: NewRegion, meta: RequestMeta) {
  const official = findRegionCode(input.code);
  if (!input.zone) {
    if (!official || !official.standard) {
      throw invalidField('body.code', 'gbt2260', {
        zh: `${input.code} 不是 GB/T 2260 行政区划代码；功能区请标记为 zone`,
        en: `${input.code} is not a GB/T 2260 division code; mark functional zones as zone`,
      });
    }
    // A standard division sits where GB/T 2260 puts it and under the name it gives.
    if (official.parentCode !== input.parentCode) {
      throw invalidField('body.parentCode', 'gbt2260_parent', {
        zh: `${input.code} 的上级区划应为 ${official.parentCode}`,
        en: `the parent of ${input.code} is ${official.parentCode} in GB/T 2260`,
      });
    }
    if (official.name !== input.nameZh) {
      throw invalidField('body.nameZh', 'gbt2260_name', {
        zh: `${input.code} 的标准名称为「${official.name}」`,
        en: `the GB/T 2260 name of ${input.code} is ${official.name}`,
      });
    }
  } else if (/^\d{6}$/.test(input.code) && official?.standard) {
    throw invalidField('body.code', 'not_gbt2260', {
      zh: `${input.code} 是标准行政区划代码，不能用作功能区代码`,
      en: `${input.code} is a standard division code and cannot name a functional zone`,
    });
  }
  return db.transaction().execute(async (trx) => {
    const parent = await findRegion(trx, input.parentCode);
    if (!parent) {
      throw invalidField('body.parentCode', 'exists', {
        zh: `上级区划 ${input.parentCode} 不存在`,
        en: `parent region ${input.parentCode} does not exist`,
      });
    }
    if (await findRegion(trx, input.code)) {
      throw duplicateField('body.code', {
        zh: `区划 ${input.code} 已存在`,
        en: `region ${input.code} already exists`,
      });
    }
    const level = input.zone ? 'zone' : official!.level;
    const row = {
      code: input.code,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      parentCode: input.parentCode,
      level,
      standard: !input.zone,
    } as const;
    await insertRegions(trx, [row]);
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'region.created',
      objectType: 'region',
      objectId: row.code,
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { parentCode: row.parentCode, level, standard: row.standard },
    });
    return row;
  });
}

/**
 * Renames a department (机构更名) or enters its credit code (a department seeded without demo data
 * has none until then); its code and region stay, so cases, items and users that refer to it
 * follow. Audited with the values before and after.
 */
export async function renameDepartment(
  db: Kdb,
  actor: Actor,
  code: string,
  patch: { nameZh?: string; nameEn?: string; uscc?: string },
  meta: RequestMeta,
) {
  let uscc: string | undefined;
  if (patch.uscc !== undefined) {
    const checked = checkUscc(patch.uscc);
    if (!checked.valid) throw invalidField('body.uscc', checked.reason ?? 'uscc', checked.message!);
    uscc = checked.normalized;
  }
  return db.transaction().execute(async (trx) => {
    const before = await findDepartmentByCode(trx, code);
    if (!before) throw notFound({ zh: `部门 ${code}`, en: `department ${code}` });
    if (uscc !== undefined && uscc !== before.uscc) {
      const holder = await findDepartmentByUscc(trx, uscc);
      if (holder) {
        throw duplicateField('body.uscc', {
          zh: `统一社会信用代码 ${uscc} 已属于另一部门`,
          en: `the credit code ${uscc} already belongs to another department`,
        });
      }
    }
    const after = await updateDepartmentNames(trx, before.id, {
      nameZh: patch.nameZh ?? before.nameZh,
      nameEn: patch.nameEn ?? before.nameEn,
      uscc: uscc ?? before.uscc,
    });
    const names = {
      from: { zh: before.nameZh, en: before.nameEn },
      to: { zh: after.nameZh, en: after.nameEn },
    };
    await appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: uscc === undefined ? 'department.renamed' : 'department.changed',
      objectType: 'department',
      objectId: before.id,
      ip: meta.ip,
      requestId: meta.requestId,
      detail:
        uscc === undefined
          ? { code, ...names }
          : { code, ...names, uscc: { from: before.uscc, to: after.uscc } },
    });
    return after;
  });
}
