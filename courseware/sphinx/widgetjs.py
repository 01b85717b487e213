"""The widgets' JavaScript, served by the book itself: `courseware/js/courseware-widgets.js`.

It draws the widgets saved in a page (see that file), so the static book needs no widget manager
from npm and no network to build. The package's `js/` folder is added to the HTML static files;
`_config.yml` names the script in myst-nb's `nb_ipywidgets_js`, which puts it on the pages that
carry widgets and on no other page.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from ..paths import PACKAGE

JS_DIR = PACKAGE / "js"
WIDGETS_JS = "courseware-widgets.js"


def serve_widget_js(app: Sphinx, config: Config) -> None:
    """Copy the package's scripts into `_static/`; a widget page that would load another widget
    manager (myst-nb's default fetches one from a CDN) is a configuration error."""
    config.html_static_path = [*config.html_static_path, str(JS_DIR)]
    named = list(getattr(config, "nb_ipywidgets_js", None) or {})
    if named and named != [WIDGETS_JS]:
        raise ConfigError(
            f"_config.yml: sphinx.config.nb_ipywidgets_js names {named}; the book draws its widgets "
            f"with its own script. Set it to `{{{WIDGETS_JS}: {{}}}}` (no CDN, no other manager)."
        )


def setup(app: Sphinx) -> None:
    app.connect("config-inited", serve_widget_js)
