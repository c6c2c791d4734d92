/** Paths of the erasure HTTP API, as the CLI calls them (routes: `shared/erasure/http-api.ts`). */
export const erasureApiRoutes = {
  requests: '/erasure-requests',
  request: (id: string) => `/erasure-requests/${encodeURIComponent(id)}`,
  cancel: (id: string) => `/erasure-requests/${encodeURIComponent(id)}/cancel`,
  retry: (id: string) => `/erasure-requests/${encodeURIComponent(id)}/retry`,
  receipts: (format: 'json' | 'csv') => `/erasure-receipts?format=${format}`,
  lift: '/suppressions/lift',
} as const;
