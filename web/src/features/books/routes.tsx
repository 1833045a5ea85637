import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const BooksPage = lazy(() => import('./BooksPage'));

export const routes: RouteObject[] = [{ path: 'books', element: <BooksPage /> }];
