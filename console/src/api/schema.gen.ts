// Generated from docs/openapi.json by `make console-types` (console/scripts/gen-api.mjs): do not edit.
/* eslint-disable */
export interface paths {
    "/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's API keys (masked) */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key for a machine; the key is shown once */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key (it stops working within the authorizer cache TTL, at most 60 s) */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events (admin) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange e-mail and password for an access token and a refresh token */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a refresh token and every token rotated from it */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a refresh token into a new token pair (reusing an old one revokes its family) */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant on the free plan, its admin user and its usage key */
        post: operations["signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start paying for a higher plan: a hosted checkout page, or for a paying tenant its subscription moved to the higher price; the plan changes when the provider confirms it
         * @description A tenant without a subscription gets a Checkout Session (201, kind checkout). A tenant with an active subscription keeps that one subscription: its price changes to the higher plan's, the prorated difference for the rest of the period is invoiced at once (200, kind subscription_update). Either way the plan moves when the verified webhook (customer.subscription.updated) says so.
         */
        post: operations["createCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every plan with its price (BRL) and limits (public) */
        get: operations["listPlans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The billing provider's customer portal: card, cancellation, invoices */
        post: operations["createPortalSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The billing provider's events (public; only a verified Stripe-Signature is accepted) */
        post: operations["receiveWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checks/{check_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A check: status, timings, report or errors */
        get: operations["getCheck"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checks/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue checks for up to 10,000 CNPJs (JSON or CSV)
         * @description A JSON body (`{"cnpjs": [...]}` or the bare array) or a `text/csv` body: one CNPJ per line, masked or bare, an optional header, `;` `,` or tab separated with a `cnpj` column. Invalid entries are reported back with their index (and CSV line) and not counted; a repeated CNPJ is checked once. Each valid CNPJ gets a target (created or reused) and a check; CNPJs already in the shared cache are answered from it without a provider call. The fan-out runs after the answer (follow GET /checks/batch/{batch_id}). When the allowance has room for only some, those are queued and the rest rejected.
         */
        post: operations["createBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checks/batch/{batch_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A batch's progress: counts, measured throughput, ETA from the capacity model */
        get: operations["getBatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checks/batch/{batch_id}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A batch's checks, in submission order
         * @description Paged (next_cursor); `status` keeps only the checks in that state (a filtered page may be short and still have a next_cursor).
         */
        get: operations["listBatchChecks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checks/batch/{batch_id}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a batch's results (CSV or JSON)
         * @description One row per valid CNPJ, in submission order: cnpj, status, legal_name, situation, failure_reason, check_id (CSV with a header line, or JSON: BatchResults).
         */
        get: operations["downloadBatchResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (no dependencies) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: tables, queues and secrets reachable; each provider's capacity and breaker */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is: user, role, tenant and plan (any role) */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List targets
         * @description Newest first.
         */
        get: operations["listTargets"];
        put?: never;
        /**
         * Create a target
         * @description The CNPJ may be masked or bare, numeric or alphanumeric; one target per CNPJ per tenant.
         */
        post: operations["createTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/targets/{target_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a target */
        get: operations["getTarget"];
        put?: never;
        post?: never;
        /** Delete a target and its checks */
        delete: operations["deleteTarget"];
        options?: never;
        head?: never;
        /** Change a target's label or tags */
        patch: operations["patchTarget"];
        trace?: never;
    };
    "/targets/{target_id}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A target's check history
         * @description Newest first.
         */
        get: operations["listChecks"];
        put?: never;
        /**
         * Run a check on a target
         * @description Synchronous by default (201 with the check and its report). With async=true the check is queued (202, Location: /checks/{id}). A sync check that finds every provider at its rate limit beyond the sync budget is queued too (202 with Retry-After and eta_seconds), unless on_busy=fail: then 503 with Retry-After, not charged. Idempotency-Key makes retries return the same check.
         */
        post: operations["createCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant, its plan and the plan's limits */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /**
         * Delete the tenant: every credential stops at once, and a job purges everything it owns
         * @description Answers 202 with the deletion job (Location: /tenant/deletion); a repeated DELETE answers the same job. From now on only the deleting admin's GET /tenant/deletion (and DELETE /tenant) are answered; everything else is 403 tenant_deleted.
         */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenant/deletion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's deletion job: status, items removed per kind, start and finish times */
        get: operations["getTenantDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenant/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Move the tenant down to a cheaper plan: a paid plan stays until its paid period ends, anything not paid for changes at once; moving up is paid for at POST /billing/checkout (402) */
        put: operations["changePlan"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Checks used this month */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/usage/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consumption report of a month (admin): checks per day, mode, cache and principal
         * @description Checks counted in `period` (YYYY-MM, UTC; default this month), per day, split by mode (sync, async, batch), cached versus looked up, and by principal (API key id or user id). Read from per-day counters kept with the allowance, so its totals agree with GET /usage. `Accept: text/csv` answers CSV (one line per day and principal, with a header); any other Accept answers JSON (UsageReport). A month before the tenant existed is an empty report; a malformed or future period is a 422 naming `period`.
         */
        get: operations["getUsageReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's users */
        get: operations["listUsers"];
        put?: never;
        /** Invite a user with a role and an initial password */
        post: operations["inviteUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Disable a user: sign-in refused, every session ended, the API keys they created revoked */
        delete: operations["disableUser"];
        options?: never;
        head?: never;
        /** Change a user's role (the last admin cannot be demoted; nobody raises their own role) */
        patch: operations["changeUserRole"];
        trace?: never;
    };
    "/users/{user_id}/sessions/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign a user out everywhere (an admin for anyone, a user for themselves) */
        post: operations["revokeUserSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Address
         * @description Establishment address. Street-level fields are dropped for sole proprietors (home addresses).
         */
        Address: {
            /** City */
            city?: string | null;
            /** City Ibge Code */
            city_ibge_code?: string | null;
            /** Complement */
            complement?: string | null;
            /** Country */
            country?: string | null;
            /** District */
            district?: string | null;
            /** Number */
            number?: string | null;
            /** State */
            state?: string | null;
            /** Street */
            street?: string | null;
            /** Street Type */
            street_type?: string | null;
            /** Zip Code */
            zip_code?: string | null;
        };
        /** ApiKeyCreated */
        ApiKeyCreated: {
            /** Created At */
            created_at: string;
            /**
             * Key
             * @description shown once: store it now
             */
            key: string;
            /** Key Id */
            key_id: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /**
             * Prefix
             * @description the first characters only; the full key is never shown again
             */
            prefix: string;
            /** Revoked */
            revoked: boolean;
            /** Role */
            role: string;
        };
        /** ApiKeyCreateRequest */
        ApiKeyCreateRequest: {
            /** Name */
            name: string;
            /**
             * Role
             * @default analyst
             * @enum {string}
             */
            role: "admin" | "analyst" | "viewer";
        };
        /** ApiKeyList */
        ApiKeyList: {
            /** Items */
            items: components["schemas"]["ApiKeyView"][];
        };
        /** ApiKeyView */
        ApiKeyView: {
            /** Created At */
            created_at: string;
            /** Key Id */
            key_id: string;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            /**
             * Prefix
             * @description the first characters only; the full key is never shown again
             */
            prefix: string;
            /** Revoked */
            revoked: boolean;
            /** Role */
            role: string;
        };
        /**
         * AuditEvent
         * @description One audited action: who (user or API key id), what, on what, and how it went (no personal data).
         */
        AuditEvent: {
            /**
             * Action
             * @description e.g. target.created, apikey.revoked
             */
            action: string;
            /**
             * Actor
             * @description the user or API key id
             */
            actor?: string | null;
            /** Event Id */
            event_id: string;
            /**
             * Outcome
             * @description success or failure
             */
            outcome?: string | null;
            /**
             * Principal Type
             * @description user or api_key
             */
            principal_type?: string | null;
            /** Request Id */
            request_id?: string | null;
            /**
             * Resource
             * @description e.g. target/<id>
             */
            resource?: string | null;
            /** Source Ip */
            source_ip?: string | null;
            /**
             * Time
             * @description ISO 8601, UTC
             */
            time: string;
            /** User Agent */
            user_agent?: string | null;
        };
        /** AuditPage */
        AuditPage: {
            /**
             * Items
             * @description newest first
             */
            items: components["schemas"]["AuditEvent"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /**
         * BatchCheckPage
         * @description A page of a batch's checks, in the order they were submitted.
         */
        BatchCheckPage: {
            /** Items */
            items: components["schemas"]["CheckOut"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** BatchCheckRef */
        BatchCheckRef: {
            /** Check Id */
            check_id: string;
            /** Cnpj */
            cnpj: string;
            /** Target Id */
            target_id: string;
        };
        /** BatchCounts */
        BatchCounts: {
            /**
             * Failed
             * @default 0
             */
            failed: number;
            /**
             * Queued
             * @default 0
             */
            queued: number;
            /**
             * Running
             * @default 0
             */
            running: number;
            /**
             * Succeeded
             * @default 0
             */
            succeeded: number;
        };
        /**
         * BatchCreate
         * @description A batch as JSON: `{"cnpjs": [...]}` (or the bare array); POST /checks/batch takes a text/csv body too.
         */
        BatchCreate: {
            /** Cnpjs */
            cnpjs: string[];
        };
        /** BatchItemProblem */
        BatchItemProblem: {
            /**
             * Index
             * @description position of the entry in the batch (0-based: the cnpjs list, or the CSV's rows)
             */
            index: number;
            /**
             * Input
             * @description the entry as sent (first 32 characters)
             */
            input: string;
            /**
             * Line
             * @description CSV bodies: the 1-based line of the file
             */
            line?: number | null;
            /** Message */
            message: string;
            /** Reason */
            reason: string;
        };
        /** BatchOut */
        BatchOut: {
            /**
             * Accepted
             * @description checks queued (counted against the allowance)
             */
            accepted: number;
            /** Batch Id */
            batch_id: string;
            /**
             * Checks
             * @description not listed here: GET /checks/batch/{batch_id}/checks pages through them
             */
            checks?: components["schemas"]["BatchCheckRef"][] | null;
            counts: components["schemas"]["BatchCounts"];
            /** Created At */
            created_at: string;
            /** Done */
            done: boolean;
            /**
             * Eta Seconds
             * @description seconds until the rest is expected done, from the providers' capacity model
             */
            eta_seconds?: number | null;
            /**
             * Invalid
             * @description not valid CNPJs, not counted
             */
            invalid?: components["schemas"]["BatchItemProblem"][];
            /**
             * Rejected
             * @description valid CNPJs left out because the monthly allowance ran out
             */
            rejected?: components["schemas"]["BatchItemProblem"][];
            /**
             * Submitted
             * @description CNPJs received
             */
            submitted: number;
            /**
             * Throughput Per Min
             * @description checks of this batch finished per minute, measured from its own finishes
             */
            throughput_per_min?: number | null;
        };
        /**
         * BatchResultRow
         * @description One valid CNPJ of a batch and its outcome (a row of the results download).
         */
        BatchResultRow: {
            /** Check Id */
            check_id: string;
            /** Cnpj */
            cnpj: string;
            /**
             * Failure Reason
             * @description why it failed (empty unless failed)
             */
            failure_reason: string;
            /**
             * Legal Name
             * @description the report's legal name (empty until it succeeded)
             */
            legal_name: string;
            /**
             * Situation
             * @description the registration status (ATIVA, BAIXADA...; empty until it succeeded)
             */
            situation: string;
            /**
             * Status
             * @description queued, running, succeeded or failed
             */
            status: string;
        };
        /**
         * BatchResults
         * @description A batch's results as JSON (format=json): one row per valid CNPJ, in submission order.
         */
        BatchResults: {
            /** Batch Id */
            batch_id: string;
            /** Items */
            items: components["schemas"]["BatchResultRow"][];
        };
        /** CheckOut */
        CheckOut: {
            /**
             * Age Seconds
             * @description how old the report's data is now: seconds since its provider was asked
             */
            age_seconds?: number | null;
            /**
             * Attempts
             * @default 0
             */
            attempts: number;
            /** Batch Id */
            batch_id?: string | null;
            /** Cached */
            cached?: boolean | null;
            /**
             * Capacity Waits
             * @description times it waited for provider capacity (not faults)
             * @default 0
             */
            capacity_waits: number;
            /** Cnpj */
            cnpj: string;
            /** Cnpj Formatted */
            cnpj_formatted: string;
            /** Created At */
            created_at: string;
            /** @description changes since the previous successful report */
            diff?: components["schemas"]["ReportDiff"] | null;
            /**
             * Errors
             * @description per-provider errors of a failed check
             */
            errors?: components["schemas"]["ProviderAttempt"][] | null;
            /**
             * Eta Seconds
             * @description a check queued because providers were busy: when it is expected to run
             */
            eta_seconds?: number | null;
            /**
             * Expires At
             * @description when retention removes this check and its report
             */
            expires_at?: string | null;
            /** Failure Reason */
            failure_reason?: string | null;
            /** Id */
            id: string;
            /**
             * Mode
             * @description sync or async
             */
            mode: string;
            report?: components["schemas"]["Report"] | null;
            /**
             * Source
             * @description the provider (or cache) that produced the report
             */
            source?: string | null;
            /**
             * Stale
             * @description true: no provider could answer, so this is the last good report (see age_seconds)
             */
            stale?: boolean | null;
            /**
             * Status
             * @description queued, running, succeeded or failed
             */
            status: string;
            /** Target Id */
            target_id: string;
            timings: components["schemas"]["CheckTimings"];
        };
        /**
         * CheckoutOut
         * @description A first subscription's checkout page (201), or the one subscription moved up, prorated (200).
         */
        CheckoutOut: {
            /**
             * Kind
             * @description which of the two
             * @default checkout
             * @enum {string}
             */
            kind: "checkout" | "subscription_update";
            /**
             * Plan
             * @description moves when the provider confirms it (the webhook)
             */
            plan: string;
            /**
             * Session Id
             * @description the checkout session (checkout)
             */
            session_id?: string | null;
            /**
             * Subscription Id
             * @description the subscription (subscription_update)
             */
            subscription_id?: string | null;
            /**
             * Url
             * @description the payment page (checkout), or the page to go back to
             */
            url: string;
        };
        /** CheckoutRequest */
        CheckoutRequest: {
            /**
             * Plan
             * @description a paid plan above the tenant's current one
             */
            plan: string;
        };
        /** CheckPage */
        CheckPage: {
            /** Items */
            items: components["schemas"]["CheckOut"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** CheckTimings */
        CheckTimings: {
            /** Duration Ms */
            duration_ms?: number | null;
            /** Finished At */
            finished_at?: string | null;
            /** Queued At */
            queued_at?: string | null;
            /**
             * Retry At
             * @description when a check waiting on rate-limited providers runs again
             */
            retry_at?: string | null;
            /** Started At */
            started_at?: string | null;
        };
        /**
         * CnaeDetail
         * @description One CNAE subclass: its 7-digit code and the description the provider sent with it (None when it sent none).
         */
        CnaeDetail: {
            /** Code */
            code: string;
            /** Description */
            description?: string | null;
        };
        /**
         * Contact
         * @description Business contacts as registered; absent (None on the report) for sole proprietors.
         */
        Contact: {
            /** Email */
            email?: string | null;
            /** Phones */
            phones?: string[];
        };
        /** DeletionJobView */
        DeletionJobView: {
            /**
             * Finished At
             * @description set when nothing of the tenant is left
             */
            finished_at?: string | null;
            /**
             * Items Removed
             * @description items removed so far, per kind
             */
            items_removed: {
                [key: string]: number;
            };
            /** Items Removed Total */
            items_removed_total: number;
            /** Job Id */
            job_id: string;
            /** Requested At */
            requested_at: string;
            /** Started At */
            started_at?: string | null;
            /**
             * Status
             * @description queued, running or succeeded
             */
            status: string;
            /**
             * Sweeps
             * @description extra passes over every kind (writes that raced the purge)
             */
            sweeps: number;
            /** Tenant Id */
            tenant_id: string;
        };
        /**
         * Error
         * @description Every error answer of the API, from the functions (radar.http) and from the gateway alike.
         */
        Error: {
            error: components["schemas"]["ErrorInfo"];
        };
        /** ErrorInfo */
        ErrorInfo: {
            /**
             * Code
             * @description machine-readable; each operation's error responses list the codes they carry
             */
            code: string;
            /**
             * Details
             * @description the fields at fault (validation), or what a limit was (throttling, quota, plan)
             * @default null
             */
            details: components["schemas"]["FieldProblem"][] | {
                [key: string]: unknown;
            } | null;
            /**
             * Message
             * @description for people; never a stack trace
             */
            message: string;
        };
        /**
         * FieldChange
         * @description One report field that changed: its dotted path, the previous value and the new one.
         */
        FieldChange: {
            /**
             * Field
             * @description dotted path in the report, e.g. address.city
             */
            field: string;
            /**
             * From
             * @description the previous value (null when it was absent)
             */
            from?: unknown;
            /**
             * To
             * @description the new value (null when it is gone)
             */
            to?: unknown;
        };
        /**
         * FieldProblem
         * @description One rejected part of a request: validation errors name each field this way.
         */
        FieldProblem: {
            /**
             * Field
             * @description dotted path of the field (body, a query parameter, a header, cnpjs.3, ...)
             */
            field: string;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /**
             * Reason
             * @description machine-readable reason, e.g. missing, string_too_long
             * @default null
             */
            reason: string | null;
        };
        /** HealthOut */
        HealthOut: {
            /**
             * Status
             * @description ok
             */
            status: string;
        };
        /**
         * LegalNature
         * @description Natureza jurídica: the 4-digit RFB code (e.g. 2054) and its description.
         */
        LegalNature: {
            /** Code */
            code?: string | null;
            /** Description */
            description?: string | null;
        };
        /** LoginRequest */
        LoginRequest: {
            /** Email */
            email: string;
            /** Password */
            password: string;
        };
        /** LogoutRequest */
        LogoutRequest: {
            /**
             * Refresh Token
             * @description required unless the request sends X-Radar-Session: cookie (then the radar_refresh cookie is read)
             */
            refresh_token?: string | null;
        };
        /**
         * MeView
         * @description Who the caller is: any role may read it. For an API key, `user_id` is the key's id and `email` is null.
         */
        MeView: {
            /** Email */
            email: string | null;
            /** Plan */
            plan: string;
            /**
             * Principal Type
             * @enum {string}
             */
            principal_type: "user" | "api_key";
            /** Role */
            role: string;
            /** Tenant Id */
            tenant_id: string;
            /** Tenant Name */
            tenant_name: string;
            /** User Id */
            user_id: string;
        };
        /**
         * Partner
         * @description One QSA entry. `document` is the masked CPF (***123456**) as published, a partner CNPJ, or None.
         */
        Partner: {
            /** Age Range */
            age_range?: string | null;
            /** Country */
            country?: string | null;
            /** Document */
            document?: string | null;
            /** Joined On */
            joined_on?: string | null;
            /** Kind */
            kind?: ("PF" | "PJ" | "FOREIGN") | null;
            /** Name */
            name?: string | null;
            /** Role */
            role?: string | null;
            /** Role Code */
            role_code?: string | null;
        };
        /** PlanChangeRequest */
        PlanChangeRequest: {
            /** Plan */
            plan: string;
        };
        /** PlanList */
        PlanList: {
            /** Default Plan */
            default_plan: string;
            /** Items */
            items: components["schemas"]["PlanOut"][];
        };
        /** PlanOut */
        PlanOut: {
            /**
             * Checkout
             * @description how to buy it (null: not sold)
             */
            checkout: string | null;
            /** Display Name */
            display_name: string;
            limits: components["schemas"]["TierLimits"];
            /** Plan */
            plan: string;
            /** @description null: free */
            price: components["schemas"]["PriceOut"] | null;
        };
        /** PortalOut */
        PortalOut: {
            /**
             * Url
             * @description the provider's customer portal: card, cancellation, invoices
             */
            url: string;
        };
        /** PriceOut */
        PriceOut: {
            /** Currency */
            currency: string;
            /** Display */
            display: string;
            /** Interval */
            interval: string;
            /**
             * Unit Amount
             * @description in the currency's smallest unit (centavos)
             */
            unit_amount: number;
        };
        /**
         * ProviderAttempt
         * @description What one provider answered while a check ran (no payload, no personal data).
         */
        ProviderAttempt: {
            /** Duration Ms */
            duration_ms?: number | null;
            /** Message */
            message?: string | null;
            /**
             * Outcome
             * @description ok, not_found, invalid, rate_limited, circuit_open, transient or error
             */
            outcome: string;
            /** Provider */
            provider?: string | null;
            /**
             * Status
             * @description the provider's HTTP status, when it answered
             */
            status?: number | null;
        };
        /**
         * ProviderStatus
         * @description One provider of the chain as the capacity model and its breaker see it now (readiness, ops).
         */
        ProviderStatus: {
            /**
             * Breaker
             * @description closed, open or half_open (shared with the source it proxies)
             */
            breaker: string;
            /**
             * Data Lag Seconds
             * @description how old its answers can be, in seconds (dump cycle; 0: live lookup)
             */
            data_lag_seconds: number;
            /**
             * Name
             * @description provider, in the chain's order of preference
             */
            name: string;
            /**
             * Next Slot Seconds
             * @description seconds until its next free request slot (0: now)
             */
            next_slot_seconds: number;
            /**
             * Outage Group
             * @description the source whose outage takes this provider down
             */
            outage_group: string;
            /**
             * Per Minute
             * @description sustained requests a real minute its schedule allows (null: none)
             */
            per_minute: number | null;
            /**
             * Slots Now
             * @description requests that could start at once (null: unlimited)
             */
            slots_now: number | null;
        };
        /** ReadinessOut */
        ReadinessOut: {
            /** Checks */
            checks: {
                [key: string]: string;
            };
            /**
             * Providers
             * @description each provider's capacity now and its breaker (absent when the cache is unreachable)
             */
            providers?: components["schemas"]["ProviderStatus"][] | null;
            /** Status */
            status: string;
        };
        /** RefreshRequest */
        RefreshRequest: {
            /**
             * Refresh Token
             * @description required unless the request sends X-Radar-Session: cookie (then the radar_refresh cookie is read)
             */
            refresh_token?: string | null;
        };
        /**
         * Report
         * @description A normalized CNPJ report; `model_dump(mode="json")` is the stored and returned form.
         */
        Report: {
            address?: components["schemas"]["Address"] | null;
            /** Cnpj */
            cnpj: string;
            /** Cnpj Formatted */
            cnpj_formatted: string;
            contact?: components["schemas"]["Contact"] | null;
            /**
             * Fetched At
             * Format: date-time
             */
            fetched_at: string;
            /** Head Office */
            head_office?: boolean | null;
            /** Legal Name */
            legal_name?: string | null;
            legal_nature?: components["schemas"]["LegalNature"] | null;
            /** Main Cnae */
            main_cnae?: string | null;
            /** Main Cnae Description */
            main_cnae_description?: string | null;
            /** Mei */
            mei?: boolean | null;
            /** Opened On */
            opened_on?: string | null;
            /**
             * Partial
             * @default false
             */
            partial: boolean;
            /** Partial Reasons */
            partial_reasons?: string[];
            /** Partners */
            partners?: components["schemas"]["Partner"][];
            /**
             * Personal Data Redacted
             * @default false
             */
            personal_data_redacted: boolean;
            /** Secondary Cnae Details */
            secondary_cnae_details?: components["schemas"]["CnaeDetail"][];
            /** Secondary Cnaes */
            secondary_cnaes?: string[];
            /** Share Capital */
            share_capital?: string | null;
            /** Simples */
            simples?: boolean | null;
            /** Size */
            size?: ("MICRO_EMPRESA" | "EMPRESA_DE_PEQUENO_PORTE" | "DEMAIS") | null;
            /** Source */
            source: string;
            /** Source Updated At */
            source_updated_at?: string | null;
            /** State Registrations */
            state_registrations?: components["schemas"]["StateRegistration"][];
            /** Status */
            status?: ("ATIVA" | "BAIXADA" | "INAPTA" | "SUSPENSA" | "NULA") | null;
            /** Status Date */
            status_date?: string | null;
            /** Status Reason */
            status_reason?: string | null;
            tax_option_dates?: components["schemas"]["TaxOptionDates"] | null;
            /** Trade Name */
            trade_name?: string | null;
        };
        /**
         * ReportDiff
         * @description What changed since the target's previous successful report (radar.checks.diff).
         */
        ReportDiff: {
            /**
             * Baseline
             * @description true for a target's first report: nothing to compare with
             */
            baseline: boolean;
            /** Changed */
            changed: boolean;
            /** Changes */
            changes?: components["schemas"]["FieldChange"][];
            /** Partners In */
            partners_in?: components["schemas"]["Partner"][];
            /** Partners Out */
            partners_out?: components["schemas"]["Partner"][];
            /** Previous Check Id */
            previous_check_id?: string | null;
        };
        /** RoleChangeRequest */
        RoleChangeRequest: {
            /**
             * Role
             * @enum {string}
             */
            role: "admin" | "analyst" | "viewer";
        };
        /** SignupRequest */
        SignupRequest: {
            /** Email */
            email: string;
            /**
             * Password
             * @description at least 12 characters, mixing two kinds
             */
            password: string;
            /**
             * Tenant Name
             * @description the organization's display name
             */
            tenant_name: string;
        };
        /** SignupResponse */
        SignupResponse: {
            tenant: components["schemas"]["TenantView"];
            tokens: components["schemas"]["TokenResponse"];
            user: components["schemas"]["UserView"];
        };
        /**
         * StateRegistration
         * @description Inscrição estadual (only CNPJ.ws publishes these).
         */
        StateRegistration: {
            /** Active */
            active?: boolean | null;
            /** Number */
            number: string;
            /** State */
            state?: string | null;
            /** Updated At */
            updated_at?: string | null;
        };
        /** TargetCreate */
        TargetCreate: {
            /**
             * Cnpj
             * @description masked or bare, numeric or alphanumeric
             */
            cnpj: string;
            /** Label */
            label?: string | null;
            /** Tags */
            tags?: string[];
        };
        /** TargetOut */
        TargetOut: {
            /**
             * Cnpj
             * @description 14 characters, uppercase
             */
            cnpj: string;
            /**
             * Cnpj Formatted
             * @description AA.AAA.AAA/AAAA-NN
             */
            cnpj_formatted: string;
            /** Created At */
            created_at: string;
            /** Id */
            id: string;
            /** Label */
            label?: string | null;
            /** Tags */
            tags?: string[];
            /** Updated At */
            updated_at: string;
        };
        /** TargetPage */
        TargetPage: {
            /** Items */
            items: components["schemas"]["TargetOut"][];
            /** Next Cursor */
            next_cursor?: string | null;
        };
        /** TargetPatch */
        TargetPatch: {
            /** Label */
            label?: string | null;
            /** Tags */
            tags?: string[] | null;
        };
        /**
         * TaxOptionDates
         * @description When the company opted into / was excluded from Simples Nacional and MEI (SIMEI), when known.
         */
        TaxOptionDates: {
            /** Mei Excluded On */
            mei_excluded_on?: string | null;
            /** Mei Opted On */
            mei_opted_on?: string | null;
            /** Simples Excluded On */
            simples_excluded_on?: string | null;
            /** Simples Opted On */
            simples_opted_on?: string | null;
        };
        /** TenantView */
        TenantView: {
            /** Created At */
            created_at: string;
            limits: components["schemas"]["TierLimits"];
            /** Name */
            name: string;
            /**
             * Pending At
             * @description the end of the paid period
             */
            pending_at?: string | null;
            /**
             * Pending Plan
             * @description a downgrade that takes effect at pending_at
             */
            pending_plan?: string | null;
            /** Plan */
            plan: string;
            /** Tenant Id */
            tenant_id: string;
        };
        /** TierLimits */
        TierLimits: {
            /** Burst */
            burst: number;
            /** Monthly Checks */
            monthly_checks: number;
            /** Quota */
            quota: number;
            /** Quota Period */
            quota_period: string;
            /** Rate */
            rate: number;
            /** Retention Days */
            retention_days: number;
        };
        /** TokenResponse */
        TokenResponse: {
            /** Access Token */
            access_token: string;
            /** Expires In */
            expires_in: number;
            /**
             * Refresh Expires In
             * @description cookie mode only: seconds the refresh token lasts
             */
            refresh_expires_in?: number | null;
            /**
             * Refresh Token
             * @description null in cookie mode: the token is in the radar_refresh cookie
             */
            refresh_token: string | null;
            /**
             * Token Type
             * @default Bearer
             */
            token_type: string;
        };
        /** UsageCounts */
        UsageCounts: {
            /**
             * By Mode
             * @description sync, async and batch
             */
            by_mode: {
                [key: string]: number;
            };
            /**
             * Cached
             * @description answered from the shared report cache
             */
            cached: number;
            /**
             * Checks
             * @description checks counted against the allowance (what GET /usage counts)
             */
            checks: number;
            /**
             * Looked Up
             * @description not answered from the cache: a provider lookup, or still in flight
             */
            looked_up: number;
            /**
             * Unattributed
             * @description counted before checks recorded who ran them (no split known)
             * @default 0
             */
            unattributed: number;
        };
        /** UsageOut */
        UsageOut: {
            /** Allowance */
            allowance: number;
            /** By Day */
            by_day: {
                [key: string]: number;
            };
            /**
             * Period
             * @description YYYY-MM (UTC)
             */
            period: string;
            /** Plan */
            plan: string;
            /** Remaining */
            remaining: number;
            /** Resets At */
            resets_at: string;
            /** Used */
            used: number;
        };
        /** UsageReport */
        UsageReport: {
            /**
             * Days
             * @description every day of the period (up to today for this month)
             */
            days: components["schemas"]["UsageReportDay"][];
            /** Generated At */
            generated_at: string;
            /**
             * Period
             * @description YYYY-MM (UTC)
             */
            period: string;
            /**
             * Principals
             * @description who ran the checks, most checks first
             */
            principals: components["schemas"]["UsageReportPrincipal"][];
            /**
             * Rows
             * @description per day and principal: the CSV's lines
             */
            rows: components["schemas"]["UsageReportRow"][];
            totals: components["schemas"]["UsageCounts"];
        };
        /** UsageReportDay */
        UsageReportDay: {
            /**
             * By Mode
             * @description sync, async and batch
             */
            by_mode: {
                [key: string]: number;
            };
            /**
             * Cached
             * @description answered from the shared report cache
             */
            cached: number;
            /**
             * Checks
             * @description checks counted against the allowance (what GET /usage counts)
             */
            checks: number;
            /**
             * Date
             * @description YYYY-MM-DD (UTC)
             */
            date: string;
            /**
             * Looked Up
             * @description not answered from the cache: a provider lookup, or still in flight
             */
            looked_up: number;
            /**
             * Unattributed
             * @description counted before checks recorded who ran them (no split known)
             * @default 0
             */
            unattributed: number;
        };
        /** UsageReportPrincipal */
        UsageReportPrincipal: {
            /**
             * By Mode
             * @description sync, async and batch
             */
            by_mode: {
                [key: string]: number;
            };
            /**
             * Cached
             * @description answered from the shared report cache
             */
            cached: number;
            /**
             * Checks
             * @description checks counted against the allowance (what GET /usage counts)
             */
            checks: number;
            /**
             * Looked Up
             * @description not answered from the cache: a provider lookup, or still in flight
             */
            looked_up: number;
            /**
             * Principal Id
             * @description the API key id or the user id
             */
            principal_id: string;
            /**
             * Principal Type
             * @description api_key or user
             */
            principal_type: string;
            /**
             * Unattributed
             * @description counted before checks recorded who ran them (no split known)
             * @default 0
             */
            unattributed: number;
        };
        /**
         * UsageReportRow
         * @description One CSV line: a day and a principal (principal_type `unattributed` for counts without one).
         */
        UsageReportRow: {
            /**
             * By Mode
             * @description sync, async and batch
             */
            by_mode: {
                [key: string]: number;
            };
            /**
             * Cached
             * @description answered from the shared report cache
             */
            cached: number;
            /**
             * Checks
             * @description checks counted against the allowance (what GET /usage counts)
             */
            checks: number;
            /** Date */
            date: string;
            /**
             * Looked Up
             * @description not answered from the cache: a provider lookup, or still in flight
             */
            looked_up: number;
            /** Principal Id */
            principal_id: string;
            /** Principal Type */
            principal_type: string;
            /**
             * Unattributed
             * @description counted before checks recorded who ran them (no split known)
             * @default 0
             */
            unattributed: number;
        };
        /** UserInviteRequest */
        UserInviteRequest: {
            /** Email */
            email: string;
            /**
             * Password
             * @description initial password; at least 12 characters, two kinds
             */
            password: string;
            /**
             * Role
             * @enum {string}
             */
            role: "admin" | "analyst" | "viewer";
        };
        /** UserList */
        UserList: {
            /** Items */
            items: components["schemas"]["UserView"][];
        };
        /** UserView */
        UserView: {
            /** Created At */
            created_at: string;
            /**
             * Disabled
             * @default false
             */
            disabled: boolean;
            /** Email */
            email: string;
            /** Role */
            role: string;
            /** User Id */
            user_id: string;
        };
        /** WebhookOut */
        WebhookOut: {
            /** Event Id */
            event_id: string;
            /**
             * Outcome
             * @enum {string}
             */
            outcome: "processed" | "duplicate" | "ignored";
            /**
             * Received
             * @default true
             */
            received: boolean;
            /** Type */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description keys, prefix only */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreateRequest"];
            };
        };
        responses: {
            /** @description the new key, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such key. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                action?: string | null;
                cursor?: string | null;
                /** @description ISO 8601 time or prefix, inclusive */
                end?: string | null;
                limit?: number;
                /** @description ISO 8601 time or prefix, inclusive */
                start?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of audit events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: {
                /** @description `cookie` (browsers): the refresh token travels in the httpOnly `radar_refresh` cookie (Secure, SameSite=Strict, Path=/v1/auth), never in a body; the answer's `refresh_token` is null and `refresh_expires_in` says how long the cookie's token lasts. Without it (API clients) the refresh token is in the JSON body and cookies are ignored. */
                "X-Radar-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description token pair */
            200: {
                headers: {
                    /** @description With `X-Radar-Session: cookie`: `radar_refresh=<refresh token>; Path=/v1/auth; Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, when the session ends: logout, or a refused refresh) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid e-mail or password. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the organization was deleted (tenant_deleted). Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: {
                /** @description `cookie` (browsers): the refresh token travels in the httpOnly `radar_refresh` cookie (Secure, SameSite=Strict, Path=/v1/auth), never in a body; the answer's `refresh_token` is null and `refresh_expires_in` says how long the cookie's token lasts. Without it (API clients) the refresh token is in the JSON body and cookies are ignored. */
                "X-Radar-Session"?: "cookie";
            };
            path?: never;
            cookie?: {
                /** @description The refresh token, read only with `X-Radar-Session: cookie` (the header is the CSRF guard) and only when the body has no `refresh_token`. */
                radar_refresh?: string;
            };
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LogoutRequest"];
            };
        };
        responses: {
            /** @description revoked (or already unknown) */
            204: {
                headers: {
                    /** @description With `X-Radar-Session: cookie`: `radar_refresh=<refresh token>; Path=/v1/auth; Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, when the session ends: logout, or a refused refresh) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: {
                /** @description `cookie` (browsers): the refresh token travels in the httpOnly `radar_refresh` cookie (Secure, SameSite=Strict, Path=/v1/auth), never in a body; the answer's `refresh_token` is null and `refresh_expires_in` says how long the cookie's token lasts. Without it (API clients) the refresh token is in the JSON body and cookies are ignored. */
                "X-Radar-Session"?: "cookie";
            };
            path?: never;
            cookie?: {
                /** @description The refresh token, read only with `X-Radar-Session: cookie` (the header is the CSRF guard) and only when the body has no `refresh_token`. */
                radar_refresh?: string;
            };
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description new token pair */
            200: {
                headers: {
                    /** @description With `X-Radar-Session: cookie`: `radar_refresh=<refresh token>; Path=/v1/auth; Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, when the session ends: logout, or a refused refresh) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid refresh token. Codes: `unauthorized` */
            401: {
                headers: {
                    /** @description With `X-Radar-Session: cookie`: `radar_refresh=<refresh token>; Path=/v1/auth; Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, when the session ends: logout, or a refused refresh) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the organization was deleted (tenant_deleted). Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signup: {
        parameters: {
            query?: never;
            header?: {
                /** @description `cookie` (browsers): the refresh token travels in the httpOnly `radar_refresh` cookie (Secure, SameSite=Strict, Path=/v1/auth), never in a body; the answer's `refresh_token` is null and `refresh_expires_in` says how long the cookie's token lasts. Without it (API clients) the refresh token is in the JSON body and cookies are ignored. */
                "X-Radar-Session"?: "cookie";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignupRequest"];
            };
        };
        responses: {
            /** @description tenant, admin user and tokens */
            201: {
                headers: {
                    /** @description With `X-Radar-Session: cookie`: `radar_refresh=<refresh token>; Path=/v1/auth; Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, when the session ends: logout, or a refused refresh) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignupResponse"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description e-mail taken. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckoutRequest"];
            };
        };
        responses: {
            /** @description the tenant's subscription moved to the higher price */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutOut"];
                };
            };
            /** @description the checkout session and its URL */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutOut"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not an upgrade, or the subscription has an unpaid invoice (use the portal). Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description billing unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description plans, cheapest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the portal URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no billing account yet. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description billing unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    receiveWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description processed, a duplicate, or ignored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookOut"];
                };
            };
            /** @description signature missing, wrong or too old. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description billing unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description check id */
                check_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the check */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchCreate"];
                "text/csv": string;
            };
        };
        responses: {
            /** @description batch accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description allowance used up. Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description batch id */
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the batch */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBatchChecks: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                limit?: number;
                /** @description only checks in this state */
                status?: ("queued" | "running" | "succeeded" | "failed") | null;
            };
            header?: never;
            path: {
                /** @description batch id */
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of the batch's checks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchCheckPage"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadBatchResults: {
        parameters: {
            query?: {
                /** @description csv (default) or json */
                format?: "csv" | "json";
            };
            header?: never;
            path: {
                /** @description batch id */
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResults"];
                    "text/csv": string;
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every dependency reachable */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a dependency is unavailable; the body names it. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeView"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTargets: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of targets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetPage"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such target. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTarget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TargetCreate"];
            };
        };
        responses: {
            /** @description created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such target. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a target with this CNPJ exists. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description target id */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such target. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description target id */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted, with its checks and reports */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such target. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description target id */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TargetPatch"];
            };
        };
        responses: {
            /** @description the changed target */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such target. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChecks: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page */
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description target id */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a page of the target's checks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckPage"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createCheck: {
        parameters: {
            query?: {
                /** @description queue the check instead of running it */
                async?: boolean;
                /** @description a cached report older than this is not used: seconds or a duration (90, 30m, 12h, 7d); 0 = refresh=true */
                max_age?: string | null;
                /** @description when no provider can answer, the last good report is served (stale: true) if at most this old (default 30d; 0 = never) */
                max_stale?: string | null;
                /** @description sync checks with every provider busy: queue (202, default) or fail (503, not charged) */
                on_busy?: "queue" | "fail";
                /** @description bypass the CNPJ cache and ask the providers again */
                refresh?: boolean;
            };
            header?: {
                "idempotency-key"?: string | null;
            };
            path: {
                /** @description target id */
                target_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description check done (succeeded, or failed with a final reason) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckOut"];
                };
            };
            /** @description check queued (async, or sync with the providers busy: Retry-After, eta_seconds) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Idempotency-Key reused for another request, or still in progress. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description monthly check allowance used up (nothing queued). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no provider could answer (or on_busy=fail and all were busy): recorded failed, not charged. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deletion job */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletionJobView"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenantDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deletion job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletionJobView"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no deletion job. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changePlan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanChangeRequest"];
            };
        };
        responses: {
            /** @description the tenant, with pending_plan/pending_at when the downgrade waits for the period end */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantView"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description an upgrade: pay for it at POST /billing/checkout. Codes: `upgrade_requires_payment` */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description this month's usage */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageOut"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsageReport: {
        parameters: {
            query?: {
                /** @description YYYY-MM (UTC); default: this month */
                period?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                    "text/csv": string;
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no tenant context. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not found (or expired by retention). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid input (field named in details). Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    inviteUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserInviteRequest"];
            };
        };
        responses: {
            /** @description the user */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also what another tenant's ids look like). Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description e-mail taken. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    disableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description disabled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such user. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the last admin cannot be removed or demoted. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeUserRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleChangeRequest"];
            };
        };
        responses: {
            /** @description the user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description malformed JSON. Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such user. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the last admin cannot be removed or demoted. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description invalid body. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description every session ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed request (bad JSON, bad cursor). Codes: `bad_request`, `invalid_webhook`, `malformed_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description missing or invalid credentials. Codes: `unauthorized` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description role too low. Codes: `forbidden`, `invalid_api_key`, `own_role_raise`, `tenant_deleted` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no such user. Codes: `batch_not_found`, `check_not_found`, `cnpj_not_found`, `not_found`, `route_not_found`, `target_not_found`, `user_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the last admin cannot be removed or demoted. Codes: `conflict`, `email_taken`, `idempotency_conflict`, `last_admin`, `no_billing_account`, `target_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body too large. Codes: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Body is not JSON. Codes: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Validation Error. Codes: `invalid_cnpj`, `plan_not_sold`, `unknown_plan`, `validation_error`, `weak_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade). Codes: `allowance_exceeded`, `quota_exceeded`, `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error (never a stack trace). Codes: `authorizer_failure`, `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency is unavailable. Codes: `billing_not_configured`, `billing_provider_unavailable`, `coordination_unavailable`, `dependency_unavailable`, `providers_busy`, `providers_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
