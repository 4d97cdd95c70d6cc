"""Local development: `make run`. Debug on, e-mails printed to the console."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
SECRET_KEY = env_str(
    "SECRET_KEY", "dev-only-insecure-key-3c1f0b9e8a7d4f2e9b6a5c4d3e2f1a0b9c8d7e6f"
)
ALLOWED_HOSTS = ["*"]
