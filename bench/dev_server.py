"""The real bot app (as `python app.py serve` builds it) under werkzeug's development server.

Only for `http_bench.py --compare-servers`: one process, either one request at a time (what
Bolt's own `App.start` does with `http.server.HTTPServer`, but bound to 127.0.0.1) or a thread
per request. The environment is the same as for `python app.py serve`.

    python bench/dev_server.py --port 3002 [--threaded]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `app` and `handlers` importable
    sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threaded", action="store_true", help="a thread per request")
    args = parser.parse_args(argv)

    from werkzeug.serving import make_server

    import app as composition
    from handlers.server import create_wsgi_app

    settings = composition.read_settings(dict(os.environ))
    bolt, services = composition.build_bolt(settings, migrate=True)
    wsgi = create_wsgi_app(bolt, services.db)
    make_server("127.0.0.1", args.port, wsgi, threaded=args.threaded).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
