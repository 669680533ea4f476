"""Racing the same action from many threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_together(
    count: int, action: Callable[[], object], *, refusals: tuple[type[Exception], ...] = ()
) -> list[tuple[str, object]]:
    """Run `action` in `count` threads released at once; ("ok", result), ("refused", error)
    for the expected refusals, or ("crashed", error)."""
    start = threading.Barrier(count, timeout=60)
    outcomes: list[tuple[str, object]] = []

    def run() -> None:
        try:
            start.wait()
            outcomes.append(("ok", action()))
        except refusals as error:
            outcomes.append(("refused", error))
        except Exception as error:  # reported by the assertions
            outcomes.append(("crashed", error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == count
    return outcomes
