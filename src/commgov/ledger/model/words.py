"""What a front-desk clerk reads when the ledger refuses or trims something: one sentence in
English with its Chinese after it. A resident's name is always masked here (张**): messages
are logged and printed, and the names of care-group members are personal data. The technical
detail stays in the exception's fields."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.people.model.personal import mask_name

LEFT_WORDS: Final = {"died": ("died", "去世"), "moved_out": ("moved out", "迁出")}
"""How a resident's leaving is said, by the reason kept on their record."""
MERGED: Final = "merged"


def short_of_points(name: str, balance: int, price: int) -> str:
    who = mask_name(name)
    return (
        f"{who} has {balance} points; the reward needs {price} "
        f"({who} 现有 {balance} 积分，兑换需要 {price})"
    )


def short_of_minutes(name: str, available: int, asked: int) -> str:
    who = mask_name(name)
    return (
        f"{who} has {available} minutes banked; {asked} asked "
        f"({who} 时间银行现有 {available} 分钟，需要 {asked} 分钟)"
    )


def sold_out(reward_id: int, reward: str) -> str:
    return f"reward {reward_id} ({reward}) is out of stock (奖品 {reward} 已兑完)"


def no_such(kind: str, key: int) -> str:
    """``no resident number 8 (没有编号为 8 的居民)``; ``kind``: resident, reward, service."""
    zh = {"resident": "居民", "reward": "奖品", "service": "服务记录"}.get(kind, kind)
    en = "time-bank service" if kind == "service" else kind
    return f"no {en} number {key} (没有编号为 {key} 的{zh})"


def has_left(name: str, reason: str | None, on: dt.date, merged_into: int | None) -> str:
    """``张** moved out on 2026-11-03 (张** 已于 2026-11-03 迁出)``."""
    who, day = mask_name(name), on.isoformat()
    if reason == MERGED:
        return (
            f"{who} was merged into resident {merged_into} on {day}: use resident "
            f"{merged_into} ({who} 已于 {day} 并入居民 {merged_into}，请使用居民 {merged_into})"
        )
    en, zh = LEFT_WORDS.get(reason or "", (f"left ({reason})", "离开"))
    return f"{who} {en} on {day} ({who} 已于 {day} {zh})"


def closer(label: str) -> str:
    """Who closed a service, from its actor label (``role:name``): a resident's name masked."""
    role, _, name = label.partition(":")
    if role == "resident":
        return f"resident {mask_name(name)}"
    return label


def service_closed(
    service_id: int, state: str, *, by: str | None, note: str | None, asked: str
) -> str:
    """Why service ``service_id``, closed already (``state``: confirmed or voided), cannot be
    ``asked`` (``post``: confirmed; ``void``: disputed)."""
    who = closer(by) if by else "someone"
    why = f" ({note})" if note else ""
    if state == "confirmed":
        return (
            f"service {service_id} was already confirmed by {who}; it cannot be disputed now "
            f"(服务 {service_id} 已由 {who} 确认，不能再提出异议)"
        )
    verb, zh = ("confirmed", "确认") if asked == "post" else ("disputed", "提出异议")
    return (
        f"service {service_id} was voided by {who}{why}; it cannot be {verb} "
        f"(服务 {service_id} 已由 {who} 作废{why}，不能{zh})"
    )


def future_service(field: str, at: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> str:
    """A service dated after now: say both times in the store's zone."""
    moment, clock = at.astimezone(zone), now.astimezone(zone)
    when = "starts" if field == "start" else "ends"
    zh = "开始" if field == "start" else "结束"
    return (
        f"the service {when} at {moment:%Y-%m-%d %H:%M}, later than now ({clock:%Y-%m-%d %H:%M}): "
        f"record a service once it has happened (服务{zh}时间晚于现在，请在服务结束后登记)"
    )


def not_of_household(giver: str, receiver: str) -> str:
    g, r = mask_name(giver), mask_name(receiver)
    return (
        f"{r} is not of {g}'s household: time can be given within a household only "
        f"({r} 与 {g} 不是同一户，时间只能赠与同户家人)"
    )


def grant_holder(name: str, held: int) -> str:
    who = mask_name(name)
    return (
        f"{who} holds {held} minutes; pool grants go to elders who hold none "
        f"({who} 已有 {held} 分钟，社区划拨只给没有时间的老人)"
    )


def grant_too_young(name: str, age: int, least: int) -> str:
    who = mask_name(name)
    return (
        f"{who} is {age}; pool grants go to elders aged {least} or over "
        f"({who} {age} 岁，社区划拨只给 {least} 岁以上的老人)"
    )


def cap_reached(name: str, activity: str, *, cap: int, which: str, asked: int, granted: int) -> str:
    """An earning trimmed by a cap (``which``: ``day`` or ``month``)."""
    who = mask_name(name)
    en, zh = ("today's", "今日") if which == "day" else ("this month's", "本月")
    return (
        f"{who} reached {en} cap of {cap} points for {activity}: {granted} of {asked} given "
        f"({who} {zh} {activity} 积分已达上限 {cap}，本次给予 {granted})"
    )


def place(code: str, name: str) -> str:
    """A unit as a clerk reads it: ``411425100001 (一社区)``."""
    return f"{code} ({name})"


def no_exchange(recipient_side: str, volunteer_side: str) -> str:
    """A service across communities where the recipient's town takes none; each side is a
    ``place``."""
    return (
        f"the recipient lives in {recipient_side} and the volunteer in {volunteer_side}: this "
        "town's time bank records services within one community only "
        f"(服务对象住在 {recipient_side}，志愿者住在 {volunteer_side}："
        "本地时间银行只记录同一社区内的服务)"
    )


def no_unit(field: str, code: object) -> str:
    return f"{field}={code!r}: no unit with this code (没有编码为 {code} 的单位)"


def same_pool(where: str) -> str:
    return (
        f"from_community and to_community are both {where}: hours move between two "
        f"communities (调出和调入都是 {where}，请选择两个不同的社区)"
    )


def pool_short(where: str, available: int, asked: int) -> str:
    return (
        f"the pool of {where} holds {available} minutes; {asked} asked "
        f"({where} 时间池现有 {available} 分钟，需要 {asked} 分钟)"
    )


NO_POOL_TRANSFERS: Final = (
    "this town's time bank does not move hours between communities' pools "
    "(本地时间银行不允许社区之间调剂时间)"
)
