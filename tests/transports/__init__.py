"""How requests reach the fake: the botocore hook, moto, the local endpoint."""
