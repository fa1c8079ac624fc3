"""Projects (微改造, 为民办实事): budgets and funding, progress as a tree, a public timeline,
residents' ratings once finished."""
