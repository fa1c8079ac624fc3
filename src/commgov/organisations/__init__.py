"""Organisations (社会组织, 草根组织, 志愿队, 党组织): the registry, members, the party tree over
the grids, activities and their attendance."""
