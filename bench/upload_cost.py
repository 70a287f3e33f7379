"""What one upload costs at the largest accepted size: added memory (peak RSS over idle) and time.

Each case runs in a fresh subprocess: it imports the pipeline, reads the file, resets its peak
RSS (Linux: /proc/self/clear_refs), runs process_image once and reads the peak (VmHWM) again.
(ru_maxrss would carry the parent's peak across fork and exec, so it is not used.)
Run with `.venv/bin/python bench/upload_cost.py` (about a minute); figures go in the README.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from app.media import pipeline  # noqa: E402


def _largest_size(fmt: str, ratio: float = 1.5) -> tuple[int, int]:
    """The largest 3:2 image the pipeline accepts in this format."""
    cap = pipeline.FORMAT_MAX_PIXELS[fmt]
    height = int(math.sqrt(cap / ratio))
    width = min(int(height * ratio), pipeline.MAX_SIDE)
    while width * height > cap:
        height -= 1
    return width, height


def _smooth(size: tuple[int, int], mode: str) -> Image.Image:
    """A photo-like image that compresses (so the file stays under the byte limit)."""
    gradient = Image.linear_gradient("L").resize(size)
    other = Image.radial_gradient("L").resize(size)
    bands = [gradient, other, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    if mode == "RGBA":
        bands.append(other.transpose(Image.Transpose.FLIP_TOP_BOTTOM))
    return Image.merge(mode, bands)


def make_cases(folder: Path) -> dict[str, Path]:
    cases: dict[str, Path] = {}
    # The attack: a tiny PNG (one colour) that claims the largest size.
    bomb = folder / "bomb.png"
    Image.new("RGB", _largest_size("PNG")).save(bomb, "PNG", optimize=True)
    cases["png_one_colour"] = bomb
    jpeg = folder / "photo.jpg"
    _smooth(_largest_size("JPEG"), "RGB").save(jpeg, "JPEG", quality=90)
    cases["jpeg_photo"] = jpeg
    rgba = folder / "alpha.png"
    _smooth(_largest_size("PNG"), "RGBA").save(rgba, "PNG", compress_level=1)
    cases["png_rgba"] = rgba
    webp = folder / "photo.webp"
    _smooth(_largest_size("WEBP"), "RGBA").save(webp, "WEBP", quality=80, method=0)
    cases["webp_alpha"] = webp
    gif = folder / "still.gif"
    _smooth(_largest_size("GIF"), "RGB").convert("P").save(gif, "GIF")
    cases["gif_still"] = gif
    return cases


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure(path: Path) -> dict[str, float]:
    """In this (fresh) process: peak RSS before and after processing `path` once."""
    data = path.read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS := current RSS
    idle = _status_kb("VmHWM")
    started = time.perf_counter()
    try:
        pipeline.process_image(data)
        outcome = "accepted"
    except pipeline.ImageRejected as exc:
        outcome = f"refused: {exc.reason}"
    elapsed = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    return {
        "outcome": outcome,  # type: ignore[dict-item]
        "file_kb": round(len(data) / 1024),
        "seconds": round(elapsed, 2),
        "added_mb": round((peak - idle) / 1024),
    }


def measure_decode(path: Path) -> float:
    """In this (fresh) process: seconds to judge and decode `path` (no resizing, no encoding)."""
    data = path.read_bytes()
    started = time.perf_counter()
    pipeline._decode(pipeline._open(data), largest=max(pipeline.WIDTHS), square=False)
    return round(time.perf_counter() - started, 2)


def _child(*args: str) -> str:
    return subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--decode":
        print(json.dumps(measure_decode(Path(sys.argv[2]))))
        return
    for fmt in pipeline.FORMAT_MAX_PIXELS:
        width, height = _largest_size(fmt)
        print(f"largest accepted {fmt}: {width} x {height} ({width * height / 1e6:.1f} MP)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in make_cases(Path(tmp)).items():
            figures = json.loads(_child("--one", str(path)))
            figures["decode_seconds"] = json.loads(_child("--decode", str(path)))
            print(f"{name:16} {figures}")
    print("load average while measuring:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
