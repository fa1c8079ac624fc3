"""The facade: ``commgov.open()`` returns a ``Commgov`` that reaches every capability."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

from commgov.capabilities import HOOKS, OPEN_WORK
from commgov.cases.service.cases import CaseService
from commgov.councils.service.councils import CouncilService
from commgov.councils.service.meetings import MeetingService
from commgov.errors import ConfigurationError, PluginError
from commgov.integrations.service.keys import ApiKeyService
from commgov.integrations.service.webhooks import WebhookService
from commgov.kernel import migrate
from commgov.kernel.access import MANAGE_UNITS
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import Cipher, new_secret_key, parse_secret_key
from commgov.kernel.clock import Clock, utc_now
from commgov.kernel.context import Context
from commgov.kernel.engine import (
    database_errors,
    make_engine,
    normalise_url,
    reach,
    sqlite_file,
)
from commgov.kernel.host import PluginHost
from commgov.kernel.repository import MetaRepository
from commgov.kernel.times import DEFAULT_ZONE, zone
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.service.points import PointsService
from commgov.ledger.service.timebank import TimeBankService
from commgov.opinions.service.opinions import OpinionService
from commgov.orders.service.orders import OrderService
from commgov.organisations.service.activities import ActivityService
from commgov.organisations.service.organisations import OrganisationService
from commgov.people.model.units import unit_target
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import GridService, load_unit
from commgov.people.service.household_files import HouseholdFiles
from commgov.people.service.importing import ImportService
from commgov.people.service.residents import ResidentService
from commgov.people.service.staff import StaffService
from commgov.people.views import UnitView
from commgov.projects.service.projects import ProjectService
from commgov.records.service import RecordService
from commgov.reports.service import ReportService
from commgov.resources.service.resources import ResourceService
from commgov.votes.service.votes import VoteService
from commgov.wishes.service.wishes import WishService

SECRET_ENV = "COMMGOV_SECRET_KEY"
_KEY_CHECK = "key_check"
_KEY_CHECK_TEXT = "commgov key check"
_ZONE_KEY = "time_zone"


class Commgov:
    """One store with its plugins. Reach capabilities as attributes: ``grids``, ``residents``,
    ``staff``, ``imports``, ``cases``, ``ledger``, ``points``, ``timebank``, ``records``,
    ``household_files``, ``reports``, ``wishes``, ``orders``, ``opinions``, ``councils``,
    ``meetings``, ``votes``, ``projects``, ``resources``, ``organisations``, ``activities``,
    ``api_keys``, ``webhooks``.
    Close it (or use ``with``) when done."""

    def __init__(self, ctx: Context, url: str) -> None:
        self._ctx = ctx
        self.url = url
        self.grids = GridService(ctx)
        self.residents = ResidentService(ctx)
        self.staff = StaffService(ctx)
        self.imports = ImportService(ctx)
        self.cases = CaseService(ctx)
        self.ledger = LedgerService(ctx)
        self.points = PointsService(ctx, self.ledger)
        self.timebank = TimeBankService(ctx, self.ledger)
        self.records = RecordService(ctx)
        self.household_files = HouseholdFiles(ctx)
        self.reports = ReportService(ctx, self)
        self.wishes = WishService(ctx)
        self.orders = OrderService(ctx)
        self.opinions = OpinionService(ctx)
        self.councils = CouncilService(ctx)
        self.meetings = MeetingService(ctx)
        self.votes = VoteService(ctx)
        self.projects = ProjectService(ctx)
        self.resources = ResourceService(ctx)
        self.organisations = OrganisationService(ctx)
        self.activities = ActivityService(ctx)
        self.api_keys = ApiKeyService(ctx)
        self.webhooks = WebhookService(ctx)

    @property
    def context(self) -> Context:
        return self._ctx

    @property
    def plugins(self) -> PluginHost:
        return self._ctx.plugins

    @property
    def time_zone(self) -> dt.tzinfo:
        """The store's time zone (default ``Asia/Shanghai``), in which every day, week and
        month is counted: ``dt.datetime.combine(day, dt.time(), tzinfo=cg.time_zone)`` is the
        first instant of ``day`` in the store."""
        return self._ctx.zone

    def plugin_units(self) -> dict[str, list[UnitView]]:
        """Where each available plugin is enabled: its name → the units that switched it on
        (it applies to everything under them), in code order; an empty list when it is
        enabled nowhere. Plugins passed to ``commgov.open(plugins=...)`` apply to every unit
        for the session (``cg.plugins.session``); the core defaults are not listed."""
        with self._ctx.uow(readonly=True) as uow:
            settings = uow.repo(UnitRepository).plugin_settings()
            units = {u.id: u for u in uow.repo(UnitRepository).many(settings)}
        out: dict[str, list[UnitView]] = {
            name: [] for name in self.plugins.available if name not in HOOKS.core
        }
        for unit_id, names in settings.items():
            for name in names:
                out.setdefault(name, []).append(self.grids.get(units[unit_id].code))
        return {name: sorted(found, key=lambda u: u.code) for name, found in out.items()}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work for every call made on this store inside the block, in this thread:
        all are committed together when the block ends, or none is if it raises. Hook
        implementations run inside the unit of work of the call that fired them already, so
        what a hook writes through this object commits or rolls back with that call."""
        with self._ctx.uow():
            yield

    def add_plugin(self, plugin: object, *, name: str | None = None) -> str:
        """Make a plugin object available to this store, to be enabled per unit with
        ``enable_plugins`` (installed plugins are available already). Returns its name."""
        key = self.plugins.add(plugin, name=name)
        self._ctx.refresh()
        return key

    def enable_plugins(self, actor: Actor, unit: str, names: Sequence[str]) -> list[str]:
        """Switch on plugins for a unit and everything under it (replacing that unit's list)."""
        for name in names:
            self.plugins.require(name)
        with self._ctx.uow() as uow:
            target = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, MANAGE_UNITS, unit_target(target))
            uow.repo(UnitRepository).set_plugins(target.id, list(names))
            detail: dict[str, object] = {"plugins": list(names)}
            self._ctx.audit(
                uow, actor, "plugins.enable", entity="unit", entity_id=target.id, detail=detail
            )
            settings = uow.repo(UnitRepository).plugin_settings()
        self.plugins.load_settings(settings)
        return list(names)

    def close(self) -> None:
        self._ctx.engine.dispose()

    def __enter__(self) -> Commgov:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Commgov {self._ctx.engine.url!r}>"


