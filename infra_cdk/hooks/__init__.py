"""Lambda code that belongs to the deployment, not to the product (shipped as its own asset)."""
