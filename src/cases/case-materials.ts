// The materials of a department case, as the staff handling it see them: what the applicant
// uploaded for the materials this member's item asks for, and what was attached in place of a
// paper (免提交) — each licence opened through the MaterialSources port, which logs the opening.
import type { Actor } from '../platform/auth/model';
import type { Kdb } from '../platform/db/database';
import { notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import type { CaseRow } from './department-store';
import { MATERIAL_PROVISIONS } from '../bundles/codes';
import type { Applicant, Snapshot } from './service';
import * as store from './store';
import type { MaterialSources, Waiver } from './waivers';

const MATERIAL: Text = { zh: '材料', en: 'material' };

/** One material of a case with its files or the source attached in its place. */
export interface CaseMaterial {
  key: string;
  name: Text;
  provision: keyof typeof MATERIAL_PROVISIONS;
  provisionLabel: Text;
  uploads: {
    id: string;
    filename: string;
    contentType: string;
    size: number;
    uploadedAt: string;
  }[];
  waived: Waiver | null;
}

function snapshotOf(row: store.ApplicationRow): Snapshot | null {
  return (row.snapshot as Snapshot | null) ?? null;
}

/** The materials this case's member uses, in the merged list's order. */
export async function caseMaterials(db: Kdb, row: CaseRow): Promise<CaseMaterial[]> {
  const [application, uploads] = await Promise.all([
    store.findApplication(db, row.applicationId),
    store.listUploads(db, [row.applicationId]),
  ]);
  const snapshot = application ? snapshotOf(application) : null;
  if (!snapshot) return [];
  const waivers = snapshot.waivers ?? {};
  return snapshot.guide.materials
    .filter((m) => m.usedBy.some((use) => use.member === row.memberKey))
    .map((m) => ({
      key: m.key,
      name: m.name,
      provision: m.provision,
      provisionLabel: MATERIAL_PROVISIONS[m.provision],
      uploads: uploads
        .filter((u) => u.materialKey === m.key)
        .map((u) => ({
          id: u.id,
          filename: u.filename,
          contentType: u.contentType,
          size: u.size,
          uploadedAt: u.uploadedAt.toISOString(),
        })),
      waived: waivers[m.key] ?? null,
    }));
}

/** An upload of a material this case uses, with its bytes (404 for any other). */
export async function caseUpload(db: Kdb, row: CaseRow, uploadId: string) {
  const materials = await caseMaterials(db, row);
  const file = await store.findUploadContent(db, row.applicationId, uploadId);
  if (!file || !materials.some((m) => m.key === file.materialKey)) {
    throw notFound({ zh: '上传的材料', en: 'uploaded material' });
  }
  return file;
}

/**
 * The licence attached in place of a material of this case, opened by the actor (logged for the
 * holder to see): 404 unless the material is this case's and the licence was attached for it.
 */
export async function openCaseLicence(
  db: Kdb,
  sources: MaterialSources,
  row: CaseRow,
  materialKey: string,
  licenceId: string,
  actor: Actor,
  card: { name: string; departmentCode: string | null },
  now: Date,
) {
  const application = await store.findApplication(db, row.applicationId);
  const snapshot = application ? snapshotOf(application) : null;
  const material = snapshot?.guide.materials.find(
    (m) => m.key === materialKey && m.usedBy.some((use) => use.member === row.memberKey),
  );
  const source = snapshot?.waivers?.[materialKey]?.sources.find((s) => s.licence?.id === licenceId);
  if (!application || !snapshot || !material || !source) throw notFound(MATERIAL);
  const licence = await sources.openLicence(
    licenceId,
    {
      source,
      holder: application.applicant as Applicant,
      application: {
        id: application.id,
        number: application.number,
        regionCode: application.regionCode,
        bundleName: snapshot.bundle.name,
      },
      material: { key: material.key, name: material.name },
      actor: {
        userId: actor.userId,
        name: card.name,
        role: actor.role,
        departmentCode: card.departmentCode,
      },
    },
    now,
  );
  if (!licence) throw notFound(MATERIAL);
  return licence;
}
