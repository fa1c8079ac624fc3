"""``python -m commgov`` runs the command line."""

from commgov.cli import main

main()
