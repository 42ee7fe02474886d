"""The addon's README.rst and description page are generated and current."""

import importlib.util
import re

import pytest
from conftest import ADDON, ROOT

FRAGMENTS = ("DESCRIPTION", "USAGE", "CONFIGURE", "CONTRIBUTORS")


@pytest.fixture(scope="module")
def gen_readme():
    spec = importlib.util.spec_from_file_location("gen_readme", ROOT / "scripts" / "gen_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fragments_exist():
    for name in FRAGMENTS:
        text = (ADDON / "readme" / f"{name}.md").read_text(encoding="utf-8")
        assert text.strip(), name


def test_generated_files_are_current(gen_readme):
    for path, text in gen_readme.generated().items():
        assert path.is_file(), f"{path.relative_to(ROOT)} missing: run scripts/gen-readme"
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(ROOT)} is stale: run scripts/gen-readme"


def test_readme_shows_the_fragments_and_screenshots(manifest):
    readme = (ADDON / "README.rst").read_text(encoding="utf-8")
    assert readme.startswith("=" * len(manifest["name"]) + "\n" + manifest["name"] + "\n")
    for title in ("Configuration", "Usage", "Bug Tracker", "Credits", "Contributors"):
        assert f"\n{title}\n" in readme, title
    images = re.findall(r"^\.\. image:: (\S+)$", readme, re.M)
    assert len(images) >= 2, "the README shows screenshots"
    for image in images:
        assert (ADDON / image).is_file(), image
    shots = [i for i in manifest["images"] if i.endswith(".png") and "icon" not in i]
    assert shots, "the manifest lists the screenshots in images"


def test_description_page_for_the_apps_menu():
    html = (ADDON / "static/description/index.html").read_text(encoding="utf-8")
    assert not html.startswith("<?xml"), "Odoo 17+ deprecates XML declarations in index.html"
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert sources
    for src in sources:
        # Odoo serves these from /customer_crm/static/description/<src>
        assert "/" not in src, src
        assert (ADDON / "static/description" / src).is_file(), src
    assert (ADDON / "static/description/icon.png").is_file()


def test_markdown_conversion(gen_readme):
    rst = gen_readme.md_to_rst(
        "Use `scripts/demo`, see [the docs](https://example.com) and **this**.\n\n"
        "![Shot](../static/description/x.png)\n",
        "t.md",
    )
    assert "``scripts/demo``" in rst
    assert "`the docs <https://example.com>`__" in rst
    assert ".. image:: static/description/x.png\n   :alt: Shot\n" in rst
    with pytest.raises(ValueError, match="nested lists"):
        gen_readme.md_to_rst("- a\n  - b\n", "t.md")
