"""One web machine for tests/deploy: the app from the settings in YDN_SETTINGS (JSON), served by
Werkzeug on 127.0.0.1 on a free port, written to the file named by YDN_PORT_FILE once ready."""

from __future__ import annotations

import json
import os
from pathlib import Path

from werkzeug.serving import make_server

from app import create_app


def main() -> None:
    app = create_app(json.loads(os.environ["YDN_SETTINGS"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port_file = Path(os.environ["YDN_PORT_FILE"])
    partial = port_file.with_suffix(".partial")
    partial.write_text(str(server.server_port))
    partial.replace(port_file)  # the reader never sees half a number
    server.serve_forever()


if __name__ == "__main__":
    main()
