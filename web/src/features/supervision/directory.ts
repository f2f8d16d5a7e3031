import { useEffect, useState } from 'react';
import type { Lang, Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';
import { fetchDepartments, fetchRegions } from '../hotline/api';
import type { InspectionItem } from './api';
import { fetchItems } from './api';

/** The public names a supervision page shows codes by: items, departments and regions. */
export interface Directory {
  items: InspectionItem[];
  departments: { id: string; code: string; name: Text; regionCode: string }[];
  regions: { code: string; name: Text; parentCode: string | null; level: string }[];
}

let cache: Promise<Directory> | null = null;

function loadDirectory(lang: Lang): Promise<Directory> {
  cache ??= Promise.all([fetchItems(lang), fetchDepartments(lang), fetchRegions(lang)]).then(
    ([items, departments, regions]) => ({
      items,
      departments: departments.map((d) => ({ ...d, name: { zh: d.nameZh, en: d.nameEn } })),
      regions: regions.map((r) => ({ ...r, name: { zh: r.nameZh, en: r.nameEn } })),
    }),
    (error: unknown) => {
      cache = null;
      throw error;
    },
  );
  return cache;
}

/** The directory, loaded once per page load; null until it is there. */
export function useDirectory(): Directory | null {
  const { lang } = useI18n();
  const [directory, setDirectory] = useState<Directory | null>(null);
  useEffect(() => {
    let live = true;
    loadDirectory(lang).then(
      (value) => live && setDirectory(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lang]);
  return directory;
}

/** A code's name in the directory, or the code itself. */
export function nameIn(list: { code: string; name: Text }[] | undefined, code: string): Text {
  return list?.find((entry) => entry.code === code)?.name ?? { zh: code, en: code };
}
