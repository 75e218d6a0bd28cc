"""The CDK app for cnpj-radar."""
