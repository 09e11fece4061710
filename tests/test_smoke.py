from archive_kit import Archive


def test_a_small_archive_builds_and_lists_its_briefs(archive: Archive):
    archive.brief("first-brief", date="2023-01-02")
    archive.brief("second-brief", date="2024-05-06", topics=["sanctions"])
    site = archive.build()
    assert site.ok, site.messages
    assert site.listed("briefs/") == ["second-brief", "first-brief"]
