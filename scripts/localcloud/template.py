"""Read a synthesized CloudFormation template and resolve its intrinsic functions against local physical ids."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ACCOUNT_ID", "REGION", "Template", "UnresolvedReference"]

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


class UnresolvedReference(Exception):
    """A Ref/GetAtt points at something the local cloud has not created (yet)."""


@dataclass
class Template:
    path: Path
    body: dict[str, Any]
    stack_name: str
    # Per logical id: the value of Ref and of each GetAtt attribute, filled in while provisioning.
    refs: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Template:
        body = json.loads(path.read_text(encoding="utf-8"))
        stack_name = path.name.removesuffix(".template.json")
        return cls(path=path, body=body, stack_name=stack_name)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.body.get("Resources", {}))

    def of_type(self, resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for logical_id, resource in self.resources.items():
            if resource.get("Type") == resource_type:
                yield logical_id, resource

    def physical_ids(self, resource_type: str) -> list[str]:
        """The Ref of every created resource of a type, in template order."""
        return [str(self.refs[lid]) for lid, _ in self.of_type(resource_type) if lid in self.refs]

    def props(self, logical_id: str) -> dict[str, Any]:
        return dict(self.resources[logical_id].get("Properties", {}))

    def pseudo(self, name: str) -> Any:
        return {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": self.stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{self.stack_name}/local",
            "AWS::NoValue": None,
        }[name]

    def physical_name(self, logical_id: str, max_len: int = 80) -> str:
        """A stable, readable physical name, like CloudFormation's `<stack>-<logicalId>` without the random tail."""
        return f"{self.stack_name}-{logical_id}"[:max_len]

    def resolve(self, value: Any) -> Any:
        """Resolve Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If (true branch unknown: error)."""
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not None]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                logical_id, attr = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._getatt(logical_id, attr)
            if key == "Fn::Join":
                sep, parts = arg
                return sep.join(str(p) for p in self.resolve(parts))
            if key == "Fn::Select":
                index, items = arg
                return self.resolve(items)[int(self.resolve(index))]
            if key == "Fn::Split":
                sep, text = arg
                return str(self.resolve(text)).split(sep)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Base64":
                import base64

                return base64.b64encode(str(self.resolve(arg)).encode()).decode()
            if key == "Fn::GetAZs":
                return [f"{REGION}a", f"{REGION}b"]
        return {k: self.resolve(v) for k, v in value.items()}

    def _ref(self, name: str) -> Any:
        if name.startswith("AWS::"):
            return self.pseudo(name)
        params = self.body.get("Parameters", {})
        if name in params:
            return params[name].get("Default")
        if name in self.refs:
            return self.refs[name]
        raise UnresolvedReference(f"Ref {name}")

    def _getatt(self, logical_id: str, attr: str) -> Any:
        try:
            return self.attrs[logical_id][attr]
        except KeyError as exc:
            raise UnresolvedReference(f"GetAtt {logical_id}.{attr}") from exc

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        resolved_vars = {k: self.resolve(v) for k, v in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in resolved_vars:
                return str(resolved_vars[name])
            if "." in name:
                logical_id, attr = name.split(".", 1)
                return str(self._getatt(logical_id, attr))
            return str(self._ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    # Resources that stand for a function: a version or an alias of it names the function in FunctionName.
    _FUNCTION_HANDLES = ("AWS::Lambda::Alias", "AWS::Lambda::Version")

    def function_behind(self, node: Any) -> str | None:
        """The AWS::Lambda::Function logical id that a reference invokes, or None.

        Callers name a function many ways: Ref/GetAtt of the function, of one of its versions or of an alias (the
        `live` alias: Ref gives its ARN), anywhere inside Fn::Join/Fn::Select/Fn::Sub (an API integration URI, an
        event source mapping's FunctionName), or an ARN or name spelled out, with or without a `:qualifier`.
        The local cloud runs every version and alias of a function as that function's one runtime.
        """
        resources = self.body.get("Resources", {})
        found: list[str] = []

        def walk(value: Any) -> None:
            if found:
                return
            if isinstance(value, dict):
                target = value.get("Ref") if isinstance(value.get("Ref"), str) else None
                getatt = value.get("Fn::GetAtt")
                if getatt is not None:
                    target = str(getatt[0] if isinstance(getatt, list) else getatt.split(".", 1)[0])
                resource = resources.get(target) if target else None
                if resource and resource.get("Type") == "AWS::Lambda::Function":
                    found.append(str(target))
                    return
                if resource and resource.get("Type") in self._FUNCTION_HANDLES:
                    walk(resource.get("Properties", {}).get("FunctionName"))
                    return
                for child in value.values():
                    walk(child)
            elif isinstance(value, list):
                for child in value:
                    walk(child)

        walk(node)
        if found:
            return found[0]
        text = str(self.try_resolve(node) or "")
        match = re.search(r":function:([^/:]+)", text) or re.fullmatch(r"([\w-]+)(?::[\w$-]+)?", text)
        if not match:
            return None
        for logical_id, resource in resources.items():
            if resource.get("Type") != "AWS::Lambda::Function":
                continue
            if match.group(1) in (self.refs.get(logical_id), resource.get("Properties", {}).get("FunctionName")):
                return str(logical_id)
        return None

    def try_resolve(self, value: Any) -> Any:
        try:
            return self.resolve(value)
        except UnresolvedReference:
            return None

    def dependencies(self, logical_id: str) -> set[str]:
        """Logical ids this resource references (for ordering creation)."""
        found: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if "Ref" in node and isinstance(node["Ref"], str) and node["Ref"] in self.body["Resources"]:
                    found.add(node["Ref"])
                if "Fn::GetAtt" in node:
                    arg = node["Fn::GetAtt"]
                    found.add(arg[0] if isinstance(arg, list) else arg.split(".", 1)[0])
                if "Fn::Sub" in node:
                    arg = node["Fn::Sub"]
                    text = arg if isinstance(arg, str) else arg[0]
                    for name in re.findall(r"\$\{([^}!][^}]*)\}", text):
                        base = name.split(".", 1)[0]
                        if base in self.body["Resources"]:
                            found.add(base)
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                for child in node:
                    walk(child)

        resource = self.body["Resources"][logical_id]
        walk(resource.get("Properties", {}))
        depends = resource.get("DependsOn", [])
        found.update([depends] if isinstance(depends, str) else depends)
        found.discard(logical_id)
        return found

    def creation_order(self) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(node: str) -> None:
            if state.get(node) == 2:
                return
            if state.get(node) == 1:
                return  # a cycle (e.g. role <-> policy): CloudFormation breaks these with DependsOn; order is fine
            state[node] = 1
            for dep in sorted(self.dependencies(node)):
                if dep in self.body["Resources"]:
                    visit(dep)
            state[node] = 2
            order.append(node)

        for logical_id in self.body["Resources"]:
            visit(logical_id)
        return order
