"""Shared resources (跨社区资源共享): rooms, grounds, equipment, places and hours a community
publishes, and their bookings."""
