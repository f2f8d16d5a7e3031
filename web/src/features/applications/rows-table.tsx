import type { ReactNode } from 'react';
import type { Text } from '../../shell/i18n';
import { useI18n } from '../../shell/i18n';

/**
 * The rows of a table field under its columns' names, read-only; `cell` shows one value, so each
 * view keeps its own way of reading values.
 */
export function RowsTable<C extends { key: string; label: Text }>({
  columns,
  rows,
  cell,
}: {
  columns: C[];
  rows: unknown[];
  cell: (column: C, value: unknown) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <table className="ot-app-data-table">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key}>{t(column.label)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {columns.map((column) => (
              <td key={column.key}>{cell(column, (row as Record<string, unknown>)[column.key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
