"""Councils (议事会, 议事厅, 恳谈会): the bodies a unit deliberates in and who sits on them."""
