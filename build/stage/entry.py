"""The first stage's script (frozen by build/stage/stage.spec): see fragment_stage/."""

import sys

from fragment_stage.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
