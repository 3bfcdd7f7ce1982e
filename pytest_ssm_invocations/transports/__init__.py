"""How requests reach the service: botocore's event hook (in process)."""
