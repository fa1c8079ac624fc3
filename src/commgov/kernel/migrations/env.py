"""Alembic environment: always runs on a connection handed over by ``commgov.kernel.migrate``."""

from alembic import context

from commgov.kernel.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
