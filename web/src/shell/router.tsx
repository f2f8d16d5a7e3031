import { createBrowserRouter } from 'react-router-dom';
import { SignInPage } from '../features/platform/sign-in-page';
import { CockpitPage } from './cockpit-page';
import { HallPage } from './hall-page';
import { AppLayout } from './layout';
import { NotFoundPage } from './not-found-page';
import { RequireEntry } from './require-entry';
import { WorkbenchPage } from './workbench-page';

/** The app's routes: the three entries, sign-in, and a not-found page, all in one layout. */
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HallPage /> },
      {
        path: 'workbench/*',
        element: (
          <RequireEntry entry="workbench">
            <WorkbenchPage />
          </RequireEntry>
        ),
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
]);
