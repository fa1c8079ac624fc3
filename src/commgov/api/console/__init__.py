"""The console: server-rendered pages for a community office, served at ``/console/`` by
``commgov serve`` or mounted on its own (``create_console``). Every page works without
JavaScript; labels are Chinese by default and English on request, from message catalogues."""

from commgov.api.console.app import create_console

__all__ = ["create_console"]
