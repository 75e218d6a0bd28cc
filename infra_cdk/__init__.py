"""The CDK app for cnpj-radar: `python infra_cdk/app.py` synthesizes cdk.out/CnpjRadar.template.json.

Layout (one construct per capability, a thin stack per stage):
- `app.py` entry point, `build_app()` / `build_stages()`; `stack.py` a stage's stack (tags, outputs, cdk-nag);
  `account.py` the stage's account stack (GitHub OIDC deploy role, API Gateway logging role);
- `stages/<stage>.json` the stage settings as data (dev, staging, prod), read by `settings.py`;
- `deployments.py` CodeDeploy groups on the `live` aliases, `hooks/pre_traffic` their smoke hook, `waf.py` the
  web ACL (REGIONAL here, reusable for CLOUDFRONT), `backup.py` AWS Backup plan, vault and key;
- `data.py` tables, `messaging.py` checks queue + DLQ, `secrets.py` secrets, `functions.py` layers, functions,
  roles and log groups, `api.py` REST API, authorizer, usage plans, gateway responses, `monitoring.py` alarms
  and dashboards, `bundling.py` Docker-free pip bundling of the deps layer;
- `settings.py` context/env settings, `naming.py` pinned logical ids, `nag.py` acknowledged findings;
- `routes.py` (shared) the route list the API is built from.

Settings: the stage file (`-c radar:stage=<dev|staging|prod|all>` or RADAR_STAGE; dev by default), then context
(`-c radar:<key>=...`, or cdk.json "context"), then the environment, for:
- `radar:corsAllowedOrigins` / `CORS_ALLOWED_ORIGINS`: comma list or JSON list; none by default (no CORS);
- `radar:logRetentionDays` / `RADAR_LOG_RETENTION_DAYS` (30), `radar:logLevel` / `RADAR_LOG_LEVEL` (INFO),
  `radar:stageRateLimit` / `RADAR_STAGE_RATE_LIMIT` (500), `radar:stageBurstLimit` / `RADAR_STAGE_BURST_LIMIT`
  (1000), `radar:alarmEmail` / `RADAR_ALARM_EMAIL` (none), `radar:runbookBaseUrl` / `RADAR_RUNBOOK_BASE_URL`
  (docs/runbooks), `radar:allowMockFallback` / `RADAR_ALLOW_MOCK_FALLBACK` (false).
Switches:
- bundling: every function and the radar layer ship with their bytecode, compiled by the runtime's Python (found
  on PATH, in pyenv, or `RADAR_RUNTIME_PYTHON`) and by the synth's; the deps layer is pip-bundled (Docker-free)
  under the CDK CLI (`cdk deploy`) or with `RADAR_BUNDLE=1`, and a plain `python infra_cdk/app.py` (fast, offline)
  stages its requirements file instead (`radar:bundle-deps` false);
- cdk-nag (AwsSolutions) runs in synth under the CDK CLI or with `RADAR_NAG=1` (`RADAR_NAG=0` turns it off);
  tests/infra always runs it, and cfn-lint, on the session's one synthesized template.

Pinned logical ids (stable for the local cloud, SAM and outputs): MainTable, CacheTable, IdempotencyTable,
ChecksQueue, ChecksDlq, SigningKeySecret, PublicKeysSecret, ProviderTokensSecret, CursorKeySecret, RadarLayer,
DepsLayer, <Name>Function / <Name>FunctionRole / <Name>FunctionLogGroup / <Name>FunctionLiveAlias (Authorizer,
Auth, Targets, Checks, Worker), <Name>DeploymentGroup, DeploymentApplication, PreTrafficHook, ApiWafWebAcl,
ApiWafAssociation, ApiWafLogGroup, ApiWafLogging, BackupVault, BackupVaultKey, BackupPlan, BackupSelection,
ChecksQueueEventSource, RestApi, ApiStage, ApiAuthorizer, ApiAccessLogGroup, UsagePlan<Plan>,
GatewayResponse<Type>, AlarmTopic, Alarm<Name>, OpsDashboard, BusinessDashboard. Each API method carries
Metadata `cnpj-radar:function` = the logical id of the function behind it (integrations name functions by
their fixed physical name, `<stack>-<name>`, to avoid a dependency cycle; see api.py).
"""

from __future__ import annotations

import os

# The Node that runs jsii here is 20; the banner is noise on every synth and test run.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