def open_store(
    url: str | Path | None = None,
    *,
    plugins: Sequence[object] = (),
    secret_key: str | bytes | None = None,
    clock: Clock = utc_now,
    time_zone: str | None = None,
    migrate_schema: bool = True,
    discover_plugins: bool = True,
) -> Commgov:
    """Open (and by default create or upgrade) a store.

    ``url``: a database URL, a SQLite file path, or ``None`` for ``./commgov.db``;
    ``sqlite:///:memory:`` works for tests. ``plugins`` apply to every unit for this session;
    installed plugins are enabled per unit with ``enable_plugins``. ``secret_key`` (or the
    ``COMMGOV_SECRET_KEY`` environment variable) encrypts personal data; a SQLite file without
    one keeps a generated key in ``<file>.key`` beside it. ``clock`` gives the time (any
    aware datetime; it is read in UTC). ``time_zone`` is the store's zone, in which days,
    weeks and months are counted: kept in the store when it is created (default
    ``Asia/Shanghai``); ``None`` uses the kept one, another name than the kept one is a
    ``ConfigurationError``.
    """
    text = normalise_url(url)
    engine = make_engine(text)
    try:
        with database_errors(engine):  # a store that cannot be used: say what to check
            server = sqlite_file(text) is None
            if server:  # a server is checked first; a SQLite file once its key is in place
                reach(engine)
            key = _resolve_key(text, secret_key)
            if not server:
                reach(engine)
            if migrate_schema:
                migrate.upgrade(engine)
            host = PluginHost(HOOKS, plugins, discover_installed=discover_plugins)
            ctx = Context(
                engine=engine, cipher=Cipher(key), plugins=host, clock=clock, open_work=OPEN_WORK
            )
            with ctx.uow() as uow:
                _check_key(uow, ctx.cipher)
                ctx.zone = _store_zone(uow, time_zone)
                settings = uow.repo(UnitRepository).plugin_settings()
        host.load_settings(settings)
    except (ConfigurationError, PluginError):
        engine.dispose()
        raise
    return Commgov(ctx, text)


def _resolve_key(url: str, given: str | bytes | None) -> bytes:
    if given is not None:
        return parse_secret_key(given)
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return parse_secret_key(from_env)
    path = sqlite_file(url)
    if path is not None:
        key_file = path.with_name(path.name + ".key")
        if not key_file.exists():
            if path.exists() and path.stat().st_size > 0:
                raise ConfigurationError(
                    f"{path} exists but its key file {key_file} does not: "
                    f"pass secret_key or set {SECRET_ENV}"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                key_file.write_text(new_secret_key())
                key_file.chmod(0o600)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot create the store {path}: {exc.strerror or exc}"
                ) from None
        try:
            return parse_secret_key(key_file.read_text().strip())
        except OSError as exc:
            raise ConfigurationError(
                f"cannot read the key file {key_file}: {exc.strerror or exc}"
            ) from None
    if url.startswith("sqlite"):
        return parse_secret_key(new_secret_key())  # in memory: the data dies with the key
    raise ConfigurationError(
        f"a secret key is needed for {url.rsplit('@', maxsplit=1)[-1]}: "
        f"pass secret_key or set {SECRET_ENV}"
    )


def _store_zone(uow: UnitOfWork, given: str | None) -> ZoneInfo:
    """The store's time zone: kept the first time, checked against ``given`` later."""
    meta = uow.repo(MetaRepository)
    kept = meta.get(_ZONE_KEY)
    if kept is None:
        name = given or DEFAULT_ZONE
        found = zone(name)
        meta.put(_ZONE_KEY, name.encode())
        return found
    name = kept.decode()
    if given is not None and given != name:
        raise ConfigurationError(f"time_zone={given!r}: this store counts days in {name!r}")
    return zone(name)


def _check_key(uow: UnitOfWork, cipher: Cipher) -> None:
    """Store a probe the first time; later, a wrong key fails here rather than on a record."""
    probe = uow.repo(MetaRepository).get(_KEY_CHECK)
    if probe is None:
        uow.repo(MetaRepository).put(_KEY_CHECK, cipher.encrypt(_KEY_CHECK_TEXT))
    elif cipher.decrypt(probe) != _KEY_CHECK_TEXT:
        raise ConfigurationError("the secret key does not match this store")
