from __future__ import annotations

import sys

from genlint.cli import main

if __name__ == "__main__":
    sys.exit(main())
