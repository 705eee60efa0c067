"""A PDF never goes online: WeasyPrint's fetcher serves our static files and embedded data only."""

import pytest

from kvu.pdf import _fetcher


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.org/logo.png",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "file:///etc/passwd",
        "ftp://example.org/x.png",
    ],
)
def test_fetcher_refuses_anything_but_static_files_and_embedded_data(url):
    with pytest.raises(ValueError, match="not allowed"):
        _fetcher().fetch(url)


def test_fetcher_reads_embedded_data_without_fetching_anything():
    # A 1x1 transparent GIF, as a walk-through photo is embedded (data: URI).
    gif = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    response = _fetcher().fetch(gif)
    assert response.read().startswith(b"GIF89a")
    response.close()
