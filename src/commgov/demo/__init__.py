"""The demo town: Chengguan (城关镇), Yucheng county, as seed 004 describes it."""

from commgov.demo.chengguan import TownPlan, build_chengguan, summary_rows

__all__ = ["TownPlan", "build_chengguan", "summary_rows"]
