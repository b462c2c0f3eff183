"""cv2.inpaint (Telea / Navier-Stokes) for the erase benchmark, run by scripts/bench/opencv-python.mjs.

A long-lived process, so importing cv2 and numpy is paid once. Protocol on stdin/stdout, one request at a
time: a JSON line {"width", "height", "method": "telea"|"ns", "radius"} followed by width*height*3 bytes of
RGB and width*height bytes of mask (>= 128 = fill); the answer is a JSON line {"ms": <time of the
cv2.inpaint call alone>} followed by width*height*3 bytes of RGB. An empty line or EOF ends the process.
`--version` prints the OpenCV version and exits.
"""
import json
import sys
import time

import cv2
import numpy as np


def read_exact(stream, n):
    chunks = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError("input ended in the middle of a request")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def main():
    if "--version" in sys.argv:
        print(cv2.__version__)
        return
    # One thread, like opencv-js's wasm build: the benchmark compares single-threaded fills.
    cv2.setNumThreads(1)
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        line = stdin.readline()
        if not line.strip():
            return
        req = json.loads(line)
        w, h = int(req["width"]), int(req["height"])
        rgb = np.frombuffer(read_exact(stdin, w * h * 3), np.uint8).reshape(h, w, 3)
        mask = np.frombuffer(read_exact(stdin, w * h), np.uint8).reshape(h, w)
        mask = np.where(mask >= 128, 255, 0).astype(np.uint8)
        flag = cv2.INPAINT_NS if req["method"] == "ns" else cv2.INPAINT_TELEA
        t = time.perf_counter()
        out = cv2.inpaint(rgb, mask, float(req["radius"]), flag)
        ms = (time.perf_counter() - t) * 1000
        stdout.write((json.dumps({"ms": ms}) + "\n").encode())
        stdout.write(np.ascontiguousarray(out, dtype=np.uint8).tobytes())
        stdout.flush()


if __name__ == "__main__":
    main()
