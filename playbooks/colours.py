"""Colour swatch values as brand guidelines write them: HEX, RGB and CMYK. Pure functions."""

from __future__ import annotations

import re

HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_hex(value: str) -> str:
    """'#0b5f73', '0B5F73' or '#fff' as '#0B5F73'. Raises ValueError otherwise."""
    match = HEX.fullmatch(value.strip())
    if match is None:
        raise ValueError("not a HEX colour")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits.upper()}"


def _numbers(value: str, count: int, highest: int) -> tuple[int, ...]:
    parts = [part for part in re.split(r"[,\s/]+", value.strip().removeprefix("rgb(").removesuffix(")")) if part]
    parts = [part.removesuffix("%") for part in parts]
    if len(parts) != count or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(f"expected {count} whole numbers")
    numbers = tuple(int(part) for part in parts)
    if any(number > highest for number in numbers):
        raise ValueError(f"each number must be between 0 and {highest}")
    return numbers


def parse_rgb(value: str) -> tuple[int, int, int]:
    """'11, 95, 115' or 'rgb(11 95 115)' as (11, 95, 115). Raises ValueError otherwise."""
    red, green, blue = _numbers(value, 3, 255)
    return red, green, blue


def parse_cmyk(value: str) -> tuple[int, int, int, int]:
    """'90, 18, 0, 55' or '90% 18% 0% 55%' as (90, 18, 0, 55). Raises ValueError otherwise."""
    cyan, magenta, yellow, black = _numbers(value, 4, 100)
    return cyan, magenta, yellow, black


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    digits = parse_hex(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def format_rgb(rgb: tuple[int, int, int]) -> str:
    return ", ".join(str(part) for part in rgb)


def format_cmyk(cmyk: tuple[int, int, int, int]) -> str:
    return ", ".join(f"{part}%" for part in cmyk)


def readable_ink(hex_value: str) -> str:
    """Black or white, whichever reads better on the swatch (WCAG relative luminance)."""

    def channel(value: int) -> float:
        share = value / 255
        return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(part) for part in hex_to_rgb(hex_value))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.179 else "#FFFFFF"
