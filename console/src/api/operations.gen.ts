// Generated from docs/openapi.json by `make console-types` (console/scripts/gen-api.mjs): do not edit.
// Each operation of the contract and its parameters (`in:name`): the console shows a page or a control
// only when the API it needs is in the contract it was built against.
export const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  "GET /api-keys": [],
  "POST /api-keys": [],
  "DELETE /api-keys/{key_id}": ["path:key_id"],
  "GET /audit": ["query:action","query:cursor","query:end","query:limit","query:start"],
  "POST /auth/login": [],
  "POST /auth/logout": [],
  "POST /auth/refresh": [],
  "POST /auth/signup": [],
  "POST /billing/checkout": [],
  "GET /billing/plans": [],
  "POST /billing/portal": [],
  "POST /billing/webhook": [],
  "GET /checks/{check_id}": ["path:check_id"],
  "POST /checks/batch": [],
  "GET /checks/batch/{batch_id}": ["path:batch_id"],
  "GET /checks/batch/{batch_id}/checks": ["path:batch_id","query:cursor","query:limit","query:status"],
  "GET /checks/batch/{batch_id}/results": ["path:batch_id","query:format"],
  "GET /health": [],
  "GET /health/ready": [],
  "GET /targets": ["query:cursor","query:limit"],
  "POST /targets": [],
  "GET /targets/{target_id}": ["path:target_id"],
  "DELETE /targets/{target_id}": ["path:target_id"],
  "PATCH /targets/{target_id}": ["path:target_id"],
  "GET /targets/{target_id}/checks": ["path:target_id","query:cursor","query:limit"],
  "POST /targets/{target_id}/checks": ["header:idempotency-key","path:target_id","query:async","query:on_busy","query:refresh"],
  "GET /tenant": [],
  "DELETE /tenant": [],
  "PUT /tenant/plan": [],
  "GET /usage": [],
  "GET /users": [],
  "POST /users": [],
};
// The most CNPJs one POST /checks/batch takes (BatchCreate.cnpjs.maxItems).
export const BATCH_MAX_ITEMS = 10000;
