"""Secrets Manager secrets: token signing keys, provider tokens, the pagination cursor key and the billing keys."""

from __future__ import annotations

import json

from aws_cdk import RemovalPolicy
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id

__all__ = ["Secrets"]

_NO_ROTATION = "rotated by the application, not a rotation Lambda: {why}"


class Secrets(Construct):
    """Values are generated at deploy time; no secret material is ever in the template. `retain` (the prod stage)
    keeps them when the stack is deleted: the signing keys verify tokens already issued, the provider tokens are
    not reproducible."""

    def __init__(self, scope: Construct, construct_id: str, *, retain: bool = False) -> None:
        super().__init__(scope, construct_id)
        self._removal = RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY
        # Placeholders: the auth function replaces both with an Ed25519 keypair on first use.
        self.signing_key = self._generated("SigningKeySecret", "Ed25519 private key signing access tokens")
        self.public_keys = self._generated("PublicKeysSecret", "Ed25519 public keys verifying access tokens")
        # Empty strings mean "public tier" for each provider.
        self.provider_tokens = self._json("ProviderTokensSecret", "provider API tokens (empty = public tier)",
                                          {"cnpjws": "", "receitaws": ""})
        self.cursor_key = self._generated("CursorKeySecret", "HMAC key signing pagination cursors", length=64)
        # The billing provider's secret key and webhook signing secret, set by an operator (the local cloud puts the
        # billing sandbox's there); empty values mean billing is not configured (503), never a default key.
        self.billing = self._json("BillingSecret", "billing provider keys (Stripe secret key, webhook signing secret)",
                                  {"secret_key": "", "webhook_secret": ""})

        acknowledge(self.signing_key, "AwsSolutions-SMG4", _NO_ROTATION.format(
            why="the auth function publishes a new kid in PublicKeysSecret before it signs with the new key"))
        acknowledge(self.public_keys, "AwsSolutions-SMG4", _NO_ROTATION.format(
            why="it holds only public keys, rotated together with SigningKeySecret"))
        acknowledge(self.provider_tokens, "AwsSolutions-SMG4", _NO_ROTATION.format(
            why="third-party provider tokens are issued by the providers and changed by an operator"))
        acknowledge(self.billing, "AwsSolutions-SMG4", _NO_ROTATION.format(
            why="Stripe issues the keys; an operator rolls them in the Stripe dashboard and stores the new ones"))
        acknowledge(self.cursor_key, "AwsSolutions-SMG4", _NO_ROTATION.format(
            why="rotating it only invalidates open pagination cursors; operators rotate it on demand"))

    def _json(self, logical_id: str, description: str, template: dict[str, str]) -> secretsmanager.Secret:
        """A JSON secret whose keys an operator fills; CloudFormation needs one generated key beside the template,
        so a random `_generated` entry rides along and the functions ignore it."""
        secret = secretsmanager.Secret(
            self,
            logical_id,
            description=f"cnpj-radar {description}",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps(template),
                generate_string_key="_generated",
                exclude_punctuation=True,
            ),
            removal_policy=self._removal,
        )
        pin_logical_id(secret, logical_id)
        return secret

    def _generated(self, logical_id: str, description: str, *, length: int = 32) -> secretsmanager.Secret:
        secret = secretsmanager.Secret(
            self,
            logical_id,
            description=f"cnpj-radar {description}",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=length, exclude_punctuation=True
            ),
            removal_policy=self._removal,
        )
        pin_logical_id(secret, logical_id)
        return secret
