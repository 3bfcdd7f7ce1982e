"""How requests reach the fake: botocore's event hook (in process), the moto bridge and the
HTTP server, each handed its fake, none importing another, all through ``wire.exchange``."""
