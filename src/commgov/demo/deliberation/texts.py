"""What the season's people say: topics, micro-renovations, names, comments."""

from __future__ import annotations

from typing import Final

import attrs


@attrs.frozen
class Matter:
    """A topic a council may take up, and the department a task about it goes to (``None``:
    the community sees to it itself)."""

    title: str
    description: str
    department: str | None


RESIDENT_MATTERS: Final = (
    Matter("小区夜间停车难", "晚上车位不够，车辆占用消防通道", "city_management"),
    Matter("楼道堆放杂物", "楼道里堆满纸箱和旧家具，有消防隐患", "fire"),
    Matter("电动车飞线充电", "有住户从楼上拉线给电动车充电", "fire"),
    Matter("广场舞噪音扰民", "晚上九点后音响声音仍然很大", "police"),
    Matter("流动摊贩占道经营", "早市摊贩占用人行道，行人只能走机动车道", "market_regulation"),
    Matter("楼上漏水邻里纠纷", "楼上漏水多次协商未果", "justice"),
    Matter("小区路灯损坏", "主干道有几盏路灯不亮，老人晚上出行不便", "city_management"),
    Matter("垃圾清运不及时", "垃圾桶经常满溢，气味很大", "city_management"),
    Matter("希望增设晾晒区", "小区没有晾晒被子的地方", None),
    Matter("希望开设老年助餐点", "独居老人吃饭不方便", "civil_affairs"),
    Matter("流浪犬出没", "小区内有流浪犬，孩子上学害怕", "police"),
    Matter("快递乱堆放", "快递堆在单元门口无人看管", "market_regulation"),
    Matter("希望组织四点半课堂", "双职工家庭放学后孩子没人照看", None),
    Matter("高空抛物隐患", "有人从楼上往下扔垃圾", "police"),
)
STAFF_MATTERS: Final = (
    Matter("冬季消防安全检查", "入冬前排查楼道、车棚的消防隐患", "fire"),
    Matter("重阳节敬老活动安排", "为80岁以上老人送慰问、组织义诊", None),
    Matter("冬季供暖问题排查", "收集居民反映的暖气不热问题", "city_management"),
    Matter("反诈宣传进小区", "组织民警进小区讲解电信诈骗案例", "police"),
    Matter("老旧小区改造意见征集", "征集居民对明年改造项目的意见", None),
    Matter("元旦文艺汇演筹备", "居民自编自演节目，征集志愿者", None),
)
DEPARTMENT_WORDS: Final = {
    "city_management": "城管中队",
    "fire": "消防救援站",
    "police": "城关派出所",
    "market_regulation": "市场监管所",
    "justice": "司法所",
    "civil_affairs": "民政所",
}


@attrs.frozen
class Milestone:
    """A milestone of a micro-renovation, its weight in the project's progress and its parts
    (a milestone with parts takes its progress from them)."""

    title: str
    weight: int
    parts: tuple[str, ...] = ()


@attrs.frozen
class Renovation:
    """A micro-renovation (微改造) a compound's households vote on and the council carries out
    as a project, with its milestones."""

    title: str
    milestones: tuple[Milestone, ...]


RENOVATIONS: Final = (
    Renovation(
        "加装休闲座椅和健身器材",
        (
            Milestone("方案设计", 1),
            Milestone("居民公示", 1),
            Milestone("施工", 3, ("座椅安装", "健身器材安装", "地面铺装")),
            Milestone("竣工验收", 1),
        ),
    ),
    Renovation(
        "楼道照明和扶手改造",
        (
            Milestone("方案设计", 1),
            Milestone("材料采购", 1),
            Milestone("施工", 3, ("楼道灯更换", "扶手安装")),
            Milestone("竣工验收", 1),
        ),
    ),
    Renovation(
        "非机动车棚和充电桩建设",
        (
            Milestone("方案设计", 1),
            Milestone("居民公示", 1),
            Milestone("车棚搭建", 2),
            Milestone("充电桩安装", 2),
            Milestone("竣工验收", 1),
        ),
    ),
    Renovation(
        "小区道路修补和雨污管网疏通",
        (
            Milestone("勘察设计", 1),
            Milestone("施工", 4, ("路面修补", "管网疏通", "井盖更换")),
            Milestone("竣工验收", 1),
        ),
    ),
    Renovation(
        "口袋公园和绿化补植",
        (
            Milestone("方案设计", 1),
            Milestone("居民公示", 1),
            Milestone("施工", 3, ("场地平整", "绿化补植", "步道铺设")),
            Milestone("竣工验收", 1),
        ),
    ),
)
OWNERS_MATTER: Final = 7
"""Civil Code art. 278, item 7: rebuilding or altering buildings and their facilities."""
OWNERS_MATTER_TITLE: Final = "改建非机动车棚并加装充电设施"
OWNERS_QUESTION: Final = f"{OWNERS_MATTER_TITLE}（改建共有部分设施），您是否同意？"

PROPERTY_COMPANIES: Final = (
    "宏达物业公司",
    "鑫源物业服务有限公司",
    "城关物业管理中心",
    "安居物业公司",
)
POLICE_STATION: Final = "城关派出所"
SURNAMES: Final = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN_NAMES: Final = ("建军", "志强", "海燕", "秀兰", "国庆", "红梅", "伟", "磊", "静", "军")
MEETING_PLACES: Final = ("社区党群服务中心议事厅", "社区活动室", "小区凉亭议事点", "社区会议室")
DEFERRED: Final = "意见分歧较大，会后继续征求居民意见，下次会议再议"
LOW_COMMENTS: Final = ("施工噪音大，工期拖得太长", "用料一般，没用多久就松动了", "我家门口没有改到")
