"""Create every resource of a synthesized template in the emulator, from the template's own properties."""

from __future__ import annotations

import json
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from scripts.localcloud.aws import client
from scripts.localcloud.filterpattern import MetricFilter
from scripts.localcloud.kept_secrets import keep_or_write, template_secret_check
from scripts.localcloud.template import ACCOUNT_ID, REGION, Template, UnresolvedReference

__all__ = ["Provisioned", "provision"]


@dataclass
class Provisioned:
    """What the local cloud created, by logical id, plus the functions and mappings it must run itself."""

    template: Template
    created: dict[str, str] = field(default_factory=dict)  # logical id -> resource type
    skipped: dict[str, str] = field(default_factory=dict)  # logical id -> why (no emulator counterpart needed)
    metric_filters: list[MetricFilter] = field(default_factory=list)  # evaluated by the local log sink

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for resource_type in self.created.values():
            counts[resource_type] = counts.get(resource_type, 0) + 1
        return counts


def _arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{ACCOUNT_ID}:{resource}"


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


def _lower_first(value: Any) -> Any:
    """CloudFormation PascalCase keys -> API Gateway's camelCase."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _lower_first(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_first(v) for v in value]
    return value


def _generate_secret(spec: dict[str, Any]) -> str:
    length = int(spec.get("PasswordLength", 32))
    alphabet = string.ascii_letters + string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += "!#$%&()*+,-.:;<=>?@[]^_{|}~"
    exclude = set(spec.get("ExcludeCharacters", ""))
    alphabet = "".join(c for c in alphabet if c not in exclude)
    value = "".join(secrets.choice(alphabet) for _ in range(length))
    template = spec.get("SecretStringTemplate")
    key = spec.get("GenerateStringKey")
    if template and key:
        data = json.loads(template)
        data[key] = value
        return json.dumps(data)
    return value


class _Provisioner:
    def __init__(self, template: Template) -> None:
        self.t = template
        self.result = Provisioned(template)
        self.handlers: dict[str, Callable[[str, dict[str, Any]], None]] = {
            "AWS::DynamoDB::Table": self.table,
            "AWS::DynamoDB::GlobalTable": self.table,
            "AWS::SQS::Queue": self.queue,
            "AWS::SecretsManager::Secret": self.secret,
            "AWS::SNS::Topic": self.topic,
            "AWS::Logs::LogGroup": self.log_group,
            "AWS::Logs::MetricFilter": self.metric_filter,
            "AWS::IAM::Role": self.role,
            "AWS::Lambda::Function": self.function,
            "AWS::CloudFormation::Stack": self.nested_stack,
            "AWS::Lambda::LayerVersion": self.layer,
            "AWS::Lambda::Version": self.function_version,
            "AWS::Lambda::Alias": self.function_alias,
            "AWS::Lambda::EventSourceMapping": self.event_source_mapping,
            "AWS::ApiGateway::RestApi": self.rest_api,
            "AWS::ApiGateway::Resource": self.api_resource,
            "AWS::ApiGateway::Authorizer": self.api_generic_id,
            "AWS::ApiGateway::Deployment": self.api_generic_id,
            "AWS::ApiGateway::Method": self.api_generic_id,
            "AWS::ApiGateway::Stage": self.stage,
            "AWS::ApiGateway::ApiKey": self.api_key,
            "AWS::ApiGateway::UsagePlan": self.usage_plan,
            "AWS::ApiGateway::UsagePlanKey": self.usage_plan_key,
            "AWS::CloudWatch::Alarm": self.alarm,
            "AWS::CloudWatch::Dashboard": self.dashboard,
        }

    def run(self) -> Provisioned:
        # Dependency order first; a reference still unresolved (a cycle broken by DependsOn in CloudFormation)
        # defers the resource to a later pass.
        pending = self.t.creation_order()
        while pending:
            deferred: list[str] = []
            errors: list[str] = []
            for logical_id in pending:
                try:
                    self._create(logical_id)
                except UnresolvedReference as exc:
                    deferred.append(logical_id)
                    errors.append(f"{logical_id}: {exc}")
            if len(deferred) == len(pending):
                raise UnresolvedReference("; ".join(errors))
            pending = deferred
        return self.result

    def _create(self, logical_id: str) -> None:
        resource = self.t.resources[logical_id]
        resource_type = resource["Type"]
        handler = self.handlers.get(resource_type)
        if handler is None:
            self._fallback(logical_id, resource_type)
            return
        handler(logical_id, self.t.resolve(resource.get("Properties", {})))
        self.result.created[logical_id] = resource_type

    # -- generic -------------------------------------------------------------------------------------------
    def _fallback(self, logical_id: str, resource_type: str) -> None:
        """Resources with no emulator counterpart (IAM policies, permissions, metadata): give them ids only."""
        name = self.t.physical_name(logical_id)
        service = resource_type.split("::")[1].lower() if "::" in resource_type else "custom"
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {"Arn": _arn(service, name)}
        self.result.skipped[logical_id] = f"{resource_type}: nothing to emulate"

    def nested_stack(self, logical_id: str, props: dict[str, Any]) -> None:
        """A nested stack (the console's CloudFront site) is not emulated: the local cloud serves what it holds
        itself (scripts/console). Its outputs resolve to host names under `.invalid` (RFC 2606: never resolvable,
        so nothing leaves the machine) and the service that stands in for it tells the functions its real URL
        (services.py, e.g. the console's BILLING_RETURN_URL)."""
        name = self.t.physical_name(logical_id)
        self.t.refs[logical_id] = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{name}/local"
        self.t.attrs[logical_id] = {}
        path = self.t.resources[logical_id].get("Metadata", {}).get("aws:asset:path")
        nested = self.t.path.parent / str(path) if path else None
        found = nested is not None and nested.is_file()
        outputs = json.loads(nested.read_text(encoding="utf-8")).get("Outputs", {}) if nested and found else {}
        self.t.attrs[logical_id].update(
            {f"Outputs.{name}": f"{name.lower()}.{logical_id.lower()}.localcloud.invalid" for name in outputs})

    # -- data ----------------------------------------------------------------------------------------------
    def table(self, logical_id: str, props: dict[str, Any]) -> None:
        ddb = client("dynamodb")
        name = props.get("TableName") or self.t.physical_name(logical_id)
        billing = props.get("BillingMode", "PROVISIONED")
        args: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": billing,
        }
        if billing == "PROVISIONED":
            args["ProvisionedThroughput"] = props.get(
                "ProvisionedThroughput", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
            )
        for index_kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if props.get(index_kind):
                indexes = []
                for index in props[index_kind]:
                    index = {k: v for k, v in index.items() if k in {"IndexName", "KeySchema", "Projection"}} | (
                        {"ProvisionedThroughput": index["ProvisionedThroughput"]}
                        if billing == "PROVISIONED" and "ProvisionedThroughput" in index
                        else {}
                    )
                    indexes.append(index)
                args[index_kind] = indexes
        if props.get("StreamSpecification", {}).get("StreamViewType"):
            args["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": props["StreamSpecification"]["StreamViewType"],
            }
        try:
            description = ddb.create_table(**args)["TableDescription"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                raise
            description = self._reconcile_indexes(name, args)  # kept from an earlier run: the template's GSIs win
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            ddb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]}
            )
        pitr = props.get("PointInTimeRecoverySpecification") or next(
            (r.get("PointInTimeRecoverySpecification") for r in props.get("Replicas", []) if r), None
        )
        if pitr and pitr.get("PointInTimeRecoveryEnabled"):
            ddb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {
            "Arn": description["TableArn"],
            "StreamArn": description.get("LatestStreamArn", f"{description['TableArn']}/stream/local"),
        }

    def _reconcile_indexes(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """An existing table (restored state) gets the template's global secondary indexes, as a stack update would."""
        ddb = client("dynamodb")
        description = dict(ddb.describe_table(TableName=name)["Table"])
        have = {index["IndexName"] for index in description.get("GlobalSecondaryIndexes", [])}
        want = {index["IndexName"]: index for index in args.get("GlobalSecondaryIndexes", [])}
        updates = [{"Delete": {"IndexName": index}} for index in sorted(have - set(want))]
        updates += [{"Create": want[index]} for index in sorted(set(want) - have)]
        for update in updates:  # DynamoDB takes one index change per call
            ddb.update_table(
                TableName=name, AttributeDefinitions=args["AttributeDefinitions"], GlobalSecondaryIndexUpdates=[update]
            )
        return dict(ddb.describe_table(TableName=name)["Table"]) if updates else description

    def queue(self, logical_id: str, props: dict[str, Any]) -> None:
        sqs = client("sqs")
        fifo = bool(props.get("FifoQueue"))
        name = props.get("QueueName") or self.t.physical_name(logical_id) + (".fifo" if fifo else "")
        attributes: dict[str, str] = {}
        for key in (
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "DelaySeconds",
            "MaximumMessageSize",
            "ReceiveMessageWaitTimeSeconds",
            "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds",
            "SqsManagedSseEnabled",
            "FifoQueue",
            "ContentBasedDeduplication",
        ):
            if key in props:
                value = props[key]
                attributes[key] = str(value).lower() if isinstance(value, bool) else str(value)
        if "RedrivePolicy" in props:
            policy = props["RedrivePolicy"]
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": policy["deadLetterTargetArn"],
                    "maxReceiveCount": int(policy["maxReceiveCount"]),
                }
            )
        try:
            url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        except ClientError as exc:  # kept from an earlier run with other attributes: the template's win
            if exc.response["Error"]["Code"] not in ("QueueAlreadyExists", "QueueNameExists"):
                raise
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            changeable = {k: v for k, v in attributes.items() if k not in ("FifoQueue",)}
            if changeable:
                sqs.set_queue_attributes(QueueUrl=url, Attributes=changeable)
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.t.refs[logical_id] = url
        self.t.attrs[logical_id] = {"Arn": arn, "QueueName": name, "QueueUrl": url}

    def secret(self, logical_id: str, props: dict[str, Any]) -> None:
        """Kept when the emulator already holds a valid value (another local cloud's; localcloud/kept_secrets)."""
        name = props.get("Name") or self.t.physical_name(logical_id)
        literal = props.get("SecretString")

        def make() -> str:
            return str(literal) if literal is not None else _generate_secret(props.get("GenerateSecretString", {}))

        arn, _ = keep_or_write(name, valid=template_secret_check(logical_id, props), make=make,
                               description=props.get("Description", ""))
        self.t.refs[logical_id] = arn
        self.t.attrs[logical_id] = {"Id": arn}

    def topic(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("TopicName") or self.t.physical_name(logical_id, 256)
        arn = client("sns").create_topic(Name=name)["TopicArn"]
        self.t.refs[logical_id] = arn
        self.t.attrs[logical_id] = {"TopicArn": arn, "TopicName": name}

    def log_group(self, logical_id: str, props: dict[str, Any]) -> None:
        logs = client("logs")
        name = props.get("LogGroupName") or self.t.physical_name(logical_id)
        try:
            logs.create_log_group(logGroupName=name)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceAlreadyExistsException":
                raise
        if props.get("RetentionInDays"):
            logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {"Arn": _arn("logs", f"log-group:{name}:*")}

    def metric_filter(self, logical_id: str, props: dict[str, Any]) -> None:
        # Validated (and compiled) before moto stores it: a pattern the local sink cannot evaluate fails the start.
        metric_filter = MetricFilter(props["LogGroupName"], props.get("FilterPattern", ""),
                                     list(props.get("MetricTransformations", [])))
        name = props.get("FilterName") or self.t.physical_name(logical_id)
        client("logs").put_metric_filter(
            logGroupName=metric_filter.log_group,
            filterName=name,
            filterPattern=metric_filter.pattern,
            metricTransformations=[_lower_first(t) for t in metric_filter.transformations],
        )
        self.result.metric_filters.append(metric_filter)
        self.t.refs[logical_id] = name

    # -- compute (run by the local cloud itself) ------------------------------------------------------------
    def role(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("RoleName") or self.t.physical_name(logical_id, 64)
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {"Arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}", "RoleId": uuid.uuid4().hex}

    def function(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("FunctionName") or self.t.physical_name(logical_id, 64)
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {"Arn": _arn("lambda", f"function:{name}")}

    def function_version(self, logical_id: str, props: dict[str, Any]) -> None:
        # Every version runs as the function's one local runtime (Template.function_behind); ids only.
        name = str(props["FunctionName"]).split(":function:")[-1].split(":")[0]
        self.t.refs[logical_id] = _arn("lambda", f"function:{name}:1")
        self.t.attrs[logical_id] = {"Version": "1", "FunctionArn": self.t.refs[logical_id]}

    def function_alias(self, logical_id: str, props: dict[str, Any]) -> None:
        # Ref of an alias is its ARN (callers split it), `arn:...:function:<name>:<alias>`.
        name = str(props["FunctionName"]).split(":function:")[-1].split(":")[0]
        self.t.refs[logical_id] = _arn("lambda", f"function:{name}:{props['Name']}")
        self.t.attrs[logical_id] = {"AliasArn": self.t.refs[logical_id]}

    def layer(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("LayerName") or self.t.physical_name(logical_id, 64)
        self.t.refs[logical_id] = _arn("lambda", f"layer:{name}:1")

    def event_source_mapping(self, logical_id: str, props: dict[str, Any]) -> None:
        self.t.refs[logical_id] = str(uuid.uuid4())

    # -- API Gateway (the control plane lives in the emulator; the data plane is our gateway) ---------------
    def rest_api(self, logical_id: str, props: dict[str, Any]) -> None:
        apigw = client("apigateway")
        name = props.get("Name") or self.t.physical_name(logical_id)
        existing = [a for a in apigw.get_rest_apis(limit=500).get("items", []) if a.get("name") == name]
        api = existing[0] if existing else apigw.create_rest_api(name=name)
        self.t.refs[logical_id] = api["id"]
        self.t.attrs[logical_id] = {"RootResourceId": api.get("rootResourceId") or uuid.uuid4().hex[:10]}

    def api_resource(self, logical_id: str, props: dict[str, Any]) -> None:
        self.t.refs[logical_id] = uuid.uuid4().hex[:10]
        self.t.attrs[logical_id] = {"ResourceId": self.t.refs[logical_id]}

    def api_generic_id(self, logical_id: str, props: dict[str, Any]) -> None:
        self.t.refs[logical_id] = uuid.uuid4().hex[:10]
        self.t.attrs[logical_id] = {"AuthorizerId": self.t.refs[logical_id], "DeploymentId": self.t.refs[logical_id]}

    def stage(self, logical_id: str, props: dict[str, Any]) -> None:
        self.t.refs[logical_id] = props["StageName"]

    def api_key(self, logical_id: str, props: dict[str, Any]) -> None:
        apigw = client("apigateway")
        name = props.get("Name") or self.t.physical_name(logical_id)
        args = {"name": name, "enabled": props.get("Enabled", False)}
        if props.get("Value"):
            args["value"] = props["Value"]
        try:
            key_id = apigw.create_api_key(**args)["id"]
        except ClientError as exc:  # already there from an earlier run against the same emulator
            if exc.response["Error"]["Code"] != "ConflictException":
                raise
            keys = apigw.get_api_keys(includeValues=True, limit=500).get("items", [])
            key_id = next(k["id"] for k in keys if k.get("value") == props.get("Value") or k.get("name") == name)
        self.t.refs[logical_id] = key_id
        self.t.attrs[logical_id] = {"APIKeyId": key_id}

    def usage_plan(self, logical_id: str, props: dict[str, Any]) -> None:
        apigw = client("apigateway")
        args = _drop_none(
            {
                "name": props.get("UsagePlanName") or self.t.physical_name(logical_id),
                "description": props.get("Description"),
                "apiStages": _lower_first(props.get("ApiStages")),
                "throttle": _lower_first(props.get("Throttle")),
                "quota": _lower_first(props.get("Quota")),
            }
        )
        existing = [p for p in apigw.get_usage_plans(limit=500).get("items", []) if p.get("name") == args["name"]]
        if existing:  # kept from an earlier run (its keys with it): same id, the template's limits
            self.t.refs[logical_id] = existing[0]["id"]
            self._update_limits(existing[0], args)
            return
        self.t.refs[logical_id] = apigw.create_usage_plan(**args)["id"]

    @staticmethod
    def _update_limits(plan: dict[str, Any], wanted: dict[str, Any]) -> None:
        operations = []
        for section, fields in (("throttle", ("rateLimit", "burstLimit")), ("quota", ("limit", "period", "offset"))):
            for name in fields:
                value = (wanted.get(section) or {}).get(name)
                if value is not None and (plan.get(section) or {}).get(name) != value:
                    operations.append({"op": "replace", "path": f"/{section}/{name}", "value": str(value)})
        rate = (wanted.get("throttle") or {}).get("rateLimit")
        if rate is not None and float(rate) != int(float(rate)) and operations:
            # moto truncates a fractional rate given in a patch; a fresh plan (make clean) takes it as it is.
            print(f"note: usage plan {plan.get('name')} kept from the last run differs from the template; "
                  "`make clean` to start over with the template's limits", flush=True)
            return
        if operations:
            client("apigateway").update_usage_plan(usagePlanId=plan["id"], patchOperations=operations)

    def usage_plan_key(self, logical_id: str, props: dict[str, Any]) -> None:
        try:
            client("apigateway").create_usage_plan_key(
                usagePlanId=props["UsagePlanId"], keyId=props["KeyId"], keyType=props.get("KeyType", "API_KEY")
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConflictException":
                raise
        self.t.refs[logical_id] = f"{props['UsagePlanId']}:{props['KeyId']}"

    # -- monitoring ------------------------------------------------------------------------------------------
    def alarm(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("AlarmName") or self.t.physical_name(logical_id, 255)
        args = _drop_none({k: v for k, v in props.items() if k != "AlarmName"})
        client("cloudwatch").put_metric_alarm(AlarmName=name, **args)
        self.t.refs[logical_id] = name
        self.t.attrs[logical_id] = {"Arn": _arn("cloudwatch", f"alarm:{name}")}

    def dashboard(self, logical_id: str, props: dict[str, Any]) -> None:
        name = props.get("DashboardName") or self.t.physical_name(logical_id)
        client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=props["DashboardBody"])
        self.t.refs[logical_id] = name


def provision(template: Template) -> Provisioned:
    return _Provisioner(template).run()
