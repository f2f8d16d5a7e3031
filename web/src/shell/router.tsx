import { createBrowserRouter } from 'react-router-dom';
import { CatalogAdminPage } from '../features/catalog/admin-list-page';
import { ItemEditorPage } from '../features/catalog/editor-page';
import { GuidePage } from '../features/catalog/guide-page';
import { PrintPage } from '../features/catalog/print-page';
import { ServicesPage } from '../features/catalog/services-page';
import { SignInPage } from '../features/platform/sign-in-page';
import { CockpitPage } from './cockpit-page';
import { HallPage } from './hall-page';
import { AppLayout } from './layout';
import { NotFoundPage } from './not-found-page';
import { RequireEntry } from './require-entry';
import { WorkbenchHome, WorkbenchNotFound, WorkbenchPage } from './workbench-page';

/** The app's routes: the three entries, sign-in, and a not-found page, all in one layout. */
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HallPage /> },
      { path: 'services', element: <ServicesPage /> },
      { path: 'services/:code', element: <GuidePage /> },
      {
        path: 'workbench',
        element: (
          <RequireEntry entry="workbench">
            <WorkbenchPage />
          </RequireEntry>
        ),
        children: [
          { index: true, element: <WorkbenchHome /> },
          { path: 'catalog', element: <CatalogAdminPage /> },
          { path: 'catalog/new', element: <ItemEditorPage /> },
          { path: 'catalog/:code/edit', element: <ItemEditorPage /> },
          { path: '*', element: <WorkbenchNotFound /> },
        ],
      },
      {
        path: 'cockpit/*',
        element: (
          <RequireEntry entry="cockpit">
            <CockpitPage />
          </RequireEntry>
        ),
      },
      { path: 'signin', element: <SignInPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  // The printable guide stands alone: no header, navigation or footer on paper.
  { path: 'services/:code/print', element: <PrintPage /> },
]);
