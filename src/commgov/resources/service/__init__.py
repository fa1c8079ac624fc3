"""``cg.resources``: shared resources (跨社区资源共享) and their bookings."""
