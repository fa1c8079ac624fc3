"""社区合伙人: partner agreements in Xinhe's seven exchange modes, with their ledger effects.

Each mode's effect on the points ledger (积分):

- ``service_for_charity`` 公益换服务 — the partner serves residents for free; it is credited
  ``points`` from issuance (the points it can later give out or have settled).
- ``points_exchange`` 积分兑换 — the partner sells goods for points: a reward with ``price``
  and ``stock`` in the catalogue; redemptions credit the partner, who is settled later.
- ``venue_for_service`` 场地换服务 — the partner lends a venue; credited ``points`` like a
  service.
- ``honour_naming`` 荣誉冠名 — an activity or place named after the partner: no ledger effect.
- ``donation`` 爱心捐赠 — donated goods enter the catalogue as a reward with no partner; points
  spent on them are retired.
- ``resident_funding`` 居民自筹 — residents pool points into the community's pool account
  (``pool:<community>``), as one linked batch: all contributions or none.
- ``charity_trial`` 公益体验 — a free trial service: no ledger effect.

Everything is validated before anything is written. The ledger effect comes first (it is the
part that can be refused, e.g. a resident without enough points) under deterministic client
ids ``xinhe:<ref>:…``, then the agreement record; an agreement ``ref`` is signed once."""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from commgov import Actor, Commgov, ConflictError, NotFoundError, RecordView, ValidationError
from commgov_xinhe import vocab

MODES: Final = {
    "service_for_charity": "公益换服务 service for charity",
    "points_exchange": "积分兑换 goods for points",
    "venue_for_service": "场地换服务 venue for services",
    "honour_naming": "荣誉冠名 honour naming",
    "donation": "爱心捐赠 donation",
    "resident_funding": "居民自筹 resident funding",
    "charity_trial": "公益体验 charity trial",
}
CREDITED: Final = ("service_for_charity", "venue_for_service")
CATALOGUED: Final = ("points_exchange", "donation")
LEDGER: Final = "points"
ISSUANCE: Final = "system:issuance"

Points = Annotated[int, Field(gt=0, le=1_000_000)]


class Agreement(BaseModel):
    """A partner agreement. Which optional fields a mode needs is checked by ``sign``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")
    partner: str = Field(min_length=1, max_length=80)
    mode: Literal[
        "service_for_charity",
        "points_exchange",
        "venue_for_service",
        "honour_naming",
        "donation",
        "resident_funding",
        "charity_trial",
    ]
    community: str = Field(min_length=1, max_length=32)
    description: str = Field("", max_length=500)
    points: Points | None = None
    reward: str | None = Field(None, min_length=1, max_length=80)
    price: Points | None = None
    stock: int | None = Field(None, ge=1, le=100_000)
    contributions: dict[int, Points] | None = None


def _needs(agreement: Agreement) -> None:
    """The mode's own required fields."""
    mode = agreement.mode
    wanted: tuple[str, ...] = ()
    if mode in CREDITED:
        wanted = ("points",)
    elif mode in CATALOGUED:
        wanted = ("reward", "price", "stock")
    elif mode == "resident_funding":
        wanted = ("contributions",)
    for field in wanted:
        if getattr(agreement, field) in (None, {}):
            raise ValidationError(field, None, f"required for mode {mode!r}")


def parse(fields: dict[str, object]) -> Agreement:
    """An ``Agreement`` from plain fields; errors name the field and the value."""
    try:
        agreement = Agreement.model_validate(fields)
    except PydanticError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "agreement"
        raise ValidationError(field, first.get("input"), first["msg"]) from None
    _needs(agreement)
    return agreement


def sign(store: Commgov, actor: Actor, **fields: object) -> RecordView:
    """Sign an agreement: apply its ledger effect and keep the agreement record."""
    agreement = parse(dict(fields))
    if store.records.find(
        actor, kind=vocab.PARTNER_AGREEMENT, under=agreement.community, ref=agreement.ref
    ):
        raise ConflictError(f"ref={agreement.ref!r}: this agreement is signed already")
    effect = _apply(store, actor, agreement)
    data = agreement.model_dump(mode="json", exclude_none=True) | {"effect": effect}
    return store.records.add(
        actor,
        kind=vocab.PARTNER_AGREEMENT,
        unit=agreement.community,
        data=data,
        ref=agreement.ref,
    )


def agreements(store: Commgov, actor: Actor, under: str) -> list[RecordView]:
    """The partner agreements signed under a unit, oldest first."""
    return store.records.find(actor, kind=vocab.PARTNER_AGREEMENT, under=under)


def partner_account(name: str) -> str:
    return f"partner:{name}"


def pool_account(community: str) -> str:
    return f"pool:{community}"


def _apply(store: Commgov, actor: Actor, a: Agreement) -> dict[str, object]:
    if a.mode in CREDITED:
        assert a.points is not None  # _needs: credited modes carry points
        _ensure_partner(store, actor, a)
        store.ledger.ensure_account(actor, ledger=LEDGER, code=ISSUANCE, kind="system")
        store.ledger.transfer(
            actor,
            client_id=f"xinhe:{a.ref}:credit",
            ledger=LEDGER,
            debit=ISSUANCE,
            credit=partner_account(a.partner),
            amount=a.points,
            reason=f"partner:{a.mode}",
        )
        return {"credited": a.points, "account": partner_account(a.partner)}
    if a.mode in CATALOGUED:
        seller = None
        if a.mode == "points_exchange":
            _ensure_partner(store, actor, a)
            seller = a.partner
        assert a.reward is not None and a.price is not None and a.stock is not None
        reward = store.points.add_reward(
            actor, unit=a.community, name=a.reward, price=a.price, stock=a.stock, partner=seller
        )
        return {"reward_id": reward.id, "stock": reward.stock}
    if a.mode == "resident_funding":
        assert a.contributions is not None
        pool = pool_account(a.community)
        store.ledger.ensure_account(
            actor, ledger=LEDGER, code=pool, kind="organisation", unit=a.community
        )
        store.ledger.submit(
            actor,
            [
                {
                    "client_id": f"xinhe:{a.ref}:fund:{resident}",
                    "ledger": LEDGER,
                    "debit": f"resident:{resident}",
                    "credit": pool,
                    "amount": amount,
                    "reason": "partner:resident_funding",
                }
                for resident, amount in sorted(a.contributions.items())
            ],
        )
        return {"pooled": sum(a.contributions.values()), "account": pool}
    return {}


def _ensure_partner(store: Commgov, actor: Actor, a: Agreement) -> None:
    try:
        store.ledger.account(actor, LEDGER, partner_account(a.partner))
    except NotFoundError:
        store.points.open_partner(actor, name=a.partner, unit=a.community)
