"""widgetjs: the book's widget script is served from the package, and no other manager is loaded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sphinx.errors import ConfigError

from courseware.sphinx.widgetjs import JS_DIR, WIDGETS_JS, serve_widget_js


def test_the_package_scripts_become_static_files():
    config = SimpleNamespace(html_static_path=["_static"], nb_ipywidgets_js={WIDGETS_JS: {}})
    serve_widget_js(None, config)
    assert config.html_static_path == ["_static", str(JS_DIR)]
    assert (JS_DIR / WIDGETS_JS).is_file()


def test_a_config_that_loads_another_widget_manager_is_refused_with_the_fix():
    cdn = {"https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js": {}}
    with pytest.raises(ConfigError) as e:
        serve_widget_js(None, SimpleNamespace(html_static_path=[], nb_ipywidgets_js=cdn))
    assert "_config.yml" in str(e.value) and f"{{{WIDGETS_JS}: {{}}}}" in str(e.value)


def test_the_book_names_the_script(tmp_path):
    import yaml

    from courseware.paths import ROOT

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["nb_ipywidgets_js"] == {WIDGETS_JS: {}}
