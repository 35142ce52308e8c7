"""Checks, before Qt starts, that a screen can be opened, so we fail in words."""

import ctypes.util
import os
import sys

XCB_PACKAGES = (
    "libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
    "libxcb-render-util0 libxcb-image0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
)


def display_problem() -> str | None:
    """A sentence saying why no window can be shown here, or None when one can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform.startswith(("offscreen", "minimal")):
        return None
    if platform.startswith("wayland") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "no display available: this is a desktop app and needs a graphical session "
            "(DISPLAY is not set). Run it on a desktop, over 'ssh -X', or under 'xvfb-run'."
        )
    if ctypes.util.find_library("xcb-cursor") is None:
        return (
            "Qt cannot open a window because the X11 library libxcb-cursor is missing. "
            f"On Debian or Ubuntu install: sudo apt-get install {XCB_PACKAGES}"
        )
    return None
