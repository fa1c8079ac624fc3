"""The HTTP API: an ASGI app (FastAPI) to serve with ``commgov serve`` or mount in your own
service under any prefix. Needs the ``api`` extra: ``pip install commgov[api]``."""

from commgov.api.app import create_app
from commgov.api.keys import api_key_authentication

__all__ = ["api_key_authentication", "create_app"]
