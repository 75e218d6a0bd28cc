"""The local cloud: runs the synthesized CDK template on an embedded emulator (moto), with no Docker."""
