from tests.s3 import s3_config, s3_server  # noqa: F401  (fixtures)
