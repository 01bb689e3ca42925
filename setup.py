"""Build hook: compile the gettext catalogs (``.po`` -> ``.mo``) into every built package.

Everything else about the package is in ``pyproject.toml``. An editable install does not
need the ``.mo`` files: ``messages/i18n.py`` compiles a catalog in memory when its
``.mo`` is missing or older than its ``.po``.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("messages") / "locale"


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Write ``target/<lang>/LC_MESSAGES/<domain>.mo`` for each ``.po`` under ``source``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        language = po.parent.parent.name
        mo = target / language / "LC_MESSAGES" / po.with_suffix(".mo").name
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


class BuildWithCatalogs(build_py):
    """``build_py`` that also compiles the catalogs into the build tree."""

    def run(self) -> None:
        super().run()
        compile_catalogs(LOCALE, Path(self.build_lib) / LOCALE)


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithCatalogs})
