import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const WorkflowsPage = lazy(() => import('./WorkflowsPage'));
const WorkflowPage = lazy(() => import('./WorkflowPage'));

export const routes: RouteObject[] = [
  { path: 'workflows', element: <WorkflowsPage /> },
  { path: 'workflows/:workflowId', element: <WorkflowPage /> },
];
