"""Proposal addresses: each part's views module lists its own patterns."""

from xieshang.proposals.views import documents, drafting, handling, office

app_name = "proposals"
urlpatterns = [
    *drafting.urlpatterns,
    *office.urlpatterns,
    *handling.urlpatterns,
    *documents.urlpatterns,
]
