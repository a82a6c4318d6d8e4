"""Duty addresses: each part's views module lists its own patterns."""

from xieshang.duty.views import booking, roster, talks

app_name = "duty"
urlpatterns = [*roster.urlpatterns, *booking.urlpatterns, *talks.urlpatterns]
