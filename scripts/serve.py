"""Start the dashboard: `streamlit run dashboard.py` with the router in charge from the start.

Streamlit treats a `pages/` folder next to the entry point as a legacy auto-discovered
multipage app until some session has called `st.navigation`. Until then a link straight to a
page (`/incidents?...`, `/briefing?step=...`) would run that page on its own, without
`dashboard.py`'s config, sidebar and router. Our `pages/` holds st.navigation pages only, so
we say so before the server starts. `make run` and the browser tests start the app this way.

    python scripts/serve.py [streamlit run options...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *sys.argv[1:]]
    sys.exit(main())
