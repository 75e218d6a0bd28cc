"""The CDK app for cnpj-radar: `python infra_cdk/app.py` synthesizes cdk.out/CnpjRadar.template.json.

Layout (one construct per capability, a thin stack):
- `app.py` entry point and `build_app()`; `stack.py` the CnpjRadar stack (tags, outputs, cdk-nag);
- `data.py` tables, `messaging.py` checks queue + DLQ, `secrets.py` secrets, `functions.py` layers, functions,
  roles and log groups, `api.py` REST API, authorizer, usage plans, gateway responses, `monitoring.py` alarms
  and dashboards, `bundling.py` Docker-free pip bundling of the deps layer;
- `settings.py` context/env settings, `naming.py` pinned logical ids, `nag.py` acknowledged findings;
- `routes.py` (shared) the route list the API is built from.

Context (`-c key=value` or cdk.json) / environment:
- `radar:corsAllowedOrigins` / `CORS_ALLOWED_ORIGINS` (comma list or JSON list; none by default);
- `radar:logRetentionDays` (30), `radar:logLevel` (INFO), `radar:stageRateLimit` (500), `radar:stageBurstLimit`
  (1000), `radar:alarmEmail` (none), `radar:runbookBaseUrl` (docs/runbooks), `radar:allowMockFallback` (false);
- `RADAR_BUNDLE=1` bundles the deps layer with pip even without the CDK CLI (the CLI bundles by default);
  plain `python infra_cdk/app.py` skips bundling so a local synth is fast and offline;
- cdk-nag (AwsSolutions) runs in synth under the CDK CLI or with `RADAR_NAG=1` (`RADAR_NAG=0` turns it off);
  tests/infra always runs it.

Pinned logical ids (stable for the local cloud, SAM and outputs): MainTable, CacheTable, IdempotencyTable,
ChecksQueue, ChecksDlq, SigningKeySecret, PublicKeysSecret, ProviderTokensSecret, CursorKeySecret, RadarLayer,
DepsLayer, <Name>Function / <Name>FunctionRole / <Name>FunctionLogGroup (Authorizer, Auth, Targets, Checks,
Worker), ChecksQueueEventSource, RestApi, ApiStage, ApiAuthorizer, ApiAccessLogGroup, UsagePlan<Plan>,
GatewayResponse<Type>, AlarmTopic, Alarm<Name>, OpsDashboard, BusinessDashboard. Each API method carries
Metadata `cnpj-radar:function` = the logical id of the function behind it (integrations name functions by
their fixed physical name, `<stack>-<name>`, to avoid a dependency cycle; see api.py).
"""

from __future__ import annotations

import os

# The Node that runs jsii here is 20; the banner is noise on every synth and test run.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
